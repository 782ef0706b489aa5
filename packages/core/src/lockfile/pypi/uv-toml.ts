/**
 * A fast path for uv.lock (issue 12): the file as uv writes it, read with a few sticky regexes
 * instead of the general TOML parser, which was about a third of a cold `vet check --locked` on a
 * uv project. The design is store/exemptions-toml.ts's: a small subset of TOML is accepted, and on
 * anything outside it the reader gives up (undefined) and the whole file goes through
 * `parseTomlText`, so errors and odd files are read (and reported) exactly as before; what it does
 * accept, it reads as smol-toml does (null-prototype tables, insertion order), which
 * uv-toml.test.ts checks against smol-toml itself.
 *
 * The subset, line by line (`\n` only):
 * - an empty line;
 * - a header `[a.b]` or `[[a.b]]` of bare keys (at most MAX_SEGMENTS), naming a table no earlier
 *   line defined, reached through tables defined by headers (the last element of an array of
 *   tables, as in `[package.metadata]`);
 * - `key = value` with a bare key new to its table, the value on the same line, or an array
 *   spread over lines as uv writes it (`[`, then one `    value,` per line, then `]`).
 * Values: basic strings without escapes, tabs or control characters; decimal integers of at most
 * 15 digits (so always exact numbers); `true`/`false`; one-line arrays `[a, b]` and inline tables
 * `{ k = v, k = v }` (or `{}`) of such values, nested at most MAX_DEPTH deep. Never `__proto__`.
 *
 * Nesting: the general parser runs the nesting pre-scan (nesting.ts) before anything else; this
 * reader runs first instead, and needs no pre-scan: its recursion stops at MAX_DEPTH, and a text it
 * accepts nests at most MAX_DEPTH + 2 brackets and has at most MAX_SEGMENTS key segments on a
 * line, far below what the pre-scan refuses (its brackets and dots outside strings are exactly
 * the ones read here, since strings hold no backslash), so it never accepts what the pre-scan
 * would refuse.
 */
import { dict } from '../../dict.js';
import type { TomlTable } from '../../store/parse-common.js';

/** Deepest array/inline-table nesting read here (uv writes three). */
const MAX_DEPTH = 8;
/** Most segments in a header (uv writes three: `[package.metadata.requires-dev]`). */
const MAX_SEGMENTS = 8;

const BARE = '[A-Za-z0-9_-]+';
const HEADER = new RegExp(`\\[(\\[)?(${BARE}(?:\\.${BARE}){0,${MAX_SEGMENTS - 1}})\\](\\])?\\n`, 'y');
/** A key and ` = ` (the key is the match less its last three characters). */
const KEY = /[A-Za-z0-9_-]+ = /y;
/** A basic string that is its own content: no escapes, no control characters (tab included). */
// eslint-disable-next-line no-control-regex -- the control characters are the point
const STRING = /"[^"\\\x00-\x1f\x7f]*"/y;
/**
 * A file of `sdist`/`wheels`, most of a uv.lock's lines, in one match; its strings and integer as
 * STRING and INTEGER read them (the integer is followed by `,`, so read whole).
 */
const FILE =
  // eslint-disable-next-line no-control-regex -- the control characters are the point
  /\{ url = "([^"\\\x00-\x1f\x7f]*)", hash = "([^"\\\x00-\x1f\x7f]*)", size = (0|[1-9][0-9]{0,14}), upload-time = "([^"\\\x00-\x1f\x7f]*)" \}/y;
/** Integers that are exact as numbers; a digit, `.`, `_`, `-`, `:`, `e`… after one is left unread, so refused. */
const INTEGER = /0|[1-9][0-9]{0,14}/y;

/** Marks a value outside the subset. */
const NO: unique symbol = Symbol('outside the subset');
type Value = unknown;

/** Position in `text` while reading; module state, as the reader is synchronous. */
let text = '';
let at = 0;

/** uv.lock as a TOML document, as smol-toml reads it, or undefined when it is outside the subset. */
export function readUvLockToml(source: string): TomlTable | undefined {
  text = source;
  at = 0;
  try {
    return readDocument();
  } finally {
    text = '';
  }
}

function readDocument(): TomlTable | undefined {
  const root = dict<unknown>();
  // Tables defined by headers (implicitly or not) and arrays of tables: the only places a
  // header may go through. An inline table or a plain array may not be extended by a header.
  const headerTables = new Set<object>([root]);
  const tableArrays = new Set<unknown[]>();
  let table = root;
  const end = text.length;
  while (at < end) {
    const c = text.charCodeAt(at);
    if (c === 10) {
      at++;
    } else if (c === 91) {
      HEADER.lastIndex = at;
      const h = HEADER.exec(text);
      if (h === null || (h[1] === undefined) !== (h[3] === undefined)) return undefined;
      at = HEADER.lastIndex;
      const keys = h[2]!.split('.');
      let t = root;
      const last = keys.length - 1;
      for (let i = 0; i < last; i++) {
        const k = keys[i]!;
        if (k === '__proto__') return undefined;
        if (!Object.hasOwn(t, k)) {
          const sub = dict<unknown>();
          t[k] = sub;
          headerTables.add(sub);
          t = sub;
          continue;
        }
        const v = t[k];
        if (tableArrays.has(v as unknown[])) {
          const list = v as TomlTable[];
          t = list[list.length - 1]!;
        } else if (headerTables.has(v as object)) {
          t = v as TomlTable;
        } else {
          return undefined;
        }
      }
      const k = keys[last]!;
      if (k === '__proto__') return undefined;
      const sub = dict<unknown>();
      headerTables.add(sub);
      if (h[1] === undefined) {
        if (Object.hasOwn(t, k)) return undefined;
        t[k] = sub;
      } else if (!Object.hasOwn(t, k)) {
        const list = [sub];
        tableArrays.add(list);
        t[k] = list;
      } else if (tableArrays.has(t[k] as unknown[])) {
        (t[k] as TomlTable[]).push(sub);
      } else {
        return undefined;
      }
      table = sub;
    } else {
      KEY.lastIndex = at;
      if (!KEY.test(text)) return undefined;
      const key = text.slice(at, KEY.lastIndex - 3);
      if (key === '__proto__' || Object.hasOwn(table, key)) return undefined;
      at = KEY.lastIndex;
      const v = text.charCodeAt(at) === 91 && text.charCodeAt(at + 1) === 10 ? readLongArray() : readValue(0);
      if (v === NO || text.charCodeAt(at) !== 10) return undefined;
      at++;
      table[key] = v;
    }
  }
  return root;
}

/** An array as uv spreads it over lines: `[`, then `    value,` lines, then `]`. */
function readLongArray(): Value {
  at += 2;
  const out: Value[] = [];
  for (;;) {
    if (text.charCodeAt(at) === 93) {
      at++;
      return out;
    }
    if (!text.startsWith('    ', at)) return NO;
    at += 4;
    const v = readValue(1);
    if (v === NO || text.charCodeAt(at) !== 44 || text.charCodeAt(at + 1) !== 10) return NO;
    at += 2;
    out.push(v);
  }
}

/** The value at `at` (moving past it), or NO; `depth` arrays and inline tables enclose it. */
function readValue(depth: number): Value {
  switch (text.charCodeAt(at)) {
    case 34: {
      // "
      STRING.lastIndex = at;
      if (!STRING.test(text)) return NO;
      const s = text.slice(at + 1, STRING.lastIndex - 1);
      at = STRING.lastIndex;
      return s;
    }
    case 123: // {
      return depth < MAX_DEPTH ? readInlineTable(depth + 1) : NO;
    case 91: // [
      return depth < MAX_DEPTH ? readArray(depth + 1) : NO;
    case 116: // t
      if (!text.startsWith('true', at)) return NO;
      at += 4;
      return true;
    case 102: // f
      if (!text.startsWith('false', at)) return NO;
      at += 5;
      return false;
    default: {
      INTEGER.lastIndex = at;
      if (!INTEGER.test(text)) return NO;
      const n = Number(text.slice(at, INTEGER.lastIndex));
      at = INTEGER.lastIndex;
      return n;
    }
  }
}

/** `{ k = v, k = v }` or `{}`, from its `{`. */
function readInlineTable(depth: number): Value {
  const out = dict<unknown>();
  if (text.startsWith('{ url = "', at)) {
    FILE.lastIndex = at;
    const m = FILE.exec(text);
    if (m !== null) {
      out['url'] = m[1];
      out['hash'] = m[2];
      out['size'] = Number(m[3]);
      out['upload-time'] = m[4];
      at = FILE.lastIndex;
      return out;
    }
  }
  if (text.charCodeAt(at + 1) === 125) {
    at += 2;
    return out;
  }
  if (text.charCodeAt(at + 1) !== 32) return NO;
  at += 2;
  for (;;) {
    KEY.lastIndex = at;
    if (!KEY.test(text)) return NO;
    const key = text.slice(at, KEY.lastIndex - 3);
    if (key === '__proto__' || Object.hasOwn(out, key)) return NO;
    at = KEY.lastIndex;
    const v = readValue(depth);
    if (v === NO) return NO;
    out[key] = v;
    const c = text.charCodeAt(at);
    if (c === 44 && text.charCodeAt(at + 1) === 32) {
      at += 2;
    } else if (c === 32 && text.charCodeAt(at + 1) === 125) {
      at += 2;
      return out;
    } else {
      return NO;
    }
  }
}

/** `[a, b]` or `[]`, from its `[`, on one line. */
function readArray(depth: number): Value {
  const out: Value[] = [];
  at++;
  if (text.charCodeAt(at) === 93) {
    at++;
    return out;
  }
  for (;;) {
    const v = readValue(depth);
    if (v === NO) return NO;
    out.push(v);
    const c = text.charCodeAt(at);
    if (c === 93) {
      at++;
      return out;
    }
    if (c !== 44 || text.charCodeAt(at + 1) !== 32) return NO;
    at += 2;
  }
}
