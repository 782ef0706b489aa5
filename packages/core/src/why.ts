/**
 * `vet why <pkg>`: every dependency chain from a workspace member to a package.
 * Pure graph query; chains are simple paths (no node repeats), capped so a
 * pathological graph cannot explode the output.
 */
import type { DependencyGraph, EdgeKind, PackageNode } from './graph.js';

export interface WhyStep {
  node: PackageNode;
  /** Kind of the edge that led here; undefined for the first (root) step. */
  via?: EdgeKind;
}

export interface WhyResult {
  target: PackageNode[];
  chains: WhyStep[][];
  /** True when `limit` cut the list short. */
  truncated: boolean;
}

export function dependencyChains(
  graph: DependencyGraph,
  name: string,
  opts: { version?: string; limit?: number } = {},
): WhyResult {
  const limit = opts.limit ?? 1000;
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const targets = graph.nodes.filter(
    (n) => n.name === name && (opts.version === undefined || n.version === opts.version),
  );
  const targetIds = new Set(targets.map((t) => t.id));
  // Only walk nodes from which a target is reachable: keeps the DFS linear in practice.
  const canReach = reachingSet(graph, targetIds);
  const chains: WhyStep[][] = [];
  let truncated = false;
  const onPath = new Set<string>();
  const path: WhyStep[] = [];

  const visit = (node: PackageNode, via: EdgeKind | undefined): void => {
    if (truncated) return;
    path.push(via === undefined ? { node } : { node, via });
    onPath.add(node.id);
    if (targetIds.has(node.id)) {
      if (chains.length >= limit) truncated = true;
      else chains.push([...path]);
    } else {
      for (const edge of node.deps) {
        const next = byId.get(edge.to);
        if (next && !onPath.has(next.id) && canReach.has(next.id)) visit(next, edge.kind);
      }
    }
    onPath.delete(node.id);
    path.pop();
  };
  for (const root of graph.nodes) {
    if (root.workspaceMember && canReach.has(root.id)) visit(root, undefined);
  }
  return { target: targets, chains, truncated };
}

function reachingSet(graph: DependencyGraph, targets: Set<string>): Set<string> {
  const reverse = new Map<string, string[]>();
  for (const n of graph.nodes) {
    for (const e of n.deps) {
      let list = reverse.get(e.to);
      if (!list) reverse.set(e.to, (list = []));
      list.push(n.id);
    }
  }
  const seen = new Set(targets);
  const stack = [...targets];
  while (stack.length > 0) {
    const id = stack.pop()!;
    for (const parent of reverse.get(id) ?? []) {
      if (!seen.has(parent)) {
        seen.add(parent);
        stack.push(parent);
      }
    }
  }
  return seen;
}
