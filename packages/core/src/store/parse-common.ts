/**
 * Shared machinery of the three store parsers: TOML syntax errors as PARSE_ERROR with a
 * 1-based line, typed field readers that record every schema problem with its line
 * (STYLE §8) instead of stopping at the first, and a side table remembering where each
 * parsed entry came from so later validation can point at it too.
 */
import { parseToml } from '../toml-parse.js';
import { VetValidationError, type Problem } from '../errors.js';
import type { PublisherIdentity } from './model.js';
import { LineIndex } from './locate.js';
import { dict } from '../dict.js';

export type TomlTable = Record<string, unknown>;

/** Something a parser dropped or ignored; never fatal. */
export interface StoreWarning {
  kind: 'unknown-key' | 'entry-dropped';
  file: string;
  line?: number;
  message: string;
}

export interface ParseOptions {
  /** Collects warnings (unknown keys that will not be written back, dropped foreign entries). */
  warnings?: StoreWarning[];
}

export interface SourceLocation {
  file: string;
  line?: number;
}

// Computed on demand: finding lines means scanning the text, which only errors need.
const locations = new WeakMap<object, () => SourceLocation>();

/** Where a parsed entry object (audit, exemption, policy, …) was written, when known. */
export function sourceLocationOf(entry: object): SourceLocation | undefined {
  return locations.get(entry)?.();
}

export function rememberLocation(entry: object, loc: () => SourceLocation): void {
  locations.set(entry, loc);
}

/** Every TOML file of core goes through `parseToml` (smol-toml; see toml-parse.ts for why). */
export function parseTomlText(text: string, file: string): TomlTable {
  return parseToml(text, file);
}

export function isTable(v: unknown): v is TomlTable {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/** Per-file parse state: the file name, its line index and the problems found so far. */
export class FileContext {
  readonly problems: Problem[] = [];
  private index: LineIndex | undefined;

  constructor(
    readonly file: string,
    private readonly text: string,
    readonly opts: ParseOptions,
  ) {}

  get loc(): LineIndex {
    this.index ??= new LineIndex(this.text);
    return this.index;
  }

  problem(message: string, line: number | undefined): void {
    this.problems.push(line === undefined ? { file: this.file, message } : { file: this.file, line, message });
  }

  warn(kind: StoreWarning['kind'], message: string, line: number | undefined): void {
    this.opts.warnings?.push(
      line === undefined ? { kind, file: this.file, message } : { kind, file: this.file, line, message },
    );
  }

  /** Throw every collected problem at once, as INVALID_STORE. */
  finish(): void {
    if (this.problems.length > 0) throw new VetValidationError('INVALID_STORE', this.problems, { file: this.file });
  }
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isValidDate(s: string): boolean {
  const m = DATE.exec(s);
  if (m === null) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/**
 * Reads typed fields of one table (an entry) and records problems against it. `path` and
 * `index` locate the table (`index` = position in an array of tables).
 */
export class EntryReader {
  // Made on the first problem: a store has thousands of entries and nearly all are fine.
  private problems: string[] | undefined;
  private lines: Array<number | undefined> | undefined;

  /** `what` names the entry; an element of an array of tables (`index` set) gets ` #n` after it. */
  constructor(
    private readonly ctx: FileContext,
    readonly obj: TomlTable,
    readonly path: string[],
    readonly index: number | undefined,
    private readonly label: string,
  ) {}

  /** What the entry is, for messages ("exemption for `x` #2"). */
  get what(): string {
    return this.index === undefined ? this.label : `${this.label} #${this.index + 1}`;
  }

  get line(): number | undefined {
    return tableLine(this.ctx, this.path, this.index);
  }

  keyLine(key: string): number | undefined {
    return this.ctx.loc.key(this.path, key, this.index ?? 0);
  }

  fail(message: string, key?: string): void {
    (this.problems ??= []).push(message);
    (this.lines ??= []).push(key === undefined ? this.line : this.keyLine(key));
  }

  /** Report the problems (local) or drop the entry with a warning (foreign). */
  flush(foreign: boolean): boolean {
    const { problems, lines } = this;
    if (problems === undefined || lines === undefined) return true;
    if (foreign) {
      this.ctx.warn('entry-dropped', `ignoring ${this.what}: ${problems.join('; ')}`, this.line);
    } else {
      problems.forEach((p, i) => this.ctx.problem(`${this.what}: ${p}`, lines[i]));
    }
    return false;
  }

  str(key: string, required = false): string | undefined {
    const v = this.obj[key];
    if (v === undefined) {
      if (required) this.fail(`missing field \`${key}\``);
      return undefined;
    }
    if (typeof v !== 'string') {
      this.fail(`\`${key}\` must be a string`, key);
      return undefined;
    }
    return v;
  }

  date(key: string): string {
    const v = this.str(key, true);
    if (v !== undefined && !isValidDate(v)) this.fail(`\`${key}\` must be a date string "YYYY-MM-DD", got "${v}"`, key);
    return v ?? '';
  }

  bool(key: string): boolean | undefined {
    const v = this.obj[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'boolean') {
      this.fail(`\`${key}\` must be true or false`, key);
      return undefined;
    }
    return v;
  }

  int(key: string, required = false): number | undefined {
    const v = this.obj[key];
    if (v === undefined) {
      if (required) this.fail(`missing field \`${key}\``);
      return undefined;
    }
    const n = typeof v === 'bigint' ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
      this.fail(`\`${key}\` must be a non-negative integer`, key);
      return undefined;
    }
    return n;
  }

  /** A string or an array of strings (§2); absent ⇒ undefined. */
  list(key: string): string[] | undefined {
    return this.listValue(this.obj[key], key, key);
  }

  listValue(v: unknown, key: string, label: string): string[] | undefined {
    if (v === undefined) return undefined;
    if (typeof v === 'string') return [v];
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v;
    this.fail(`\`${label}\` must be a string or a list of strings`, key);
    return undefined;
  }

  /** A table of string-or-list values (dependency-criteria, criteria-map). */
  listMap(key: string): Record<string, string[]> | undefined {
    const v = this.obj[key];
    if (v === undefined) return undefined;
    if (!isTable(v)) {
      this.fail(`\`${key}\` must be a table`, key);
      return undefined;
    }
    const out = dict<string[]>();
    for (const [k, x] of Object.entries(v)) {
      const l = this.listValue(x, key, `${key}.${k}`);
      if (l !== undefined) out[k] = l;
    }
    return out;
  }

  /** Keys outside `allowed`: an error (deny_unknown_fields) or a recorded warning. */
  unknownKeys(allowed: readonly string[], mode: 'error' | 'record'): void {
    for (const k of Object.keys(this.obj)) {
      if (allowed.includes(k)) continue;
      if (mode === 'error')
        this.fail(`unknown field \`${k}\` (expected one of ${allowed.map((a) => `\`${a}\``).join(', ')})`, k);
      else
        this.ctx.warn(
          'unknown-key',
          `unknown key \`${k}\` in ${this.what} is ignored and will be dropped on the next write`,
          this.keyLine(k),
        );
    }
  }

  /** `user-id` | `trusted-publisher` | `user-login` (vet extension for npm/PyPI). */
  identity(): PublisherIdentity | undefined {
    const present = ['user-id', 'trusted-publisher', 'user-login'].filter((k) => this.obj[k] !== undefined);
    if (present.includes('user-id')) {
      const userId = this.int('user-id');
      return userId === undefined ? undefined : { kind: 'user-id', userId };
    }
    if (present.includes('trusted-publisher')) {
      const tp = this.str('trusted-publisher');
      return tp === undefined ? undefined : { kind: 'trusted-publisher', trustedPublisher: tp };
    }
    if (present.includes('user-login')) {
      const login = this.str('user-login');
      return login === undefined ? undefined : { kind: 'user-login', userLogin: login };
    }
    this.fail('missing publisher identity (`user-id`, `trusted-publisher` or `user-login`)');
    return undefined;
  }

  remember(entry: object): void {
    // The closure holds what finds the line, not the reader: the reader and its parsed TOML
    // table can then be collected once read (a store keeps thousands of entries for the run).
    const { ctx, path, index } = this;
    rememberLocation(entry, () => {
      const line = tableLine(ctx, path, index);
      return line === undefined ? { file: ctx.file } : { file: ctx.file, line };
    });
  }
}

/** The line of the table at `path` (element `index` of an array of tables), when found. */
function tableLine(ctx: FileContext, path: string[], index: number | undefined): number | undefined {
  return ctx.loc.table(path, index ?? 0) ?? ctx.loc.key(path.slice(0, -1), path[path.length - 1]!);
}

/** Every element of an array of tables at `path`, each with its reader. */
export function arrayOfTables(ctx: FileContext, v: unknown, path: string[], what: string): EntryReader[] | undefined {
  if (!Array.isArray(v) || !v.every(isTable)) {
    ctx.problem(
      `\`${path.join('.')}\` must be an array of tables ([[${path.join('.')}]])`,
      ctx.loc.table(path) ?? ctx.loc.key(path.slice(0, -1), path[path.length - 1]!),
    );
    return undefined;
  }
  return v.map((obj, i) => new EntryReader(ctx, obj, path, i, what));
}

/** A table whose values are all tables (e.g. `[criteria.*]`, `[imports.*]`). */
export function tableOf(ctx: FileContext, v: unknown, path: string[]): TomlTable | undefined {
  if (v === undefined) return undefined;
  if (!isTable(v)) {
    ctx.problem(`\`${path.join('.')}\` must be a table`, ctx.loc.key(path.slice(0, -1), path[path.length - 1]!));
    return undefined;
  }
  return v;
}
