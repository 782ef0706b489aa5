/**
 * Dev-only classification by walking the graph (spec lockfiles.md §15.5): most formats do not
 * record it, and where they do the flags can be stale. From every workspace member, non-dev edges
 * reach production packages; packages reached only through a member's `dev` edges are dev-only.
 * Optional edges count as production (they install in production); peer edges are followed like
 * normal ones. `dev` edges from non-members are ignored: npm never installs those.
 */
import type { DependencyGraph, PackageNode } from '../../graph.js';

/**
 * id → true (dev-only) / false (production). Nodes no walk reaches are absent from the map:
 * callers report them as "unreached" rather than guessing.
 */
export function computeDevOnly(graph: DependencyGraph): Map<string, boolean> {
  const byId = new Map<string, PackageNode>();
  for (const node of graph.nodes) byId.set(node.id, node);
  const result = new Map<string, boolean>();
  const members = graph.nodes.filter((n) => n.workspaceMember);
  walk(byId, result, members, false);
  const devRoots: PackageNode[] = [];
  for (const member of members) {
    for (const edge of member.deps) {
      const target = edge.kind === 'dev' ? byId.get(edge.to) : undefined;
      if (target !== undefined) devRoots.push(target);
    }
  }
  walk(byId, result, devRoots, true);
  return result;
}

/** Mark every node reachable over non-dev edges with `dev`, skipping nodes already marked. */
function walk(byId: Map<string, PackageNode>, result: Map<string, boolean>, roots: PackageNode[], dev: boolean): void {
  const stack = roots.filter((n) => !result.has(n.id));
  for (const n of stack) result.set(n.id, dev);
  while (stack.length > 0) {
    const node = stack.pop() as PackageNode;
    for (const edge of node.deps) {
      if (edge.kind === 'dev' || result.has(edge.to)) continue;
      const target = byId.get(edge.to);
      if (target === undefined) continue;
      result.set(target.id, dev);
      stack.push(target);
    }
  }
}
