/**
 * Effective approvals derived from the log: revoked entries drop out, and with a quorum k
 * an audit is published only once k distinct auditors attested the same claim (same
 * package, version or delta, artifact digests and criteria). Violations are negative
 * signals and are published at once — a quorum must never hide one.
 */
import type { AuditClaim, LogEntryInfo, ViolationClaim } from '../entries/model.js';
import type { NotaryState } from '../entries/state.js';

export interface PublishedAudit {
  kind: 'full' | 'delta' | 'violation';
  package: string;
  version?: string;
  delta?: { from: string; to: string };
  violation?: string;
  criteria: string[];
  who: string[];
  notes?: string;
  /** Log indexes of the attestations behind this row. */
  entries: number[];
}

function claimKey(c: AuditClaim): string {
  const digests = Object.entries(c.digests).sort(([a], [b]) => (a < b ? -1 : 1));
  return JSON.stringify([c.auditKind, c.version, c.from ?? null, digests, c.criteria]);
}

/** Approvals for every package of one ecosystem, grouped by package name. */
export function publishedAudits(state: NotaryState, ecosystem: string, quorum: number): Map<string, PublishedAudit[]> {
  const out = new Map<string, PublishedAudit[]>();
  for (const [key, indexes] of state.byPackage) {
    if (!key.startsWith(`${ecosystem}/`)) continue;
    const rows = packageRows(state, indexes, quorum);
    if (rows.length > 0) out.set(key.slice(ecosystem.length + 1), rows);
  }
  return out;
}

export function packageRows(state: NotaryState, indexes: readonly number[], quorum: number): PublishedAudit[] {
  const groups = new Map<string, { claim: AuditClaim; infos: LogEntryInfo[] }>();
  const rows: PublishedAudit[] = [];
  for (const i of indexes) {
    if (state.revoked.has(i)) continue;
    const info = state.entries[i];
    if (info === undefined) continue;
    const c = info.claim;
    if (c.type === 'violation') rows.push(violationRow(c, info.index));
    if (c.type !== 'audit') continue;
    const k = claimKey(c);
    const g = groups.get(k);
    if (g) g.infos.push(info);
    else groups.set(k, { claim: c, infos: [info] });
  }
  for (const { claim, infos } of groups.values()) {
    // Distinct auditors are distinct key ids: two auditors who share a name both count.
    const auditors = new Set(infos.map((i) => i.signer));
    if (auditors.size < quorum) continue;
    rows.push(auditRow(claim, infos));
  }
  return rows.sort(compareRows);
}

function auditRow(c: AuditClaim, infos: LogEntryInfo[]): PublishedAudit {
  const claims = infos.map((i) => i.claim as AuditClaim);
  const notes = [...new Set(claims.map((x) => x.notes).filter((n): n is string => n !== undefined && n.length > 0))];
  const row: PublishedAudit = {
    kind: c.auditKind,
    package: c.package,
    criteria: c.criteria,
    who: [...new Set(claims.map((x) => x.who))].sort(),
    entries: infos.map((i) => i.index),
  };
  if (c.auditKind === 'delta' && c.from !== undefined) row.delta = { from: c.from, to: c.version };
  else row.version = c.version;
  if (notes.length > 0) row.notes = notes.join('\n\n');
  return row;
}

function violationRow(c: ViolationClaim, index: number): PublishedAudit {
  return {
    kind: 'violation',
    package: c.package,
    violation: c.violation,
    criteria: c.criteria,
    who: [c.who],
    ...(c.notes && { notes: c.notes }),
    entries: [index],
  };
}

const KIND_ORDER = { full: 0, delta: 1, violation: 2 };
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** cargo-vet's order (spec/cargo-vet-format.md §9.3): kind, versions, criteria, who, notes. */
function compareRows(a: PublishedAudit, b: PublishedAudit): number {
  return (
    KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
    cmp(a.version ?? a.delta?.from ?? a.violation ?? '', b.version ?? b.delta?.from ?? b.violation ?? '') ||
    cmp(a.delta?.to ?? '', b.delta?.to ?? '') ||
    cmp(a.criteria.join(','), b.criteria.join(',')) ||
    cmp(a.who.join(','), b.who.join(',')) ||
    cmp(a.notes ?? '', b.notes ?? '')
  );
}
