/**
 * A cheap pre-scan that bounds how deeply an input file nests before any parser sees it
 * (issue 10: a 10,000-deep array in Pipfile.lock overflowed the stack; a 50,000-deep flow
 * sequence in pnpm-lock.yaml cost 31 s of CPU). Real lockfiles and stores nest a few levels;
 * anything past the bounds below is refused as PARSE_ERROR naming file and line.
 *
 * One pass, no allocation: brackets and braces are counted outside quoted strings (and, for
 * YAML and TOML, outside comments); YAML's block nesting is bounded by the width of a line's
 * indentation and `- `/`? ` prefixes; TOML's dotted keys by their number of segments.
 */
import { VetError } from './errors.js';

/** Deepest `[`/`{` nesting accepted (and, for TOML, dotted-key segments). */
export const MAX_NESTING = 128;
/** Widest YAML block prefix (indentation plus `- `, `? ` markers) accepted, in characters. */
export const MAX_YAML_INDENT = 512;

export type NestingSyntax = 'json' | 'yaml' | 'toml';

export function checkNesting(text: string, file: string, syntax: NestingSyntax): void {
  const offset = syntax === 'yaml' ? deepOffsetYaml(text) : deepOffsetJsonToml(text, syntax);
  if (offset === undefined) return;
  const line = lineOfOffset(text, offset);
  throw new VetError('PARSE_ERROR', `${file}: nested too deeply (vet reads at most ${MAX_NESTING} levels)`, {
    file,
    line,
    hint: 'a lockfile or store nests a few levels; this file looks damaged or crafted',
  });
}

/** `deepLine` for JSON and TOML, faster (see deepOffsetJsonToml). */
export function deepLineJsonToml(text: string, syntax: 'json' | 'toml'): number | undefined {
  const offset = deepOffsetJsonToml(text, syntax);
  return offset === undefined ? undefined : lineOfOffset(text, offset);
}

/** `deepLine` for YAML, faster (see deepOffsetYaml). */
export function deepLineYaml(text: string): number | undefined {
  const offset = deepOffsetYaml(text);
  return offset === undefined ? undefined : lineOfOffset(text, offset);
}

/** 1-based line of a character offset (error paths only). */
function lineOfOffset(text: string, offset: number): number {
  let line = 1;
  for (let at = text.indexOf('\n'); at >= 0 && at < offset; at = text.indexOf('\n', at + 1)) line++;
  return line;
}

/**
 * Offset where nesting first exceeds the bounds in JSON or TOML, or undefined: `deepLine`'s
 * rules, but quoted strings — most of a lockfile's bytes — are skipped with `indexOf` and lines
 * are counted only when there is an error (a 0.9 MB package-lock.json took longer to pre-scan
 * than to parse; issue 12). nesting.test.ts checks `deepLineJsonToml` against `deepLine` on
 * generated text.
 */
function deepOffsetJsonToml(text: string, syntax: 'json' | 'toml'): number | undefined {
  const toml = syntax === 'toml';
  const skip = toml ? SKIP_TOML : SKIP_JSON;
  let depth = 0;
  let segments = 1;
  for (let i = 0; i < text.length; i++) {
    // To the next character that matters, natively: a fresh process runs this loop before V8
    // has optimised it, so every character the loop itself visits is expensive.
    skip.lastIndex = i;
    skip.test(text);
    i = skip.lastIndex;
    switch (text.charCodeAt(i)) {
      case 10:
        segments = 1;
        break;
      case 34: // "
        i = toml && text.startsWith('"""', i) ? stringEnd(text, i, 34, syntax) : quotedEnd(text, i);
        break;
      case 39: // '
        if (toml) i = stringEnd(text, i, 39, syntax);
        break;
      case 35: // #
        if (toml) {
          const eol = text.indexOf('\n', i);
          i = eol < 0 ? text.length - 1 : eol - 1;
        }
        break;
      case 91: // [
      case 123: // {
        if (++depth > MAX_NESTING) return i;
        break;
      case 93: // ]
      case 125: // }
        if (depth > 0) depth--;
        break;
      case 46: // .
        if (toml && ++segments > MAX_NESTING) return i;
        break;
    }
  }
  return undefined;
}

/**
 * Offset where nesting first exceeds the bounds in YAML, or undefined: `deepLine`'s YAML rules
 * (a line's block prefix, quotes that open a scalar, comments after whitespace), with the runs
 * of characters that matter to none of them skipped natively (astro's 845 KB pnpm-lock.yaml took
 * 20 ms character by character; issue 12). nesting.test.ts checks it against `deepLine`.
 */
function deepOffsetYaml(text: string): number | undefined {
  // Without a line that could start with an over-wide prefix (no 513 prefix characters in a
  // row after a line break), lines need no visit at all: the scan stops only at quotes,
  // comments and brackets.
  const lines = MAYBE_WIDE.test(text);
  const skip = lines ? SKIP_YAML : SKIP_YAML_SAME_LINE;
  let depth = 0;
  const first = blockPrefixOk(text, 0);
  if (first < 0) return 0;
  for (let i = first; i < text.length; i++) {
    skip.lastIndex = i;
    skip.test(text);
    i = skip.lastIndex;
    switch (text.charCodeAt(i)) {
      case 10: {
        const next = blockPrefixOk(text, i + 1);
        if (next < 0) return i + 1;
        i = next - 1;
        break;
      }
      case 34: // "
        if (opensString(text, i, 'yaml')) i = quotedEnd(text, i);
        break;
      case 39: // '
        if (opensString(text, i, 'yaml')) i = singleQuotedEnd(text, i);
        break;
      case 35: // #
        if (afterSpace(text, i)) {
          const eol = text.indexOf('\n', i);
          i = eol < 0 ? text.length - 1 : eol - 1;
        }
        break;
      case 91: // [
      case 123: // {
        if (++depth > MAX_NESTING) return i;
        break;
      case 93: // ]
      case 125: // }
        if (depth > 0) depth--;
        break;
    }
  }
  return undefined;
}

/** End of the block prefix of the line starting at `i`, or -1 when it is wider than allowed. */
function blockPrefixOk(text: string, i: number): number {
  YAML_PREFIX.lastIndex = i;
  YAML_PREFIX.test(text);
  const end = YAML_PREFIX.lastIndex;
  return end - i > MAX_YAML_INDENT ? -1 : end;
}

/** Index of the quote closing the YAML `'…'` (`''` escapes a quote) opened at `i`, or the text's last index. */
function singleQuotedEnd(text: string, i: number): number {
  for (let from = i + 1; ;) {
    const q = text.indexOf("'", from);
    if (q < 0) return text.length - 1;
    if (text.charCodeAt(q + 1) !== 39) return q;
    from = q + 2;
  }
}

// Runs of characters the JSON / TOML scan ignores (sticky: `test` moves lastIndex past them).
const SKIP_JSON = /[^"[\]{}]*/y;
const SKIP_TOML = /[^\n"'#[\]{}.]*/y;
const SKIP_YAML = /[^\n"'#[\]{}]*/y;
const SKIP_YAML_SAME_LINE = /[^"'#[\]{}]*/y;
/** Could some line's block prefix be wider than MAX_YAML_INDENT? (A superset of the exact rule.) */
const MAYBE_WIDE = new RegExp(`\\n[ \\t?:-]{${MAX_YAML_INDENT + 1}}`);
/** A YAML line's block prefix (`blockPrefixEnd`): blanks and `-`/`?`/`:` markers each followed by a space. */
const YAML_PREFIX = /(?:[ \t]|[-?:] )*/y;

/** Index of the quote closing the `"…"` (backslash escapes) opened at `i`, or the text's last index. */
function quotedEnd(text: string, i: number): number {
  for (let from = i + 1; ;) {
    const q = text.indexOf('"', from);
    if (q < 0) return text.length - 1;
    let backslashes = 0;
    while (q - backslashes - 1 > i && text.charCodeAt(q - backslashes - 1) === 92) backslashes++;
    if (backslashes % 2 === 0) return q;
    from = q + 1;
  }
}

/** 1-based line where nesting first exceeds the bounds, or undefined (the reference; YAML's scan). */
export function deepLine(text: string, syntax: NestingSyntax): number | undefined {
  let depth = 0;
  let line = 1;
  let lineStart = true;
  let segments = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      line++;
      lineStart = true;
      segments = 1;
      continue;
    }
    if (lineStart && syntax === 'yaml') {
      const end = blockPrefixEnd(text, i);
      if (end - i > MAX_YAML_INDENT) return line;
      i = end - 1;
      lineStart = false;
      continue;
    }
    lineStart = false;
    if ((c === 34 /* " */ || (c === 39 /* ' */ && syntax !== 'json')) && opensString(text, i, syntax)) {
      const end = stringEnd(text, i, c, syntax);
      for (let j = i + 1; j < end; j++) if (text.charCodeAt(j) === 10) line++;
      i = end;
    } else if (c === 35 /* # */ && syntax !== 'json' && (syntax === 'toml' || afterSpace(text, i))) {
      while (i + 1 < text.length && text.charCodeAt(i + 1) !== 10) i++;
    } else if (c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > MAX_NESTING) return line;
    } else if (c === 93 /* ] */ || c === 125 /* } */) {
      if (depth > 0) depth--;
    } else if (c === 46 /* . */ && syntax === 'toml') {
      if (++segments > MAX_NESTING) return line;
    }
  }
  return undefined;
}

/** YAML quotes only open a scalar (after an indicator or a space); elsewhere a quote is plain text. */
function opensString(text: string, i: number, syntax: NestingSyntax): boolean {
  if (syntax !== 'yaml' || i === 0) return true;
  const p = text.charCodeAt(i - 1);
  return p === 32 || p === 9 || p === 10 || p === 91 || p === 123 || p === 44 || p === 58 || p === 45 || p === 63;
}

/** A YAML comment's `#` follows whitespace or starts the line. */
function afterSpace(text: string, i: number): boolean {
  const p = i === 0 ? 10 : text.charCodeAt(i - 1);
  return p === 32 || p === 9 || p === 10 || p === 13;
}

/** End (exclusive) of a YAML line's block prefix: spaces, and `-`/`?`/`:` markers each followed by a space. */
function blockPrefixEnd(text: string, i: number): number {
  let j = i;
  for (;;) {
    const c = text.charCodeAt(j);
    if (c === 32 || c === 9) j++;
    else if ((c === 45 || c === 63 || c === 58) && text.charCodeAt(j + 1) === 32) j += 2;
    else return j;
  }
}

/** Index of the closing quote of the string opened at `i` (or the text's last index). */
function stringEnd(text: string, i: number, quote: number, syntax: NestingSyntax): number {
  // YAML doubles a single quote inside '…'; TOML's '…' has no escapes; "…" escapes with a backslash.
  const escapes = quote === 34;
  if (syntax === 'toml' && text.charCodeAt(i + 1) === quote && text.charCodeAt(i + 2) === quote) {
    // TOML's multi-line strings, `"""…"""` and `'''…'''`.
    const close = String.fromCharCode(quote).repeat(3);
    for (let j = i + 3; j < text.length; j++) {
      if (escapes && text.charCodeAt(j) === 92) j++;
      else if (text.startsWith(close, j)) {
        while (text.charCodeAt(j + 3) === quote) j++; // up to two quotes may end the content
        return j + 2;
      }
    }
    return text.length - 1;
  }
  for (let j = i + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (escapes && c === 92) j++;
    else if (c === quote) {
      if (syntax === 'yaml' && quote === 39 && text.charCodeAt(j + 1) === 39) j++;
      else return j;
    } else if (c === 10 && syntax !== 'yaml' && !escapes) return j - 1;
  }
  return text.length - 1;
}
