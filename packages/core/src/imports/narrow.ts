/**
 * What a failing unlocked `check` keeps of a refresh. cargo-vet saves imports only when the
 * check passes; vet also records, on failure, every change that narrows trust — an approval
 * the peer or notary no longer offers (revoked or withdrawn), a new violation, the notary's
 * revocations and its newest verified checkpoint — so the next `check --locked` fails too.
 * Nothing that widens trust (a new approval) is kept before a check passes with it.
 */
import type { AuditEntry, AuditsFile, ImportsLockFile, TrustedEntry, WildcardAuditEntry } from '../store/model.js';
import { cloneData } from '../dict.js';

const has = (o: object, k: string): boolean => Object.hasOwn(o, k);
/** Set an own property whatever the key (`__proto__` included) on a plain object. */
const setOwn = <T>(o: Record<string, T>, k: string, v: T): void =>
  void Object.defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true });
/** Keyed by package names: any string, `__proto__` included. */
const record = <T>(): Record<string, T> => Object.create(null) as Record<string, T>;
const sortedEntries = (o: Record<string, string> | undefined) =>
  Object.entries(o ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/** What an approval says, whoever said it (merged notary entries list several auditors). */
function auditKey(e: AuditEntry): string {
  return JSON.stringify([
    e.kind,
    e.version ?? null,
    e.delta ?? null,
    e.violation ?? null,
    [...e.criteria].sort(),
    sortedEntries(e.digests),
  ]);
}

function grantKey(e: WildcardAuditEntry | TrustedEntry): string {
  return JSON.stringify([e.identity, e.start, e.end, [...e.criteria].sort()]);
}

export function narrowImportsLock(saved: ImportsLockFile, fresh: ImportsLockFile): ImportsLockFile {
  const out = cloneData(saved);
  for (const name of Object.keys(out.audits)) {
    if (!has(fresh.audits, name)) delete out.audits[name];
    else setOwn(out.audits, name, narrowAuditsFile(out.audits[name]!, fresh.audits[name]!));
  }
  for (const name of Object.keys(fresh.audits)) {
    if (has(out.audits, name)) continue;
    const violations = violationsOnly(fresh.audits[name]!);
    if (Object.keys(violations.audits).length > 0) setOwn(out.audits, name, violations);
  }
  if (fresh.revoked !== undefined) out.revoked = cloneData(fresh.revoked);
  else delete out.revoked;
  if (fresh.notaryCheckpoints !== undefined) out.notaryCheckpoints = { ...fresh.notaryCheckpoints };
  return out;
}

function narrowAuditsFile(saved: AuditsFile, fresh: AuditsFile): AuditsFile {
  const out: AuditsFile = {
    criteria: { ...fresh.criteria, ...saved.criteria },
    wildcardAudits: keepGranted(saved.wildcardAudits, fresh.wildcardAudits),
    trusted: keepGranted(saved.trusted, fresh.trusted),
    audits: record(),
  };
  const names = new Set([...Object.keys(saved.audits), ...Object.keys(fresh.audits)]);
  for (const pkg of names) {
    const list = narrowAudits(
      has(saved.audits, pkg) ? saved.audits[pkg]! : [],
      has(fresh.audits, pkg) ? fresh.audits[pkg]! : [],
    );
    if (list.length > 0) out.audits[pkg] = list;
  }
  return out;
}

/** Saved approvals still offered (by the auditors still offering them), every violation old or new. */
function narrowAudits(saved: AuditEntry[], fresh: AuditEntry[]): AuditEntry[] {
  const offered = new Map(fresh.map((e) => [auditKey(e), e]));
  const kept: AuditEntry[] = [];
  for (const e of saved) {
    if (e.kind === 'violation') kept.push(e);
    else {
      const now = offered.get(auditKey(e));
      if (now === undefined) continue;
      const who = e.who.filter((w) => now.who.includes(w));
      kept.push({ ...e, who: who.length > 0 ? who : [...now.who] });
    }
  }
  const known = new Set(saved.map(auditKey));
  for (const e of fresh) if (e.kind === 'violation' && !known.has(auditKey(e))) kept.push(e);
  return kept;
}

function keepGranted<T extends WildcardAuditEntry | TrustedEntry>(
  saved: Record<string, T[]>,
  fresh: Record<string, T[]>,
): Record<string, T[]> {
  const out = record<T[]>();
  for (const [pkg, list] of Object.entries(saved)) {
    const offered = new Set((has(fresh, pkg) ? fresh[pkg]! : []).map(grantKey));
    const kept = list.filter((e) => offered.has(grantKey(e)));
    if (kept.length > 0) out[pkg] = kept;
  }
  return out;
}

function violationsOnly(file: AuditsFile): AuditsFile {
  const audits = record<AuditEntry[]>();
  for (const [pkg, list] of Object.entries(file.audits)) {
    const v = list.filter((e) => e.kind === 'violation');
    if (v.length > 0) audits[pkg] = v;
  }
  return { criteria: { ...file.criteria }, wildcardAudits: {}, trusted: {}, audits };
}
