/**
 * What the vetted-only registry views serve (issue 14): the releases of one package that are
 * approved for one criterion *now* — effective approvals only (revoked entries and
 * attestations short of the quorum drop out, as in feeds: feed/approvals.ts), full audits
 * plus delta audits chained from an approved version, minus any version a violation names —
 * and whose artifact is in the archive, so whatever a view lists can be installed.
 * Computed per request from the in-memory state: a revocation shows at the next request.
 */
import { versionSchemeFor } from '@vet/core';
import type { Archiver } from '../archive/archiver.js';
import type { ArtifactMeta } from '../archive/store.js';
import type { AuditClaim, Ecosystem } from '../entries/model.js';
import { NotaryState } from '../entries/state.js';
import { packageRows, type PublishedAudit } from '../feed/approvals.js';

export interface ApprovedRelease {
  version: string;
  /** The approval's SRI digest. */
  digest: string;
  artifact: ArtifactMeta;
}

export interface ViewContext {
  state: NotaryState;
  archiver: Archiver;
  quorum: number;
  /** Where an archived artifact's bytes are. */
  path(meta: ArtifactMeta): string;
}

/** cargo-vet's built-in implication: safe-to-deploy implies safe-to-run. */
export function coversCriterion(rowCriteria: readonly string[], wanted: string): boolean {
  return rowCriteria.includes(wanted) || (wanted === 'safe-to-run' && rowCriteria.includes('safe-to-deploy'));
}

export function approvedReleases(
  ctx: ViewContext,
  ecosystem: Ecosystem,
  pkg: string,
  criterion: string,
): ApprovedRelease[] {
  const rows = packageRows(
    ctx.state,
    ctx.state.byPackage.get(NotaryState.packageKey(ecosystem, pkg)) ?? [],
    ctx.quorum,
  );
  const approved = new Map<string, string>();
  const digestOf = (row: PublishedAudit, v: string) =>
    (ctx.state.entries[row.entries[0]!]?.claim as AuditClaim | undefined)?.digests[v];
  for (const row of rows) {
    if (row.kind !== 'full' || row.version === undefined || !coversCriterion(row.criteria, criterion)) continue;
    const d = digestOf(row, row.version);
    if (d !== undefined) approved.set(row.version, d);
  }
  addDeltaChains(rows, approved, criterion, digestOf);
  const scheme = versionSchemeFor(ecosystem);
  // Stricter than cargo-vet on purpose: a violation of any criterion withholds the version.
  for (const row of rows)
    if (row.kind === 'violation' && row.violation !== undefined)
      for (const v of [...approved.keys()]) if (scheme.satisfies(v, row.violation)) approved.delete(v);
  const out: ApprovedRelease[] = [];
  for (const [version, digest] of approved) {
    const artifact = ctx.archiver.archived(digest);
    if (artifact !== undefined) out.push({ version, digest, artifact });
  }
  return out.sort((a, b) => scheme.compare(a.version, b.version));
}

function addDeltaChains(
  rows: readonly PublishedAudit[],
  approved: Map<string, string>,
  criterion: string,
  digestOf: (row: PublishedAudit, v: string) => string | undefined,
): void {
  const deltas = rows.filter((r) => r.kind === 'delta' && r.delta && coversCriterion(r.criteria, criterion));
  for (let changed = true; changed;) {
    changed = false;
    for (const r of deltas) {
      const { from, to } = r.delta!;
      const d = digestOf(r, to);
      if (approved.has(from) && !approved.has(to) && d !== undefined) {
        approved.set(to, d);
        changed = true;
      }
    }
  }
}
