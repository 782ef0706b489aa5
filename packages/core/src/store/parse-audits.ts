/**
 * audits.toml (spec/cargo-vet-format.md §4), and the same shape inside imports.lock (§5.3).
 * Local files are strict: unknown keys in criteria and audit entries are errors, like
 * cargo-vet's `deny_unknown_fields`. Foreign (imported) files are lenient: an entry that
 * does not parse is dropped with a warning and the rest is kept (§12, §14.17).
 */
import type { AuditEntry, AuditsFile, CriteriaEntry, TrustedEntry, WildcardAuditEntry } from './model.js';
import {
  EntryReader,
  FileContext,
  arrayOfTables,
  parseTomlText,
  tableOf,
  type ParseOptions,
  type TomlTable,
} from './parse-common.js';
import { dict } from '../dict.js';

export interface ParseAuditsOptions extends ParseOptions {
  /** An imported peer's file: drop bad entries with a warning instead of failing. */
  foreign?: boolean;
}

const AUDITS_KEYS = ['criteria', 'wildcard-audits', 'audits', 'trusted'] as const;
const CRITERIA_KEYS = ['description', 'description-url', 'implies', 'aggregated-from'] as const;
const AUDIT_KEYS = [
  'who',
  'criteria',
  'version',
  'delta',
  'violation',
  'importable',
  'notes',
  'aggregated-from',
] as const;
// vet extension: notary approvals in imports.lock carry the digests they bind to.
const LOCK_AUDIT_KEYS = [...AUDIT_KEYS, 'digests'] as const;
const IDENTITY_KEYS = ['user-id', 'trusted-publisher', 'user-login'] as const;
const WILDCARD_KEYS = [
  'who',
  'criteria',
  ...IDENTITY_KEYS,
  'start',
  'end',
  'renew',
  'notes',
  'aggregated-from',
] as const;
const TRUSTED_KEYS = ['criteria', ...IDENTITY_KEYS, 'start', 'end', 'notes', 'aggregated-from'] as const;

export function parseAudits(text: string, fileName: string, opts: ParseAuditsOptions = {}): AuditsFile {
  const ctx = new FileContext(fileName, text, opts);
  const doc = parseTomlText(text, fileName);
  const foreign = opts.foreign === true;
  if (doc['audits'] === undefined && !foreign)
    ctx.problem('missing field `audits` (an audits file needs an [audits] table)', undefined);
  const result = readAuditsTable(ctx, doc, [], foreign);
  ctx.finish();
  return result;
}

/** Read an audits-file-shaped table at `base` ([] for audits.toml, ['audits', name] in imports.lock). */
export function readAuditsTable(ctx: FileContext, doc: TomlTable, base: string[], foreign: boolean): AuditsFile {
  if (!foreign) {
    new EntryReader(ctx, doc, base, undefined, base.length === 0 ? 'audits file' : `[${base.join('.')}]`).unknownKeys(
      AUDITS_KEYS,
      'record',
    );
  }
  return {
    criteria: readCriteria(ctx, tableOf(ctx, doc['criteria'], [...base, 'criteria']), [...base, 'criteria'], foreign),
    wildcardAudits: readPerCrate(
      ctx,
      doc['wildcard-audits'],
      [...base, 'wildcard-audits'],
      'wildcard audit',
      foreign,
      readWildcard,
    ),
    audits: readPerCrate(ctx, doc['audits'], [...base, 'audits'], 'audit', foreign, (r) =>
      readAudit(r, base.length > 0),
    ),
    trusted: readPerCrate(ctx, doc['trusted'], [...base, 'trusted'], 'trusted entry', foreign, readTrusted),
  };
}

function readCriteria(
  ctx: FileContext,
  t: TomlTable | undefined,
  path: string[],
  foreign: boolean,
): Record<string, CriteriaEntry> {
  const out = dict<CriteriaEntry>();
  for (const [name, v] of Object.entries(t ?? {})) {
    const r = new EntryReader(ctx, isTableLike(v) ? v : {}, [...path, name], undefined, `criteria \`${name}\``);
    if (!isTableLike(v)) r.fail('must be a table');
    const e: CriteriaEntry = { implies: r.list('implies') ?? [], aggregatedFrom: r.list('aggregated-from') ?? [] };
    const description = r.str('description');
    const descriptionUrl = r.str('description-url');
    if (description !== undefined) e.description = description;
    if (descriptionUrl !== undefined) e.descriptionUrl = descriptionUrl;
    r.unknownKeys(CRITERIA_KEYS, 'error');
    if (r.flush(foreign)) {
      r.remember(e);
      out[name] = e;
    }
  }
  return out;
}

function isTableLike(v: unknown): v is TomlTable {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function readPerCrate<T extends object>(
  ctx: FileContext,
  v: unknown,
  path: string[],
  what: string,
  foreign: boolean,
  readOne: (r: EntryReader, foreign: boolean) => T,
): Record<string, T[]> {
  const out = dict<T[]>();
  const t = tableOf(ctx, v, path);
  for (const [crate, list] of Object.entries(t ?? {})) {
    const readers = arrayOfTables(ctx, list, [...path, crate], `${what} for \`${crate}\``);
    if (readers === undefined) continue;
    const entries: T[] = [];
    for (const r of readers) {
      const e = readOne(r, foreign);
      if (r.flush(foreign)) {
        r.remember(e);
        entries.push(e);
      }
    }
    out[crate] = entries;
  }
  return out;
}

/** An imports.lock audit entry that may carry vet's `extraKeys` too (e.g. `revoked-by`). */
export function readLockAuditEntry(r: EntryReader, extraKeys: readonly string[]): AuditEntry {
  return readAudit(r, true, extraKeys);
}

function readAudit(r: EntryReader, inLock = false, extraKeys: readonly string[] = []): AuditEntry {
  const e: AuditEntry = {
    who: r.list('who') ?? [],
    criteria: r.list('criteria') ?? [],
    kind: 'full',
    importable: r.bool('importable') ?? true,
    aggregatedFrom: r.list('aggregated-from') ?? [],
  };
  const version = r.str('version');
  const delta = r.str('delta');
  const violation = r.str('violation');
  const set = [version, delta, violation].filter((x) => x !== undefined).length;
  if (set !== 1) r.fail("audit entries must have exactly one of 'version', 'delta', and 'violation'");
  if (version !== undefined) e.version = version;
  if (delta !== undefined) {
    const arrow = delta.indexOf('->');
    if (arrow < 0) r.fail(`'delta' must be a delta of the form 'VERSION -> VERSION', got "${delta}"`, 'delta');
    e.kind = 'delta';
    e.delta = { from: delta.slice(0, Math.max(arrow, 0)).trim(), to: delta.slice(arrow + 2).trim() };
  }
  if (violation !== undefined) {
    e.kind = 'violation';
    e.violation = violation;
  }
  const notes = r.str('notes');
  if (notes !== undefined) e.notes = notes;
  if (inLock) readDigests(r, e);
  r.unknownKeys([...(inLock ? LOCK_AUDIT_KEYS : AUDIT_KEYS), ...extraKeys], 'error');
  return e;
}

/** `digests = { "1.0.0" = "sha512-…" }`: one SRI string per version. */
function readDigests(r: EntryReader, e: AuditEntry): void {
  const map = r.listMap('digests');
  if (map === undefined) return;
  e.digests = dict();
  for (const [version, list] of Object.entries(map)) {
    if (list.length !== 1) r.fail(`\`digests.${version}\` must be one digest string`, 'digests');
    else e.digests[version] = list[0]!;
  }
}

function readWildcard(r: EntryReader, foreign: boolean): WildcardAuditEntry {
  const criteria = r.list('criteria');
  if (criteria === undefined) r.fail('missing field `criteria`');
  const e: WildcardAuditEntry = {
    who: r.list('who') ?? [],
    criteria: criteria ?? [],
    identity: r.identity() ?? { kind: 'user-id', userId: 0 },
    start: r.date('start'),
    end: r.date('end'),
    aggregatedFrom: r.list('aggregated-from') ?? [],
  };
  const renew = r.bool('renew');
  if (renew !== undefined) e.renew = renew;
  const notes = r.str('notes');
  if (notes !== undefined) e.notes = notes;
  checkOneIdentity(r);
  if (!foreign) r.unknownKeys(WILDCARD_KEYS, 'record');
  return e;
}

function readTrusted(r: EntryReader, foreign: boolean): TrustedEntry {
  const criteria = r.list('criteria');
  if (criteria === undefined) r.fail('missing field `criteria`');
  const e: TrustedEntry = {
    criteria: criteria ?? [],
    identity: r.identity() ?? { kind: 'user-id', userId: 0 },
    start: r.date('start'),
    end: r.date('end'),
    aggregatedFrom: r.list('aggregated-from') ?? [],
  };
  const notes = r.str('notes');
  if (notes !== undefined) e.notes = notes;
  checkOneIdentity(r);
  if (!foreign) r.unknownKeys(TRUSTED_KEYS, 'record');
  return e;
}

/** Two identities in one entry would silently lose one on the next write. */
function checkOneIdentity(r: EntryReader): void {
  const present = IDENTITY_KEYS.filter((k) => r.obj[k] !== undefined);
  if (present.length > 1) r.fail(`only one of ${present.map((k) => `\`${k}\``).join(', ')} may be given`);
}
