/**
 * Why an approval no longer counts: for each package that fails vetting, the imported
 * approvals of that version that its notary's log revoked (imports.lock `[[revoked…]]`),
 * so the failure names the revocation instead of only the missing criteria.
 */
import type { RevokedAuditEntry } from '../store/model.js';
import { canonicalVersion } from '../resolver/scheme-ext.js';
import type { ResolveReport } from '../resolver/types.js';
import type { RevokedApprovalNote } from './types.js';

export function revokedApprovalNotes(r: ResolveReport): RevokedApprovalNote[] {
  const revoked = r.store.importsLock.revoked;
  if (revoked === undefined || r.failures.length === 0) return [];
  const v = (s: string): string => canonicalVersion(r.scheme, s);
  const out: RevokedApprovalNote[] = [];
  for (const f of r.failures) {
    const version = v(f.node.version);
    for (const importName of Object.keys(revoked).sort()) {
      const byPkg = revoked[importName]!;
      const list: RevokedAuditEntry[] = Object.hasOwn(byPkg, f.node.name) ? byPkg[f.node.name]! : [];
      for (const e of list) {
        const approved = e.kind === 'delta' && e.delta ? `${v(e.delta.from)} -> ${v(e.delta.to)}` : v(e.version ?? '');
        const target = e.kind === 'delta' && e.delta ? v(e.delta.to) : approved;
        if (e.kind === 'violation' || target !== version) continue;
        out.push({ node: f.node, importName, approved, who: e.who, criteria: e.criteria, revokedBy: e.revokedBy });
      }
    }
  }
  return out;
}
