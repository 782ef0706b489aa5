/**
 * Canonical audits.toml writer (spec/cargo-vet-format.md §4, §9): cargo-vet 0.10.2's bytes,
 * including the ` # Name (login)` comment after each `user-id` for which imports.lock has
 * a publisher row (§9.2). Also used for the per-import copies inside imports.lock.
 */
import type {
  AuditEntry,
  AuditsFile,
  ImportsLockFile,
  PublisherIdentity,
  TrustedEntry,
  WildcardAuditEntry,
} from './model.js';
import { TomlDoc, writeToml, type WriteOptions } from './toml-writer.js';
import {
  auditOrder,
  sorted,
  sortedKeys,
  trustedOrder,
  violationText,
  wildcardOrder,
  type VersionCompare,
} from './sort.js';
import { compareVetVersions } from './vet-version.js';

export const AUDITS_HEADER = '\n# cargo-vet audits file\n';

export interface SerializeOptions extends WriteOptions {
  /** Version order for sorting entries; default: cargo VetVersion (semver) order. */
  compareVersions?: VersionCompare;
}

export interface SerializeAuditsOptions extends SerializeOptions {
  /**
   * Write like `cargo vet aggregate` (§7.9): no header comment, entries in the order given
   * (aggregation appends source after source, it does not sort), and a crate whose entry
   * list is empty kept as `name = []` instead of dropped.
   */
  aggregate?: boolean;
}

/** user id → "Name (login)" or "login", from the first publisher row per id in crate order. */
export type UserInfo = Map<number, string>;

export function userInfoFromLock(lock: ImportsLockFile | undefined): UserInfo {
  const info: UserInfo = new Map();
  if (lock === undefined) return info;
  for (const crate of sortedKeys(lock.publisher)) {
    for (const row of lock.publisher[crate] ?? []) {
      if (row.identity.kind !== 'user-id' || info.has(row.identity.userId) || row.userLogin === undefined) continue;
      info.set(row.identity.userId, row.userName !== undefined ? `${row.userName} (${row.userLogin})` : row.userLogin);
    }
  }
  return info;
}

export function serializeAudits(
  audits: AuditsFile,
  importsLock?: ImportsLockFile,
  opts: SerializeAuditsOptions = {},
): string {
  const doc = new TomlDoc();
  const aggregate = opts.aggregate === true;
  fillAuditsDoc(doc, audits, userInfoFromLock(importsLock), opts.compareVersions ?? compareVetVersions, aggregate);
  return writeToml(doc, aggregate ? '' : AUDITS_HEADER, opts);
}

function hasEntries(m: Record<string, unknown[]>): boolean {
  return Object.values(m).some((l) => l.length > 0);
}

/** Add the criteria / wildcard-audits / audits / trusted tables of `audits` to `doc`. */
export function fillAuditsDoc(
  doc: TomlDoc,
  audits: AuditsFile,
  users: UserInfo,
  v: VersionCompare,
  aggregate = false,
): void {
  const names = sortedKeys(audits.criteria);
  if (names.length > 0) {
    const t = doc.table('criteria');
    for (const name of names) {
      const c = audits.criteria[name]!;
      t.table(name)
        .set('description', c.description)
        .set('description-url', c.descriptionUrl)
        .setList('implies', c.implies, true)
        .setList('aggregated-from', c.aggregatedFrom, true);
    }
  }
  const wildcards = audits.wildcardAudits;
  if (aggregate ? Object.keys(wildcards).length > 0 : hasEntries(wildcards)) {
    perCrate(doc.table('wildcard-audits'), wildcards, aggregate ? undefined : wildcardOrder, (e) =>
      wildcardDoc(e, users),
    );
  }
  perCrate(doc.table('audits'), audits.audits, aggregate ? undefined : auditOrder(v), auditDoc);
  if (aggregate ? Object.keys(audits.trusted).length > 0 : hasEntries(audits.trusted)) {
    perCrate(doc.table('trusted'), audits.trusted, aggregate ? undefined : trustedOrder, (e) => trustedDoc(e, users));
  }
}

/** One `[[table.crate]]` list per crate; `cmp` undefined keeps the given order and empty lists. */
function perCrate<T>(
  t: TomlDoc,
  m: Record<string, T[]>,
  cmp: ((a: T, b: T) => number) | undefined,
  toDoc: (e: T) => TomlDoc,
): void {
  for (const crate of sortedKeys(m)) {
    const list = m[crate] ?? [];
    if (cmp === undefined && list.length === 0) t.set(crate, []);
    else t.array(crate, (cmp === undefined ? list : sorted(list, cmp)).map(toDoc));
  }
}

export function auditDoc(e: AuditEntry): TomlDoc {
  const doc = auditDocBase(e);
  // vet extension (imports.lock): version → SRI digest, versions sorted.
  if (e.digests !== undefined)
    doc.setInline(
      'digests',
      sortedKeys(e.digests).map((v) => [v, [e.digests![v]!]]),
    );
  return doc;
}

function auditDocBase(e: AuditEntry): TomlDoc {
  const d = new TomlDoc().setList('who', e.who, true).setList('criteria', e.criteria);
  if (e.kind === 'full') d.set('version', e.version ?? '');
  else if (e.kind === 'delta') d.set('delta', `${e.delta?.from ?? ''} -> ${e.delta?.to ?? ''}`);
  else d.set('violation', violationText(e.violation ?? ''));
  return d
    .set('importable', e.importable ? undefined : false)
    .set('notes', e.notes)
    .setList('aggregated-from', e.aggregatedFrom, true);
}

/** Identity keys; a registry user id gets its login comment (never in publisher rows). */
export function setIdentity(d: TomlDoc, id: PublisherIdentity, users: UserInfo | undefined): TomlDoc {
  if (id.kind === 'user-id') return d.set('user-id', id.userId, users?.get(id.userId));
  if (id.kind === 'trusted-publisher') return d.set('trusted-publisher', id.trustedPublisher);
  return d.set('user-login', id.userLogin);
}

function wildcardDoc(e: WildcardAuditEntry, users: UserInfo): TomlDoc {
  const d = new TomlDoc().setList('who', e.who, true).setList('criteria', e.criteria);
  return setIdentity(d, e.identity, users)
    .set('start', e.start)
    .set('end', e.end)
    .set('renew', e.renew)
    .set('notes', e.notes)
    .setList('aggregated-from', e.aggregatedFrom, true);
}

function trustedDoc(e: TrustedEntry, users: UserInfo): TomlDoc {
  const d = new TomlDoc().setList('criteria', e.criteria);
  return setIdentity(d, e.identity, users)
    .set('start', e.start)
    .set('end', e.end)
    .set('notes', e.notes)
    .setList('aggregated-from', e.aggregatedFrom, true);
}
