/**
 * Strings from outside are data (STYLE §18): package names, versions, notes, `who`, URLs and
 * messages from lockfiles, stores, registries and notaries are printed through these, never
 * raw. Control characters (C0 with newline and tab, DEL, C1 — so no ANSI/OSC sequence can
 * start), bidi overrides and isolates, and line/paragraph separators become visible escapes
 * (`\x1b`, `\n`, `\u{202e}`): the text cannot move the cursor, recolour, retitle the
 * terminal, reorder what follows, or start a line of its own in a report or a Markdown page.
 */

// C0, DEL, C1; ALM; LRM/RLM; LRE..RLO; LS/PS; LRI..PDI; BOM; lone surrogates (with /u a pair is one code point).
const UNSAFE =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069\ufeff\ud800-\udfff]/gu;
// The same, minus the newline: for texts whose line breaks are meant (notes).
const UNSAFE_KEEP_NEWLINES =
  // eslint-disable-next-line no-control-regex -- as above
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069\ufeff\ud800-\udfff]/gu;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function visible(ch: string): string {
  const named = NAMED[ch];
  if (named !== undefined) return named;
  const code = ch.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
}

/** One line of outside text, safe to print: every control or bidi character shown escaped. */
export function escapeText(s: string): string {
  return s.replace(UNSAFE, visible);
}

/** Outside text whose line breaks are kept, each continuation line indented by `indent`. */
export function escapeMultiline(s: string, indent: string): string {
  return s.replace(/\r\n/g, '\n').replace(UNSAFE_KEEP_NEWLINES, visible).replace(/\n/g, `\n${indent}`);
}

// What JSON.stringify leaves raw but a terminal or a renderer may act on.
const JSON_UNSAFE = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069\ufeff]/g;

/**
 * `JSON.stringify(value, null, 2)` plus a newline, with DEL, C1, bidi and separator
 * characters written as `\uXXXX` (C0 is escaped by JSON already): parsing gives back exactly
 * the same strings, and printing it to a terminal cannot run an escape sequence.
 */
export function toSafeJson(value: unknown): string {
  const text = JSON.stringify(value, null, 2);
  return text.replace(JSON_UNSAFE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`) + '\n';
}
