/** A large synthetic npm graph (used by a test and by bench/resolve-bench.ts). */
import type { DependencyGraph, PackageNode } from '../../graph.js';
import { exemption } from './builders.js';

export function bigGraph(n: number): {
  graph: DependencyGraph;
  exemptions: Record<string, ReturnType<typeof exemption>[]>;
} {
  let seed = 42;
  const rnd = (k: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % k);
  const nodes: PackageNode[] = [];
  const exemptions: Record<string, ReturnType<typeof exemption>[]> = {};
  for (let i = 0; i < n; i++) {
    // ~700 names with up to three versions each, like a real node_modules tree.
    const name = `pkg-${i % 700}`;
    const version = `${Math.floor(i / 700) + 1}.${i % 7}.0`;
    nodes.push({
      id: `${name}@${version}`,
      name,
      version,
      source: { kind: 'registry' },
      integrity: [],
      firstParty: false,
      workspaceMember: false,
      deps: [],
    });
    (exemptions[name] ??= []).push(exemption(version));
  }
  for (const [i, node] of nodes.entries()) {
    for (let k = 0; k < 4 && i + 1 < n; k++)
      node.deps.push({ to: nodes[i + 1 + rnd(Math.min(50, n - i - 1))]!.id, kind: rnd(10) === 0 ? 'dev' : 'normal' });
  }
  const root: PackageNode = {
    id: 'app',
    name: 'app',
    version: '1.0.0',
    source: { kind: 'workspace' },
    integrity: [],
    firstParty: true,
    workspaceMember: true,
    deps: nodes.slice(0, 40).map((x) => ({ to: x.id, kind: 'normal' })),
  };
  return {
    graph: { ecosystem: 'npm', lockfile: 'package-lock.json', format: 'test', nodes: [root, ...nodes], warnings: [] },
    exemptions,
  };
}
