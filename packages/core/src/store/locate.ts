/**
 * Where things are in a TOML file, for error messages (STYLE §8): the TOML parser returns
 * plain values without positions, so we scan the text once for table headers and the keys
 * under each, skipping multi-line strings and comments. Lines are 1-based.
 */

interface HeaderInfo {
  line: number;
  keys: Map<string, number>;
}

export class LineIndex {
  /** "a\0b\0c" → every `[a.b.c]` / `[[a.b.c]]` occurrence in file order. */
  private readonly headers = new Map<string, HeaderInfo[]>();
  private readonly rootKeys = new Map<string, number>();

  constructor(text: string) {
    this.scan(text);
  }

  /** Line of the table at `path`; for an array of tables, of its `index`-th element. */
  table(path: string[], index = 0): number | undefined {
    return this.headers.get(path.join('\0'))?.[index]?.line;
  }

  /** Line of `key` inside that table, falling back to the table's header line. */
  key(path: string[], key: string, index = 0): number | undefined {
    if (path.length === 0) return this.rootKeys.get(key);
    const h = this.headers.get(path.join('\0'))?.[index];
    if (h !== undefined) return h.keys.get(key) ?? h.line;
    // `[a]` with `b.c = …` or `b = { … }`: report the nearest enclosing header we know.
    for (let n = path.length - 1; n > 0; n--) {
      const parent = this.headers.get(path.slice(0, n).join('\0'))?.[0];
      if (parent !== undefined) return parent.keys.get(path[n]!) ?? parent.line;
    }
    return this.rootKeys.get(path[0]!);
  }

  private scan(text: string): void {
    const lines = text.split('\n');
    let inMl: '' | '"""' | "'''" = '';
    let current: HeaderInfo | undefined;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      if (inMl === '') {
        const trimmed = line.trimStart();
        if (trimmed.startsWith('[')) {
          const parsed = parseHeader(trimmed);
          if (parsed !== undefined) {
            current = { line: i + 1, keys: new Map() };
            const id = parsed.join('\0');
            const list = this.headers.get(id);
            if (list === undefined) this.headers.set(id, [current]);
            else list.push(current);
          }
        } else {
          const key = leadingKey(trimmed);
          const keys = current?.keys ?? this.rootKeys;
          if (key !== undefined && !keys.has(key)) keys.set(key, i + 1);
        }
      }
      inMl = multilineStateAfter(line, inMl);
    }
  }
}

/** Parse one key (bare, "basic" or 'literal') at `s[i]`; returns [key, next index]. */
function readKey(s: string, i: number): [string, number] | undefined {
  const c = s[i];
  if (c === '"') {
    let out = '';
    let j = i + 1;
    while (j < s.length && s[j] !== '"') {
      if (s[j] === '\\' && j + 1 < s.length) {
        const e = s[j + 1]!;
        out += e === 'n' ? '\n' : e === 't' ? '\t' : e;
        j += 2;
      } else out += s[j++];
    }
    return j < s.length ? [out, j + 1] : undefined;
  }
  if (c === "'") {
    const end = s.indexOf("'", i + 1);
    return end < 0 ? undefined : [s.slice(i + 1, end), end + 1];
  }
  const m = /^[A-Za-z0-9_-]+/.exec(s.slice(i));
  return m === null ? undefined : [m[0], i + m[0].length];
}

function skipWs(s: string, i: number): number {
  while (s[i] === ' ' || s[i] === '\t') i++;
  return i;
}

/** `[a."b c".d]` / `[[a.b]]` → ['a', 'b c', 'd']. */
export function parseHeader(s: string): string[] | undefined {
  const double = s.startsWith('[[');
  let i = skipWs(s, double ? 2 : 1);
  const path: string[] = [];
  for (;;) {
    const k = readKey(s, i);
    if (k === undefined) return undefined;
    path.push(k[0]);
    i = skipWs(s, k[1]);
    if (s[i] === '.') i = skipWs(s, i + 1);
    else break;
  }
  return s.startsWith(double ? ']]' : ']', i) ? path : undefined;
}

function leadingKey(s: string): string | undefined {
  if (s === '' || s.startsWith('#')) return undefined;
  const k = readKey(s, 0);
  return k === undefined ? undefined : k[0];
}

/** Track whether a line leaves us inside a `"""` or `'''` string. */
function multilineStateAfter(line: string, state: '' | '"""' | "'''"): '' | '"""' | "'''" {
  let i = 0;
  while (i < line.length) {
    if (state !== '') {
      const end = findClose(line, i, state);
      if (end < 0) return state;
      i = end;
      state = '';
      continue;
    }
    const c = line[i];
    if (c === '#') return '';
    if (line.startsWith('"""', i) || line.startsWith("'''", i)) {
      state = line.startsWith('"""', i) ? '"""' : "'''";
      i += 3;
    } else if (c === '"') {
      i++;
      while (i < line.length && line[i] !== '"') i += line[i] === '\\' ? 2 : 1;
      i++;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      i = end < 0 ? line.length : end + 1;
    } else i++;
  }
  return state;
}

/** Index just after the closing delimiter (and up to two extra quotes), or -1. */
function findClose(line: string, from: number, delim: '"""' | "'''"): number {
  let i = from;
  while (i < line.length) {
    if (delim === '"""' && line[i] === '\\') {
      i += 2;
      continue;
    }
    if (line.startsWith(delim, i)) {
      let j = i + 3;
      while (j < line.length && line[j] === delim[0] && j < i + 5) j++;
      return j;
    }
    i++;
  }
  return -1;
}
