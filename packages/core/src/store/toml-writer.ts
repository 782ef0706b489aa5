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

  /**
   * Emit `doc` under `header` (its quoted dotted path; undefined at the root), as a
   * `[[header]]` when `arrayElement`. The header is quoted once per table or array, not once
   * per element: a store has thousands of `[[exemptions.X]]` elements.
   */
  table(doc: TomlDoc, header: string | undefined, arrayElement: boolean): void {
    if (doc.items.every(isValue)) {
      // Only key/values (every exemption and audit entry): no split into values and children.
      this.header(header, arrayElement, true);
      for (const [key, item] of doc.items) this.value(key, item.value, item.comment);
      return;
    }
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
    this.header(header, arrayElement, values.length > 0 || doc.items.length === 0);
    for (const [key, item] of values) {
      if (item.kind === 'value') this.value(key, item.value, item.comment);
      else if (item.kind === 'inline') this.out.push(`${this.key(key)} = ${this.inlineTable(item.entries)}\n`);
    }
    for (const [key, item] of children) {
      const sub = header === undefined ? this.key(key) : `${header}.${this.key(key)}`;
      if (item.kind === 'table') this.table(item.table, sub, false);
      else if (item.kind === 'array') for (const t of item.tables) this.table(t, sub, true);
    }
  }

  /** `[[header]]` for an array element; `[header]` for a table that shows (has values or is empty). */
  private header(header: string | undefined, arrayElement: boolean, shows: boolean): void {
    if (arrayElement) this.out.push(`\n[[${header}]]\n`);
    else if (header !== undefined && shows) this.out.push(`\n[${header}]\n`);
  }
}

function isValue(entry: [string, TomlItem]): entry is [string, Extract<TomlItem, { kind: 'value' }>] {
  return entry[1].kind === 'value';
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
  e.table(doc, undefined, false);
  return e.out.join('');
}
