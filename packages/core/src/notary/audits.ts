/**
 * The effective audits of a mirrored notary log as a cargo-vet audits file (foreign
 * criteria names, as the notary's auditors wrote them): every audit and violation of one
 * ecosystem that no revocation withdrew. Identical claims by several auditors become one
 * entry naming them all. Each audit keeps the digests it binds to (imports.lock
 * `digests`), which the resolver compares with the lockfile.
 */
import type { Ecosystem } from '../graph.js';
import {
  SAFE_TO_DEPLOY,
  SAFE_TO_RUN,
  emptyAuditsFile,
  type AuditEntry,
  type AuditsFile,
  type RevokedAuditEntry,
} from '../store/model.js';
import type { NotaryClaimRecord, NotaryMirrorState } from './state.js';

/** `packages`: keep only these package names (the lockfile's); undefined keeps all. */
export function notaryAuditsFile(
  state: Pick<NotaryMirrorState, 'origin' | 'claims'>,
  ecosystem: Ecosystem,
  packages?: ReadonlySet<string>,
): AuditsFile {
  const file = emptyAuditsFile();
  const groups = new Map<string, { entry: AuditEntry; notes: Set<string> }>();
  for (const c of state.claims) {
    if (c.revokedBy !== undefined || c.ecosystem !== ecosystem || (packages !== undefined && !packages.has(c.package)))
      continue;
    for (const criterion of c.criteria) {
      if (criterion !== SAFE_TO_RUN && criterion !== SAFE_TO_DEPLOY && file.criteria[criterion] === undefined) {
        file.criteria[criterion] = {
          description: `criterion offered by notary ${state.origin}`,
          implies: [],
          aggregatedFrom: [],
        };
      }
    }
    const key = claimKey(c);
    const g = groups.get(key);
    if (g) {
      if (!g.entry.who.includes(c.who)) g.entry.who.push(c.who);
      if (c.notes) g.notes.add(c.notes);
      continue;
    }
    const entry = toEntry(c);
    groups.set(key, { entry, notes: new Set(c.notes ? [c.notes] : []) });
    (file.audits[c.package] ??= []).push(entry);
  }
  for (const { entry, notes } of groups.values()) {
    entry.who.sort();
    const text = [...notes].join('\n\n');
    if (text) entry.notes = text;
  }
  return file;
}

function claimKey(c: NotaryClaimRecord): string {
  const digests = Object.entries(c.digests).sort(([a], [b]) => (a < b ? -1 : 1));
  return JSON.stringify([
    c.package,
    c.kind,
    c.version ?? null,
    c.delta ?? null,
    c.violation ?? null,
    c.criteria,
    digests,
  ]);
}

function toEntry(c: NotaryClaimRecord): AuditEntry {
  const e: AuditEntry = { who: [c.who], criteria: [...c.criteria], kind: c.kind, importable: true, aggregatedFrom: [] };
  if (c.kind === 'full') e.version = c.version;
  else if (c.kind === 'delta') e.delta = c.delta;
  else e.violation = c.violation;
  if (c.kind !== 'violation') e.digests = { ...c.digests };
  return e;
}

/**
 * The approvals (full and delta audits) of one ecosystem that the log revoked, one entry per
 * claim with the revocation's index, as an audits file of foreign criteria (translate it like
 * the effective audits). imports.lock keeps them so a failing check can name the revocation.
 */
export function notaryRevokedAudits(
  state: Pick<NotaryMirrorState, 'origin' | 'claims'>,
  ecosystem: Ecosystem,
  packages?: ReadonlySet<string>,
): AuditsFile {
  const file = emptyAuditsFile();
  file.audits = Object.create(null) as Record<string, AuditEntry[]>;
  for (const c of state.claims) {
    if (c.revokedBy === undefined || c.kind === 'violation' || c.ecosystem !== ecosystem) continue;
    if (packages !== undefined && !packages.has(c.package)) continue;
    const entry: RevokedAuditEntry = { ...toEntry(c), revokedBy: c.revokedBy };
    if (c.notes !== undefined) entry.notes = c.notes;
    (file.audits[c.package] ??= []).push(entry);
    for (const criterion of c.criteria)
      if (criterion !== SAFE_TO_RUN && criterion !== SAFE_TO_DEPLOY)
        file.criteria[criterion] ??= {
          description: `criterion offered by notary ${state.origin}`,
          implies: [],
          aggregatedFrom: [],
        };
  }
  return file;
}
