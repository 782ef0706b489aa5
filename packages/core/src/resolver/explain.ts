/**
 * `explain-audit` text (spec/cargo-vet-format.md §11.3): the chosen path for one package
 * and criterion, root first, one numbered line per edge ("[local] full audit for 1.0.0
 * by alice", "[mozilla] delta audit for 1.0.0 -> 1.1.0 by …", "[local] exemption for …",
 * …), or the versions from which a new audit would connect.
 */
import type { Store } from '../store/model.js';
import { importNames, type AuditEdge } from './audit-graph.js';
import type { ResolveReport } from './types.js';
import { identityLabel } from './warnings.js';

const by = (who: string[]): string => (who.length > 0 ? ` by ${who.join(', ')}` : '');

function publisherLabel(store: Store, name: string, index: number): string {
  const row = store.importsLock.publisher[name]?.[index];
  if (!row) return 'unknown';
  return row.userLogin ?? identityLabel(row.identity);
}

/** One line describing an audit-graph edge of package `name`. */
export function describeEdge(store: Store, name: string, edge: AuditEdge): string {
  const o = edge.origin;
  const span = edge.from === null ? edge.to : `${edge.from} -> ${edge.to}`;
  switch (o.kind) {
    case 'local-audit': {
      const a = store.audits.audits[name]?.[o.auditIndex];
      return `[local] ${edge.from === null ? 'full' : 'delta'} audit for ${span}${by(a?.who ?? [])}`;
    }
    case 'imported-audit': {
      const a = store.importsLock.audits[o.importName]?.audits[name]?.[o.auditIndex];
      return `[${o.importName}] ${edge.from === null ? 'full' : 'delta'} audit for ${span}${by(a?.who ?? [])}`;
    }
    case 'wildcard-audit': {
      const source = o.importIndex === undefined ? 'local' : (importNames(store)[o.importIndex] ?? 'import');
      const file = o.importIndex === undefined ? store.audits : store.importsLock.audits[source];
      const w = file?.wildcardAudits[name]?.[o.auditIndex];
      return `[${source}] wildcard audit for ${edge.to} (published by: ${publisherLabel(store, name, o.publisherIndex)})${by(w?.who ?? [])}`;
    }
    case 'trusted':
      return `[local] trusted entry for ${edge.to} (published by: ${publisherLabel(store, name, o.publisherIndex)})`;
    case 'exemption':
      return `[local] exemption for ${edge.to}`;
    case 'unpublished':
      return `[local] auditing unpublished version ${edge.to} as ${edge.from ?? '?'}`;
  }
}

/** Explanation for one node id and criterion name; a VetError for an unknown criterion. */
export function formatExplainAudit(report: ResolveReport, nodeId: string, criterion: string): string {
  const r = report.results.get(nodeId);
  const node = report.graph.nodes.find((n) => n.id === nodeId);
  if (!node) return `No package with id ${nodeId} in the graph\n`;
  if (!r) {
    const key = `${node.name}:${node.version}`;
    return report.violations[key]
      ? `${key} has violation conflicts; nothing was searched\n`
      : `${key} is first-party and needs no audits\n`;
  }
  const o = r.outcomes[report.criteria.indexOf(criterion)]!;
  if (o.ok) {
    const lines = o.path.map((e, i) => `  ${i + 1}. ${describeEdge(report.store, node.name, e)}`);
    return `The package ${node.name} ${r.version} certifies for ${criterion}\n${lines.join('\n')}\n`;
  }
  const fromRoot = o.reachableFromRoot.filter((v): v is string => v !== null);
  const fromTarget = o.reachableFromTarget.filter((v): v is string => v !== null);
  return (
    `The package ${node.name} ${r.version} does not certify for ${criterion}\n` +
    `  versions certified for ${criterion} from scratch: ${fromRoot.length ? fromRoot.join(', ') : '(none)'}\n` +
    `  versions a delta audit could start the path to ${r.version} from: ${fromTarget.join(', ')}\n`
  );
}
