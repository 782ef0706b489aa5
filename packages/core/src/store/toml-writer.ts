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

/** One key of a table and what it holds (one object per key: a store has tens of thousands). */
export type TomlItem =
  | { kind: 'value'; key: string; value: TomlScalar | string[]; comment?: string }
  | { kind: 'inline'; key: string; entries: Array<[string, string[]]> }
  | { kind: 'table'; key: string; table: TomlDoc }
  | { kind: 'array'; key: string; tables: TomlDoc[] };

type ValueItem = Extract<TomlItem, { kind: 'value' }>;

/** An ordered table. */
export class TomlDoc {
  readonly items: TomlItem[] = [];

  set(key: string, value: TomlScalar | string[] | undefined, comment?: string): this {
    if (value !== undefined)
      this.items.push(comment === undefined ? { kind: 'value', key, value } : { kind: 'value', key, value, comment });
    return this;
  }

  /** cargo-vet's string_or_vec: one element is written as a bare string (§2). */
  setList(key: string, list: string[] | undefined, skipEmpty = false): this {
    if (list === undefined || (skipEmpty && list.length === 0)) return this;
    return this.set(key, list.length === 1 ? list[0] : list);
  }

  /** A map of string-or-list values, inline when short enough (dependency-criteria). */
  setInline(key: string, entries: Array<[string, string[]]>): this {
    this.items.push({ kind: 'inline', key, entries });
    return this;
  }

  table(key: string): TomlDoc {
    const t = new TomlDoc();
    this.items.push({ kind: 'table', key, table: t });
    return t;
  }

  array(key: string, tables: TomlDoc[]): this {
    if (tables.length > 0) this.items.push({ kind: 'array', key, tables });
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
      for (const item of doc.items) this.value(item.key, item.value, item.comment);
      return;
    }
    const values: TomlItem[] = [];
    const children: TomlItem[] = [];
    for (const item of doc.items) {
      if (item.kind === 'value') values.push(item);
      else if (item.kind === 'inline') {
        const repr = this.inlineTable(item.entries);
        if (charCount(item.key) + charCount(repr) + 3 <= INLINE_TABLE_THRESHOLD) values.push(item);
        else children.push({ kind: 'table', key: item.key, table: inlineToTable(item.entries) });
      } else children.push(item);
    }
    this.header(header, arrayElement, values.length > 0 || doc.items.length === 0);
    for (const item of values) {
      if (item.kind === 'value') this.value(item.key, item.value, item.comment);
      else if (item.kind === 'inline') this.out.push(`${this.key(item.key)} = ${this.inlineTable(item.entries)}\n`);
    }
    for (const item of children) {
      const sub = header === undefined ? this.key(item.key) : `${header}.${this.key(item.key)}`;
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

function isValue(item: TomlItem): item is ValueItem {
  return item.kind === 'value';
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
