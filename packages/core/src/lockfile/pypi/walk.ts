/**
 * The dev/prod walk the resolver performs (cargo-vet-format.md §7.2): from workspace members
 * over normal and build edges is production; what is first reached through a member's dev
 * edges is dev-only. Kept here so each reader can fill `lockfileDev` and its tests can check
 * that the edges they emit give the same answer as the lockfile's own flags.
 */
import type { PackageNode } from '../../graph.js';

const PROD_KINDS = new Set(['normal', 'build']);

/** id → true (dev-only) / false (prod) for every node reached from a workspace member. */
export function devOnlyIds(nodes: readonly PackageNode[]): Map<string, boolean> {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const result = new Map<string, boolean>();
  const visit = (start: PackageNode[], dev: boolean): void => {
    const stack = [...start];
    while (stack.length > 0) {
      const n = stack.pop() as PackageNode;
      if (result.has(n.id) && (dev || result.get(n.id) === false)) continue;
      result.set(n.id, dev);
      for (const e of n.deps) {
        const t = byId.get(e.to);
        if (t && PROD_KINDS.has(e.kind)) stack.push(t);
      }
    }
  };
  const members = nodes.filter((n) => n.workspaceMember);
  visit(members, false);
  const devStarts = members.flatMap((m) => m.deps.filter((e) => e.kind === 'dev').map((e) => byId.get(e.to)));
  visit(
    devStarts.filter((n): n is PackageNode => n !== undefined),
    true,
  );
  return result;
}
