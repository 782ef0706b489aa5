/**
 * Deprecated versions in the project, for a warning in the check report. The registry's
 * per-version `deprecated` message wins; the lockfile's copy is used when the packument has none
 * (some mirrors strip it, lockfiles.md §16).
 */
import type { DependencyGraph } from '@vet/core';
import type { PackumentLookup } from './risk.js';

export interface DeprecatedVersion {
  name: string;
  version: string;
  message: string;
  source: 'registry' | 'lockfile';
}

export function deprecatedVersions(graph: DependencyGraph, packuments: PackumentLookup): DeprecatedVersion[] {
  const seen = new Set<string>();
  const out: DeprecatedVersion[] = [];
  for (const node of graph.nodes) {
    if (node.firstParty) continue;
    const key = `${node.name}@${node.version}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const fromRegistry = packuments.get(node.name)?.versions[node.version]?.deprecated;
    const message = fromRegistry ?? node.deprecated;
    if (message)
      out.push({ name: node.name, version: node.version, message, source: fromRegistry ? 'registry' : 'lockfile' });
  }
  return out.sort((a, b) => (a.name === b.name ? (a.version < b.version ? -1 : 1) : a.name < b.name ? -1 : 1));
}
