/**
 * Which criteria each package must be vetted for (spec/cargo-vet-format.md §7.2–7.3,
 * trap §14.9).
 *
 * Walk: post-order DFS from the workspace members over normal/build edges (every edge
 * kind except `dev`); then the dev-dependencies of members are walked and appended, and
 * nodes first reached there are dev-only. A root is a member with no incoming
 * normal/build edge — computed before dev edges, so a member that is only another
 * member's dev-dependency is still a root.
 *
 * Requirements: a dev pass (member dev-criteria, default safe-to-run, one hop), then a
 * main pass in reverse topological order where a policy `criteria` REPLACES what was
 * accumulated, roots without one get safe-to-deploy, and each edge carries either the
 * parent's requirement or the parent's `dependency-criteria[dep name]`.
 *
 * npm entries no member reaches (extraneous) need safe-to-run: npm installs them anyway.
 *
 * Cargo graphs are acyclic over normal/build edges, so one ordered pass suffices; npm
 * graphs can have cycles, so a package whose requirement grows after it was processed is
 * processed again (a no-op on acyclic graphs, hence identical to cargo-vet there).
 */
import type { DependencyGraph, PackageNode } from '../graph.js';
import type { Store } from '../store/model.js';
import { SAFE_TO_DEPLOY, SAFE_TO_RUN } from '../store/model.js';
import type { VersionScheme } from '../version/scheme.js';
import { CriteriaIndex, type CriteriaSet } from './criteria.js';
import { PolicyIndex } from './policy.js';

export interface GraphWalk {
  /** Node ids, dependencies before dependents; dev-only nodes after the others. */
  topo: string[];
  roots: Set<string>;
  devOnly: Set<string>;
  /** Reached from a member at all (normal or dev). */
  reached: Set<string>;
}

export interface RequirementSets {
  walk: GraphWalk;
  /** Requirement per node id (every node of the graph; empty when none). */
  sets: Map<string, CriteriaSet>;
}

const isNormalEdge = (kind: string): boolean => kind !== 'dev';

/** §7.2: topological order, roots and dev-only nodes. */
export function walkGraph(graph: DependencyGraph): GraphWalk {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const incoming = new Set<string>();
  for (const n of graph.nodes) for (const e of n.deps) if (isNormalEdge(e.kind)) incoming.add(e.to);
  const members = graph.nodes.filter((n) => n.workspaceMember);
  const roots = new Set(members.filter((m) => !incoming.has(m.id)).map((m) => m.id));

  const topo: string[] = [];
  const visited = new Set<string>();
  const visit = (start: string): void => {
    if (visited.has(start) || !byId.has(start)) return;
    visited.add(start);
    const stack: Array<{ node: PackageNode; next: number }> = [{ node: byId.get(start)!, next: 0 }];
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const edge = top.node.deps[top.next++];
      if (edge === undefined) {
        stack.pop();
        topo.push(top.node.id);
      } else if (isNormalEdge(edge.kind) && !visited.has(edge.to) && byId.has(edge.to)) {
        visited.add(edge.to);
        stack.push({ node: byId.get(edge.to)!, next: 0 });
      }
    }
  };
  for (const m of members) visit(m.id);
  const normalCount = topo.length;
  for (const m of members) for (const e of m.deps) if (e.kind === 'dev') visit(e.to);
  return { topo, roots, devOnly: new Set(topo.slice(normalCount)), reached: visited };
}

/** §7.3 over bitsets. Throws CRITERIA_ERROR for unknown criteria in policies. */
export function computeRequirementSets(
  graph: DependencyGraph,
  store: Store,
  scheme: VersionScheme,
  criteria: CriteriaIndex = new CriteriaIndex(store.audits.criteria),
  policies: PolicyIndex = new PolicyIndex(store.config.policy, scheme),
): RequirementSets {
  const nodes = graph.nodes;
  const index = new Map(nodes.map((n, i) => [n.id, i]));
  const walk = walkGraph(graph);
  // Indexed by node position: this runs once per resolve over every edge, so no Map churn.
  const req: CriteriaSet[] = nodes.map(() => 0n);
  const pols = nodes.map((n) => policies.get(n.name, n.version));
  const closure = (names: string[], n: PackageNode, field: string): CriteriaSet =>
    criteria.closureOf(names, { file: 'config.toml', context: `policy for ${n.name}:${n.version}, ${field}` });
  /** The set an edge p → dep carries, given what p carries by default. */
  const carried = (p: number, dep: number, dflt: CriteriaSet): CriteriaSet => {
    const depName = nodes[dep]!.name;
    const special = pols[p]?.dependencyCriteria?.[depName];
    return special === undefined ? dflt : closure(special, nodes[p]!, `dependency-criteria.${depName}`);
  };

  // Dev pass: one hop from each member.
  nodes.forEach((m, mi) => {
    if (!m.workspaceMember) return;
    const pol = pols[mi];
    const dev =
      pol?.devCriteria !== undefined ? closure(pol.devCriteria, m, 'dev-criteria') : criteria.closureOf([SAFE_TO_RUN]);
    for (const e of m.deps) {
      const d = index.get(e.to);
      if (e.kind === 'dev' && d !== undefined) req[d] = req[d]! | carried(mi, d, dev);
    }
  });

  // Main pass: dependents before dependencies; re-process on growth (cycles only).
  const deploy = criteria.closureOf([SAFE_TO_DEPLOY]);
  const roots = new Set([...walk.roots].map((id) => index.get(id)!));
  const processed = new Uint8Array(nodes.length);
  const again: number[] = [];
  const process = (p: number): void => {
    const pol = pols[p];
    if (pol?.criteria !== undefined) req[p] = closure(pol.criteria, nodes[p]!, 'criteria');
    else if (roots.has(p)) req[p] = req[p]! | deploy;
    const mine = req[p]!;
    for (const e of nodes[p]!.deps) {
      const d = index.get(e.to);
      if (!isNormalEdge(e.kind) || d === undefined) continue;
      const before = req[d]!;
      const after = before | carried(p, d, mine);
      if (after === before) continue;
      req[d] = after;
      if (processed[d]) again.push(d);
    }
    processed[p] = 1;
  };
  for (let i = walk.topo.length - 1; i >= 0; i--) process(index.get(walk.topo[i]!)!);
  while (again.length > 0) process(again.pop()!);
  if (graph.ecosystem === 'npm') requireUnreached(nodes, walk, req, pols, criteria.closureOf([SAFE_TO_RUN]), closure);
  return { walk, sets: new Map(nodes.map((n, i) => [n.id, req[i]!])) };
}

/**
 * npm installs every entry of its lockfile, reached or not (`"extraneous": true`), and runs
 * its install scripts: an entry nothing depends on needs safe-to-run, as dev-only packages
 * do (or its policy's criteria), instead of nothing — never "fully audited" by default.
 * Cargo graphs keep cargo-vet's rule: cargo builds only what the resolve reaches.
 */
function requireUnreached(
  nodes: PackageNode[],
  walk: GraphWalk,
  req: CriteriaSet[],
  pols: ReturnType<PolicyIndex['get']>[],
  run: CriteriaSet,
  closure: (names: string[], n: PackageNode, field: string) => CriteriaSet,
): void {
  nodes.forEach((n, i) => {
    if (n.firstParty || walk.reached.has(n.id)) return;
    const pol = pols[i];
    req[i] = pol?.criteria !== undefined ? closure(pol.criteria, n, 'criteria') : req[i]! | run;
  });
}

/**
 * The criteria each package must be vetted for, as minimal names (`["safe-to-deploy"]`),
 * keyed by node id; every node of the graph has an entry (empty when nothing is
 * required). `vet init` turns these into exemptions.
 */
export function computeRequirements(
  graph: DependencyGraph,
  store: Store,
  scheme: VersionScheme,
): Map<string, string[]> {
  const criteria = new CriteriaIndex(store.audits.criteria);
  const { sets } = computeRequirementSets(graph, store, scheme, criteria);
  return new Map([...sets].map(([id, set]) => [id, criteria.minimalNames(set)]));
}
