/**
 * A tiny TOML document builder that lays tables out the way cargo-vet's `to_formatted_toml`
 * (toml_edit + its TomlFormatter visitor) does (spec/cargo-vet-format.md §9.2):
 * - a table holding only sub-tables gets no header of its own; an empty table keeps it;
 * - every header is preceded by one blank line; a table's key/values come before its
 *   sub-tables, which follow in insertion order (depth first);
 * - an inline array whose `key = [...]` exceeds 80 characters is exploded one element
 *   per line; a `dependency-criteria` map stays inline up to 120 characters.
 * Strings are built with array joins so the wasmtime-sized files stay fast.
 */
import { quoteTomlKey, quoteTomlString, quoteTomlStringLegacy } from './toml-string.js';

export type TomlScalar = string | number | bigint | boolean;

export type TomlItem =
  | { kind: 'value'; value: TomlScalar | string[]; comment?: string }
  | { kind: 'inline'; entries: Array<[string, string[]]> }
  | { kind: 'table'; table: TomlDoc }
  | { kind: 'array'; tables: TomlDoc[] };

/** An ordered table. */
export class TomlDoc {
  readonly items: Array<[string, TomlItem]> = [];

  set(key: string, value: TomlScalar | string[] | undefined, comment?: string): this {
    if (value !== undefined)
      this.items.push([key, comment === undefined ? { kind: 'value', value } : { kind: 'value', value, comment }]);
    return this;
  }

  /** cargo-vet's string_or_vec: one element is written as a bare string (§2). */
  setList(key: string, list: string[] | undefined, skipEmpty = false): this {
    if (list === undefined || (skipEmpty && list.length === 0)) return this;
    return this.set(key, list.length === 1 ? list[0] : list);
  }

  /** A map of string-or-list values, inline when short enough (dependency-criteria). */
  setInline(key: string, entries: Array<[string, string[]]>): this {
    this.items.push([key, { kind: 'inline', entries }]);
    return this;
  }

  table(key: string): TomlDoc {
    const t = new TomlDoc();
    this.items.push([key, { kind: 'table', table: t }]);
    return t;
  }

  array(key: string, tables: TomlDoc[]): this {
    if (tables.length > 0) this.items.push([key, { kind: 'array', tables }]);
    return this;
  }
}

export interface WriteOptions {
  legacyQuoting?: boolean;
}

const ARRAY_WRAP_THRESHOLD = 80;
const INLINE_TABLE_THRESHOLD = 120;

/** Unicode scalar count, the unit toml_edit's `chars().count()` measures in. */
function charCount(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) n--;
  }
  return n;
}

class Emitter {
  readonly out: string[] = [];
  private readonly quote: (s: string) => string;
  private readonly legacy: boolean;

  constructor(opts: WriteOptions) {
    this.legacy = opts.legacyQuoting === true;
    this.quote = this.legacy ? quoteTomlStringLegacy : quoteTomlString;
  }

  key(k: string): string {
    return quoteTomlKey(k, this.legacy);
  }

  scalar(v: TomlScalar): string {
    return typeof v === 'string' ? this.quote(v) : String(v);
  }

  inlineArray(list: string[]): string {
    return `[${list.map((s) => this.quote(s)).join(', ')}]`;
  }

  listOrString(list: string[]): string {
    return list.length === 1 ? this.quote(list[0]!) : this.inlineArray(list);
  }

  inlineTable(entries: Array<[string, string[]]>): string {
    if (entries.length === 0) return '{}';
    return `{ ${entries.map(([k, v]) => `${this.key(k)} = ${this.listOrString(v)}`).join(', ')} }`;
  }

  value(key: string, v: TomlScalar | string[], comment: string | undefined): void {
    let repr: string;
    if (Array.isArray(v)) {
      repr = this.inlineArray(v);
      if (charCount(key) + charCount(repr) + 3 > ARRAY_WRAP_THRESHOLD) {
        repr = `[\n${v.map((s) => `    ${this.quote(s)},\n`).join('')}]`;
      }
    } else {
      repr = this.scalar(v);
    }
    this.out.push(`${this.key(key)} = ${repr}${comment === undefined ? '' : ` # ${comment}`}\n`);
  }

  /** Emit `doc` at `path`; `arrayElement` selects a `[[header]]`. */
  table(doc: TomlDoc, path: string[], arrayElement: boolean): void {
    const values: Array<[string, TomlItem]> = [];
    const children: Array<[string, TomlItem]> = [];
    for (const entry of doc.items) {
      const [key, item] = entry;
      if (item.kind === 'value') values.push(entry);
      else if (item.kind === 'inline') {
        const repr = this.inlineTable(item.entries);
        if (charCount(key) + charCount(repr) + 3 <= INLINE_TABLE_THRESHOLD) values.push(entry);
        else children.push([key, { kind: 'table', table: inlineToTable(item.entries) }]);
      } else children.push(entry);
    }
    const header = path.map((k) => this.key(k)).join('.');
    if (arrayElement) this.out.push(`\n[[${header}]]\n`);
    else if (path.length > 0 && (values.length > 0 || doc.items.length === 0)) this.out.push(`\n[${header}]\n`);
    for (const [key, item] of values) {
      if (item.kind === 'value') this.value(key, item.value, item.comment);
      else if (item.kind === 'inline') this.out.push(`${this.key(key)} = ${this.inlineTable(item.entries)}\n`);
    }
    for (const [key, item] of children) {
      if (item.kind === 'table') this.table(item.table, [...path, key], false);
      else if (item.kind === 'array') for (const t of item.tables) this.table(t, [...path, key], true);
    }
  }
}

function inlineToTable(entries: Array<[string, string[]]>): TomlDoc {
  const t = new TomlDoc();
  for (const [k, v] of entries) t.setList(k, v);
  return t;
}

/** `header` (e.g. "\n# cargo-vet audits file\n") followed by the laid-out document. */
export function writeToml(doc: TomlDoc, header: string, opts: WriteOptions = {}): string {
  const e = new Emitter(opts);
  e.out.push(header);
  e.table(doc, [], false);
  return e.out.join('');
}
