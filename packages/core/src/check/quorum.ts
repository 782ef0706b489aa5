/**
 * Client policy k-of-n (`[vet] require-notaries`): a package in scope needs approvals from
 * at least `threshold` distinct notary imports, where an import counts when its imported
 * audits ALONE (content-bound to the lockfile digests) give the package every criterion it
 * requires. Local audits, exemptions and other imports do not count toward the quorum.
 */
import type { DependencyGraph } from '../graph.js';
import { buildAuditGraph } from '../resolver/audit-graph.js';
import { searchAuditGraph } from '../resolver/search.js';
import type { NodeRef, ResolveReport } from '../resolver/types.js';
import { emptyAuditsFile, type Store } from '../store/model.js';
import { lockfileDigestBinding } from '../resolver/digest-binding.js';

export interface NotaryQuorumShortfall {
  node: NodeRef;
  /** Notary imports whose audits alone vet the node. */
  approvedBy: string[];
  /** How many are required. */
  threshold: number;
  /** The required criteria (minimal names). */
  criteria: string[];
}

/** Nodes in the policy's scope lacking enough notary approvals; [] when no policy is set. */
export function checkNotaryQuorum(
  report: ResolveReport,
  store: Store,
  graph: DependencyGraph,
): NotaryQuorumShortfall[] {
  const policy = store.config.vet?.requireNotaries;
  if (policy === undefined) return [];
  const scope = policy.packages === undefined ? undefined : new Set(policy.packages);
  const binding = lockfileDigestBinding(graph, report.scheme);
  const shortfalls: NotaryQuorumShortfall[] = [];
  for (const result of report.results.values()) {
    const { node } = result;
    if (scope && !scope.has(node.name)) continue;
    const needed = report.criteria.indices(result.required);
    const approvedBy = policy.imports.filter((imp) => {
      const only = onlyImport(store, imp);
      if (only === undefined) return false;
      const ag = buildAuditGraph(only, node.name, report.criteria, report.scheme, [imp], binding);
      return needed.every((i) => searchAuditGraph(ag, i, result.version, 'prefer-fresh-imports', report.scheme).ok);
    });
    if (approvedBy.length < policy.threshold) {
      shortfalls.push({
        node,
        approvedBy,
        threshold: policy.threshold,
        criteria: report.criteria.minimalNames(result.required),
      });
    }
  }
  return shortfalls;
}

/** A store whose only audit source is one import's imports.lock audits. */
function onlyImport(store: Store, name: string): Store | undefined {
  const audits = store.importsLock.audits[name];
  if (audits === undefined) return undefined;
  return {
    config: { ...store.config, exemptions: {} },
    audits: { ...emptyAuditsFile(), criteria: store.audits.criteria },
    importsLock: { unpublished: {}, publisher: {}, audits: { [name]: audits } },
  };
}
