/**
 * A purpose-built reader for the YAML that pnpm writes (issue 12): block mappings and sequences
 * indented by spaces, quoted and plain scalars, one-line flow collections (`{integrity: …}`,
 * `[x64]`), `---` between documents. On astro's 845 KB lockfile it is several times faster than
 * a general YAML parser, and it allocates only the values it returns.
 *
 * It never guesses: anything outside that subset (anchors, tags, block scalars, multi-line
 * scalars, comments after values, tabs, CR, duplicate keys, numbers it does not know, deep
 * nesting) makes it return `undefined`, and the caller parses the text with the general parser,
 * which also reports every error with its line. Where it returns a value, that value equals the
 * general parser's (YAML 1.2 core schema, `yaml`'s toJS); the differential tests prove it on
 * every corpus lockfile and on generated documents.
 */

/** Deeper than this, the general parser (and its bounds) take over. */
const MAX_DEPTH = 64;

class OutsideSubset extends Error {}

/** Every document of `text`, or undefined when `text` is outside the subset. */
export function parsePnpmYamlFast(text: string): unknown[] | undefined {
  // Tabs, CR, control characters, BOMs and the YAML 1.1 line breaks are left to the general parser.
  // eslint-disable-next-line no-control-regex -- these are exactly the characters to decline
  if (/[\x00-\x09\x0b-\x1f\x7f\x85\u2028\u2029\ufeff]/.test(text)) return undefined;
  try {
    return new Reader(text.split('\n')).documents();
  } catch (e) {
    if (e instanceof OutsideSubset) return undefined;
    throw e;
  }
}

function outside(): never {
  throw new OutsideSubset();
}

/**
 * Line facts every step asks about (indentation, blank or comment, `---`) are computed once per
 * line up front: a cold process runs this reader in V8's interpreter, where the three
 * indentation scans and the calls per line were most of its cost (issue 12).
 */
class Reader {
  private i = 0;
  private readonly indents: Int32Array;
  private readonly blank: Uint8Array;
  private readonly docStart: Uint8Array;

  constructor(private readonly lines: string[]) {
    const n = lines.length;
    this.indents = new Int32Array(n);
    this.blank = new Uint8Array(n);
    this.docStart = new Uint8Array(n);
    for (let k = 0; k < n; k++) {
      const line = lines[k]!;
      let ind = 0;
      while (line.charCodeAt(ind) === 32) ind++;
      this.indents[k] = ind;
      const c = line.charCodeAt(ind);
      // After the spaces, a visible ASCII character decides; anything else (the end, other
      // whitespace) takes the exact test, `trimStart()` empty or a comment.
      if (c > 32 && c < 127) this.blank[k] = c === 35 /* # */ ? 1 : 0;
      else this.blank[k] = isBlankOrComment(line) ? 1 : 0;
      if (c === 45 && ind === 0 && line.startsWith('---') && line.slice(3).trim() === '') this.docStart[k] = 1;
    }
  }

  documents(): unknown[] {
    const docs: unknown[] = [];
    this.skipBlank();
    if (this.isDocStart()) this.nextDocStart();
    for (;;) {
      if (this.i >= this.lines.length || this.isDocStart()) outside(); // an empty document
      if (this.indents[this.i] !== 0) outside();
      docs.push(this.node(0, 0));
      if (this.i >= this.lines.length) return docs;
      if (!this.isDocStart()) outside();
      this.nextDocStart();
    }
  }

  private isDocStart(): boolean {
    return this.docStart[this.i] === 1;
  }

  private nextDocStart(): void {
    this.i++;
    this.skipBlank();
  }

  /** Moves past blank and comment-only lines; a `...`, `%` directive or stray `---x` is outside. */
  private skipBlank(): void {
    const n = this.lines.length;
    while (this.i < n && this.blank[this.i] === 1) this.i++;
    if (this.i < n) {
      const l = this.lines[this.i]!;
      if (l.startsWith('...') || l.startsWith('%')) outside();
    }
  }

  /** The block node starting at the current line, whose indent is `indent`. */
  private node(indent: number, depth: number): unknown {
    if (depth > MAX_DEPTH) outside();
    return isSeqItem(this.lines[this.i]!, indent) ? this.seq(indent, depth) : this.map(indent, depth);
  }

  private map(indent: number, depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const lines = this.lines;
    while (this.i < lines.length && this.docStart[this.i] === 0) {
      const ind = this.indents[this.i]!;
      if (ind < indent) break;
      const line = lines[this.i]!;
      if (ind > indent || isSeqItem(line, indent)) outside();
      const { key, rest } = splitKey(line, indent);
      if (Object.prototype.hasOwnProperty.call(out, key) || key === '__proto__') outside();
      this.i++;
      setOwn(out, key, rest === '' ? this.nested(indent, depth, true) : this.inline(rest, indent));
    }
    return out;
  }

  private seq(indent: number, depth: number): unknown[] {
    const out: unknown[] = [];
    const lines = this.lines;
    while (this.i < lines.length && this.docStart[this.i] === 0) {
      const line = lines[this.i]!;
      const ind = this.indents[this.i]!;
      if (ind < indent || (ind === indent && !isSeqItem(line, indent))) break;
      if (ind > indent) outside();
      const rest = line.slice(indent + 1).trim();
      this.i++;
      if (rest === '') out.push(this.nested(indent, depth, false));
      else if (looksLikeMapping(rest)) outside();
      else out.push(this.inline(rest, indent));
    }
    return out;
  }

  /** The value of `key:` or `-` with nothing after it: a deeper block, a sequence, or null. */
  private nested(indent: number, depth: number, inMap: boolean): unknown {
    this.skipBlank();
    if (this.i >= this.lines.length || this.isDocStart()) return null;
    const ind = this.indents[this.i]!;
    if (ind > indent) return this.node(ind, depth + 1);
    // `key:` followed by `- item` at the key's own indent is that key's sequence.
    if (inMap && ind === indent && isSeqItem(this.lines[this.i]!, indent)) return this.seq(indent, depth + 1);
    return null;
  }

  /** A value on the entry's own line; a deeper line after it would continue it (outside). */
  private inline(rest: string, indent: number): unknown {
    const value = scalarOrFlow(rest);
    this.skipBlank();
    if (this.i < this.lines.length && !this.isDocStart() && this.indents[this.i]! > indent) outside();
    return value;
  }
}

/** `line.trimStart()` is empty or starts with `#`. */
function isBlankOrComment(line: string): boolean {
  const t = line.trimStart();
  return t === '' || t.startsWith('#');
}

function isSeqItem(line: string, indent: number): boolean {
  return line.charCodeAt(indent) === 45 /* - */ && (line.length === indent + 1 || line.charCodeAt(indent + 1) === 32);
}

/** `key: rest` or `key:` at `indent`; the key quoted or plain. */
function splitKey(line: string, indent: number): { key: string; rest: string } {
  const c = line.charCodeAt(indent);
  if (c === 39 /* ' */ || c === 34 /* " */) {
    const q = readQuoted(line, indent);
    if (line.charCodeAt(q.end) !== 58 /* : */) outside();
    return { key: q.value, rest: afterColon(line, q.end + 1) };
  }
  let at = line.indexOf(': ', indent);
  if (at < 0) {
    if (!line.endsWith(':')) outside();
    at = line.length - 1;
  }
  const key = line.slice(indent, at);
  if (!isPlainKey(key)) outside();
  return { key, rest: afterColon(line, at + 1) };
}

function afterColon(line: string, from: number): string {
  if (from < line.length && line.charCodeAt(from) !== 32) outside();
  return line.slice(from).trim();
}

function isPlainKey(key: string): boolean {
  return key !== '' && !/^[-?:,[\]{}#&*!|>'"%@`\s]/.test(key) && !/\s#|\s$/.test(key) && plainScalar(key) === key;
}

function looksLikeMapping(rest: string): boolean {
  const c = rest.charCodeAt(0);
  if (c === 39 || c === 34 || c === 123 || c === 91) return false;
  return rest.includes(': ') || rest.endsWith(':');
}

/** A whole inline value: quoted scalar, one-line flow collection, or plain scalar. */
function scalarOrFlow(rest: string): unknown {
  const c = rest.charCodeAt(0);
  if (c === 39 || c === 34) {
    const q = readQuoted(rest, 0);
    if (rest.slice(q.end).trim() !== '') outside();
    return q.value;
  }
  if (c === 123 /* { */ || c === 91 /* [ */) {
    const f = new Flow(rest);
    const value = f.value(0);
    f.end();
    return value;
  }
  if (/^[-?:](\s|$)|^[,[\]{}#&*!|>%@`]/.test(rest) || /\s#|: |:$/.test(rest)) outside();
  return plainScalar(rest);
}

/** YAML 1.2 core schema, as `yaml` resolves it; the rarer forms (hex, octal, exponent, inf) are outside. */
function plainScalar(s: string): unknown {
  const c = s.charCodeAt(0);
  // Fast exit for the common case: a name, a version range, an integrity hash.
  if ((c >= 97 && c <= 122 && c !== 110 && c !== 116 && c !== 102) || c === 64 || c === 47) return s;
  if (/^(?:~|[Nn]ull|NULL)?$/.test(s)) return null;
  if (/^(?:[Tt]rue|TRUE)$/.test(s)) return true;
  if (/^(?:[Ff]alse|FALSE)$/.test(s)) return false;
  if (/^[-+]?[0-9]+$/.test(s)) return parseInt(s, 10);
  if (/^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/.test(s)) return parseFloat(s);
  if (/^0o|^0x|^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE]|^[-+]?\.(?:inf|Inf|INF)$|^\.(?:nan|NaN|NAN)$/.test(s))
    outside();
  return s;
}

/** A quoted scalar that ends on this line: '…' with '' escapes, or "…" with the usual escapes. */
function readQuoted(s: string, start: number): { value: string; end: number } {
  const quote = s[start]!;
  let value = '';
  let i = start + 1;
  for (;;) {
    const j = quote === "'" ? s.indexOf("'", i) : nextDoubleStop(s, i);
    if (j < 0) outside(); // continues on the next line
    value += s.slice(i, j);
    if (quote === "'") {
      if (s[j + 1] !== "'") return { value, end: j + 1 };
      value += "'";
      i = j + 2;
    } else if (s[j] === '"') return { value, end: j + 1 };
    else {
      const e = escape(s, j);
      value += e.text;
      i = e.next;
    }
  }
}

function nextDoubleStop(s: string, from: number): number {
  const q = s.indexOf('"', from);
  const b = s.indexOf('\\', from);
  return b >= 0 && (q < 0 || b < q) ? b : q;
}

const SIMPLE_ESCAPES: Record<string, string> = { '\\': '\\', '"': '"', '/': '/', n: '\n', t: '\t', r: '\r', '0': '\0' };

function escape(s: string, at: number): { text: string; next: number } {
  const c = s[at + 1];
  if (c !== undefined && Object.prototype.hasOwnProperty.call(SIMPLE_ESCAPES, c))
    return { text: SIMPLE_ESCAPES[c]!, next: at + 2 };
  const len = c === 'x' ? 2 : c === 'u' ? 4 : c === 'U' ? 8 : 0;
  const hex = s.slice(at + 2, at + 2 + len);
  if (len === 0 || !new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) outside();
  const code = parseInt(hex, 16);
  if (code > 0x10ffff) outside();
  return { text: String.fromCodePoint(code), next: at + 2 + len };
}

/** One-line flow collections: `{k: v, …}` and `[a, …]`, nested, plain or quoted scalars. */
class Flow {
  private i = 0;
  constructor(private readonly s: string) {}

  value(depth: number): unknown {
    if (depth > MAX_DEPTH) outside();
    this.ws();
    const c = this.s[this.i];
    if (c === '{') return this.map(depth);
    if (c === '[') return this.seq(depth);
    if (c === "'" || c === '"') {
      const q = readQuoted(this.s, this.i);
      this.i = q.end;
      return q.value;
    }
    return this.plain();
  }

  end(): void {
    this.ws();
    if (this.i !== this.s.length) outside();
  }

  private map(depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.i++;
    while (!this.closes('}')) {
      const key = this.key();
      if (Object.prototype.hasOwnProperty.call(out, key) || key === '__proto__') outside();
      setOwn(out, key, this.value(depth + 1));
      this.separator('}');
    }
    return out;
  }

  private seq(depth: number): unknown[] {
    const out: unknown[] = [];
    this.i++;
    while (!this.closes(']')) {
      out.push(this.value(depth + 1));
      this.separator(']');
    }
    return out;
  }

  private closes(bracket: string): boolean {
    this.ws();
    if (this.s[this.i] !== bracket) return false;
    this.i++;
    return true;
  }

  /** After an entry: `,` or the closing bracket (left for `closes`). */
  private separator(bracket: string): void {
    this.ws();
    const c = this.s[this.i];
    if (c === ',') this.i++;
    else if (c !== bracket) outside();
  }

  private key(): string {
    this.ws();
    const c = this.s[this.i];
    let key: string;
    if (c === "'" || c === '"') {
      const q = readQuoted(this.s, this.i);
      this.i = q.end;
      key = q.value;
    } else {
      const at = this.s.indexOf(': ', this.i);
      if (at < 0) outside();
      key = this.s.slice(this.i, at);
      if (/[,[\]{}]/.test(key) || !isPlainKey(key)) outside();
      this.i = at;
    }
    if (!this.s.startsWith(': ', this.i)) outside();
    this.i += 2;
    return key;
  }

  private plain(): unknown {
    const start = this.i;
    // To the next `,[]{}` natively (an integrity hash is ~90 characters).
    FLOW_PLAIN.lastIndex = start;
    FLOW_PLAIN.test(this.s);
    this.i = FLOW_PLAIN.lastIndex;
    const text = this.s.slice(start, this.i).trim();
    if (text === '' || /^[-?:](\s|$)|^[#&*!|>'"%@`]/.test(text) || /\s#|: |:$/.test(text)) outside();
    return plainScalar(text);
  }

  private ws(): void {
    while (this.s[this.i] === ' ') this.i++;
  }
}

/** A flow collection's plain scalar runs to the next of these (sticky: `test` moves lastIndex past it). */
const FLOW_PLAIN = /[^,[\]{}]*/y;

/** `out[key] = v` as an own property even for `__proto__`, exactly as the `yaml` package builds it. */
function setOwn(out: Record<string, unknown>, key: string, v: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
  else out[key] = v;
}
