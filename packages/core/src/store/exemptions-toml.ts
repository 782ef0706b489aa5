/**
 * A fast path for the bulk of a large config.toml (issue 12): the `[[exemptions.X]]` tables that
 * `vet init` and the canonical writer (§9.2) put at the end of the file, thousands of them in a
 * big project, read with two sticky regexes instead of the general TOML parser, which is the
 * largest cost of a cold `vet check --locked`.
 *
 * Only a small subset of TOML is accepted: from the first `[[exemptions.X]]` to the end of the
 * file, each header after one blank line, then `key = value` lines whose values are basic strings
 * without escapes, booleans or one-line arrays of such strings. On anything else the fast path
 * gives up and the whole file goes through `parseTomlText`, so errors and odd files are read (and
 * reported) exactly as before; what it does accept, it reads as smol-toml does (null-prototype
 * tables, insertion order), which exemptions-toml.test.ts checks against smol-toml itself.
 */
import { dict } from '../dict.js';
import { parseTomlText, type TomlTable } from './parse-common.js';

/** Where the exemptions start: a blank line, then the first array-of-tables header. */
const START = '\n\n[[exemptions.';

// A basic string with no escapes and no control characters (tab included) is its own content.
// eslint-disable-next-line no-control-regex -- the control characters are the point
const HEADER = /\n\[\[exemptions\.(?:([A-Za-z0-9_-]+)|"([^"\\\x00-\x1f\x7f]*)")\]\]\n/y;
const KEY_VALUE =
  // eslint-disable-next-line no-control-regex -- the control characters are the point
  /([A-Za-z0-9_-]+) = (?:"([^"\\\x00-\x1f\x7f]*)"|(true|false)|\[((?:"[^"\\\x00-\x1f\x7f]*"(?:, "[^"\\\x00-\x1f\x7f]*")*)?)\])\n/y;

/** config.toml as a TOML document: the exemptions by the fast path when it applies, else smol-toml. */
export function parseConfigToml(text: string, file: string): TomlTable {
  const at = text.indexOf(START);
  const exemptions = at < 0 ? undefined : readExemptionTables(text, at + 1);
  if (exemptions !== undefined) {
    const doc = parsePrefix(text.slice(0, at + 1), file);
    // The general parser would refuse a second definition of `exemptions`; let it.
    if (doc !== undefined && !Object.hasOwn(doc, 'exemptions')) {
      doc['exemptions'] = exemptions;
      return doc;
    }
  }
  return parseTomlText(text, file);
}

/**
 * The text before the exemptions, ending at a line break. A prefix that parses leaves TOML between
 * statements (EOF inside a string, array or inline table is an error), so the full parse reads it
 * the same way and then the exemptions from a fresh header; a prefix that does not parse is
 * reported by parsing the whole file.
 */
function parsePrefix(prefix: string, file: string): TomlTable | undefined {
  try {
    return parseTomlText(prefix, file);
  } catch {
    return undefined;
  }
}

/** The `exemptions` table of `text` from `from` to its end, or undefined outside the subset. */
export function readExemptionTables(text: string, from: number): TomlTable | undefined {
  const out = dict<TomlTable[]>();
  let at = from;
  while (at < text.length) {
    HEADER.lastIndex = at;
    const h = HEADER.exec(text);
    if (h === null) return undefined;
    const crate = h[1] ?? h[2]!;
    if (crate === '__proto__') return undefined;
    const entry = dict<unknown>();
    (out[crate] ??= []).push(entry);
    at = HEADER.lastIndex;
    for (;;) {
      KEY_VALUE.lastIndex = at;
      const m = KEY_VALUE.exec(text);
      if (m === null) break;
      const key = m[1]!;
      if (key === '__proto__' || Object.hasOwn(entry, key)) return undefined;
      entry[key] = m[2] ?? (m[3] !== undefined ? m[3] === 'true' : stringList(m[4]!));
      at = KEY_VALUE.lastIndex;
    }
  }
  return out;
}

/** `"a", "b"` (the inside of a one-line array; its strings hold no quotes) as ['a', 'b']. */
function stringList(inner: string): string[] {
  return inner === '' ? [] : inner.slice(1, -1).split('", "');
}
