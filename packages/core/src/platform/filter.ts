/**
 * `vet check --platform`: the graph as it installs on the named platforms, before the resolver
 * sees it (the resolver stays platform-blind). Per platform, a walk from the workspace members
 * follows only edges active there into packages that install there; a package stays when any
 * platform's walk reaches it. A package is excluded only when every path to it from the roots
 * crosses an inactive edge or a package that does not install, or it does not install itself
 * (`@esbuild/darwin-arm64` on linux). Packages no member reaches stay as they were unless they
 * themselves install nowhere named. Excluded third-party packages are returned for the report:
 * never silently dropped.
 */
import type { DependencyEdge, DependencyGraph, PackageNode } from '../graph.js';
import { parseRequirement } from '../lockfile/pypi/requirement-spec.js';
import { PlatformEnvironment } from './environments.js';
import type { Platform } from './names.js';

export interface ExcludedPackage {
  name: string;
  version: string;
}

export interface PlatformFilterResult {
  graph: DependencyGraph;
  /** Third-party packages left out, in (name, version) byte order. */
  excluded: ExcludedPackage[];
}

type EdgeTest = (from: PackageNode, e: DependencyEdge, to: PackageNode) => boolean;

function reach(byId: Map<string, PackageNode>, roots: PackageNode[], follow: EdgeTest): Set<string> {
  const seen = new Set<string>(roots.map((r) => r.id));
  const stack = [...roots];
  while (stack.length > 0) {
    const n = stack.pop()!;
    for (const e of n.deps) {
      const to = byId.get(e.to);
      if (to === undefined || seen.has(to.id) || !follow(n, e, to)) continue;
      seen.add(to.id);
      stack.push(to);
    }
  }
  return seen;
}

const byteOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function filterGraphForPlatforms(graph: DependencyGraph, platforms: readonly Platform[]): PlatformFilterResult {
  if (platforms.length === 0) return { graph, excluded: [] };
  const envs = platforms.map((p) => new PlatformEnvironment(p));
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const roots = graph.nodes.filter((n) => n.workspaceMember);
  const reachedAtAll = reach(byId, roots, () => true);
  const kept = new Set<string>();
  for (const env of envs) {
    const here = reach(byId, roots, (_, e, to) => env.edgeActive(e.when) && env.installs(to.platform));
    for (const id of here) kept.add(id);
  }
  for (const n of graph.nodes) {
    if (!reachedAtAll.has(n.id) && envs.some((env) => env.installs(n.platform))) kept.add(n.id);
  }
  const edgeKept: EdgeTest = (from, e, to) =>
    kept.has(to.id) &&
    envs.some((env) => env.installs(from.platform) && env.installs(to.platform) && env.edgeActive(e.when));
  const nodes = graph.nodes
    .filter((n) => kept.has(n.id))
    .map((n) => ({ ...n, deps: n.deps.filter((e) => byId.has(e.to) && edgeKept(n, e, byId.get(e.to)!)) }));
  const dropped = graph.nodes.filter((n) => !kept.has(n.id));
  const unlocked = narrowUnlocked(graph, envs, new Set(dropped.map((n) => n.id)));
  const excluded = [
    ...dropped.filter((n) => !n.firstParty).map((n) => ({ name: n.name, version: n.version })),
    ...unlocked.excluded,
  ].sort((a, b) => byteOrder(a.name, b.name) || byteOrder(a.version, b.version));
  const narrowed = { ...graph, nodes, ...(unlocked.kept ? { unlocked: unlocked.kept } : {}) };
  return { graph: narrowed, excluded };
}

type Unlocked = { requirement: string };

/**
 * Requirements a PyPI reader could not lock (`graph.unlocked`) whose own marker is false on
 * every platform go too — an unpinned `pywin32 ; sys_platform == "win32"` does not fail a
 * Linux check — and so do those of packages already excluded.
 */
function narrowUnlocked(
  graph: DependencyGraph,
  envs: readonly PlatformEnvironment[],
  droppedIds: ReadonlySet<string>,
): { kept?: Unlocked[]; excluded: ExcludedPackage[] } {
  const all = (graph as DependencyGraph & { unlocked?: Unlocked[] }).unlocked;
  if (all === undefined) return { excluded: [] };
  const kept: Unlocked[] = [];
  const excluded: ExcludedPackage[] = [];
  for (const u of all) {
    const req = parseRequirement(u.requirement);
    const marker = typeof req === 'string' ? undefined : req.marker;
    if (droppedIds.has(u.requirement)) continue;
    if (marker !== undefined && !envs.some((env) => env.markerHolds(marker))) {
      const name = typeof req === 'string' ? u.requirement : (req.name ?? u.requirement);
      excluded.push({ name, version: '(not locked)' });
    } else kept.push(u);
  }
  return { kept, excluded };
}
