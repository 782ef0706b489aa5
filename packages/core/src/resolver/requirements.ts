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

/**
 * The graph by node position, indexed once (issue 12): each edge's target position in one
 * flat array (`to[start[i] .. start[i + 1]]` are node i's edges; -1 = not in the graph), so
 * the walk and the requirement passes follow numbers instead of looking ids up per edge.
 * An id held by several nodes means the last of them, as a Map built from the nodes does.
 */
interface IndexedGraph {
  nodes: PackageNode[];
  index: Map<string, number>;
  start: Int32Array;
  to: Int32Array;
}

function indexGraph(nodes: PackageNode[]): IndexedGraph {
  const index = new Map<string, number>();
  let edges = 0;
  for (let i = 0; i < nodes.length; i++) {
    index.set(nodes[i]!.id, i);
    edges += nodes[i]!.deps.length;
  }
  const start = new Int32Array(nodes.length + 1);
  const to = new Int32Array(edges);
  let k = 0;
  for (let i = 0; i < nodes.length; i++) {
    start[i] = k;
    for (const e of nodes[i]!.deps) to[k++] = index.get(e.to) ?? -1;
  }
  start[nodes.length] = k;
  return { nodes, index, start, to };
}

/** The walk by node position: `topo` (dependencies first, dev-only after `normalCount`) and what it reached. */
interface PositionWalk {
  topo: number[];
  normalCount: number;
  reached: Uint8Array;
  /** Node positions in the order they were reached. */
  order: number[];
  roots: Set<string>;
}

function walkPositions(g: IndexedGraph): PositionWalk {
  const { nodes, start, to } = g;
  const incoming = new Uint8Array(nodes.length);
  for (let i = 0; i < nodes.length; i++) {
    const deps = nodes[i]!.deps;
    for (let k = start[i]!; k < start[i + 1]!; k++) {
      if (to[k]! >= 0 && isNormalEdge(deps[k - start[i]!]!.kind)) incoming[to[k]!] = 1;
    }
  }
  const members: number[] = [];
  for (let i = 0; i < nodes.length; i++) if (nodes[i]!.workspaceMember) members.push(i);
  const roots = new Set<string>();
  for (const m of members) if (!incoming[g.index.get(nodes[m]!.id)!]) roots.add(nodes[m]!.id);

  const topo: number[] = [];
  const order: number[] = [];
  const reached = new Uint8Array(nodes.length);
  // An explicit stack (node, next edge) instead of recursion: npm graphs run thousands deep.
  const stackNode: number[] = [];
  const stackNext: number[] = [];
  const visit = (first: number): void => {
    if (first < 0 || reached[first]) return;
    reached[first] = 1;
    order.push(first);
    stackNode.push(first);
    stackNext.push(start[first]!);
    while (stackNode.length > 0) {
      const top = stackNode.length - 1;
      const node = stackNode[top]!;
      const k = stackNext[top]!;
      if (k >= start[node + 1]!) {
        stackNode.pop();
        stackNext.pop();
        topo.push(node);
        continue;
      }
      stackNext[top] = k + 1;
      const t = to[k]!;
      if (t >= 0 && !reached[t] && isNormalEdge(nodes[node]!.deps[k - start[node]!]!.kind)) {
        reached[t] = 1;
        order.push(t);
        stackNode.push(t);
        stackNext.push(start[t]!);
      }
    }
  };
  for (const m of members) visit(g.index.get(nodes[m]!.id)!);
  const normalCount = topo.length;
  for (const m of members) {
    const deps = nodes[m]!.deps;
    for (let k = start[m]!; k < start[m + 1]!; k++) if (deps[k - start[m]!]!.kind === 'dev') visit(to[k]!);
  }
  return { topo, normalCount, reached, order, roots };
}

function graphWalkOf(nodes: PackageNode[], w: PositionWalk): GraphWalk {
  const topo = w.topo.map((i) => nodes[i]!.id);
  return {
    topo,
    roots: w.roots,
    devOnly: new Set(topo.slice(w.normalCount)),
    reached: new Set(w.order.map((i) => nodes[i]!.id)),
  };
}

/** §7.2: topological order, roots and dev-only nodes. */
export function walkGraph(graph: DependencyGraph): GraphWalk {
  return graphWalkOf(graph.nodes, walkPositions(indexGraph(graph.nodes)));
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
  const g = indexGraph(nodes);
  const { start, to } = g;
  const w = walkPositions(g);
  // Indexed by node position: this runs once per resolve over every edge, so no Map churn.
  const req: CriteriaSet[] = new Array<CriteriaSet>(nodes.length).fill(0n);
  const pols = nodes.map((n) => policies.get(n.name, n.version));
  const closure = (names: string[], n: PackageNode, field: string): CriteriaSet =>
    criteria.closureOf(names, () => ({ file: 'config.toml', context: `policy for ${n.name}:${n.version}, ${field}` }));
  /** The set an edge p → dep carries, given what p carries by default. */
  const carried = (p: number, dep: number, dflt: CriteriaSet): CriteriaSet => {
    const special = pols[p]?.dependencyCriteria;
    if (special === undefined) return dflt;
    const depName = nodes[dep]!.name;
    const names = special[depName];
    return names === undefined ? dflt : closure(names, nodes[p]!, `dependency-criteria.${depName}`);
  };

  // Dev pass: one hop from each member.
  const run = criteria.closureOf([SAFE_TO_RUN]);
  for (let mi = 0; mi < nodes.length; mi++) {
    const m = nodes[mi]!;
    if (!m.workspaceMember) continue;
    const pol = pols[mi];
    const dev = pol?.devCriteria !== undefined ? closure(pol.devCriteria, m, 'dev-criteria') : run;
    for (let k = start[mi]!; k < start[mi + 1]!; k++) {
      const d = to[k]!;
      if (d >= 0 && m.deps[k - start[mi]!]!.kind === 'dev') req[d] = req[d]! | carried(mi, d, dev);
    }
  }

  // Main pass: dependents before dependencies; re-process on growth (cycles only).
  const deploy = criteria.closureOf([SAFE_TO_DEPLOY]);
  const isRoot = new Uint8Array(nodes.length);
  for (const id of w.roots) isRoot[g.index.get(id)!] = 1;
  const processed = new Uint8Array(nodes.length);
  const again: number[] = [];
  const process = (p: number): void => {
    const pol = pols[p];
    if (pol?.criteria !== undefined) req[p] = closure(pol.criteria, nodes[p]!, 'criteria');
    else if (isRoot[p]) req[p] = req[p]! | deploy;
    const mine = req[p]!;
    const deps = nodes[p]!.deps;
    for (let k = start[p]!; k < start[p + 1]!; k++) {
      const d = to[k]!;
      if (d < 0 || !isNormalEdge(deps[k - start[p]!]!.kind)) continue;
      const before = req[d]!;
      const after = before | carried(p, d, mine);
      if (after === before) continue;
      req[d] = after;
      if (processed[d]) again.push(d);
    }
    processed[p] = 1;
  };
  for (let i = w.topo.length - 1; i >= 0; i--) process(w.topo[i]!);
  while (again.length > 0) process(again.pop()!);
  if (graph.ecosystem === 'npm') requireUnreached(g, w.reached, req, pols, run, closure);
  const sets = new Map<string, CriteriaSet>();
  for (let i = 0; i < nodes.length; i++) sets.set(nodes[i]!.id, req[i]!);
  return { walk: graphWalkOf(nodes, w), sets };
}

/**
 * npm installs every entry of its lockfile, reached or not (`"extraneous": true`), and runs
 * its install scripts: an entry nothing depends on needs safe-to-run, as dev-only packages
 * do (or its policy's criteria), instead of nothing — never "fully audited" by default.
 * Cargo graphs keep cargo-vet's rule: cargo builds only what the resolve reaches.
 */
function requireUnreached(
  g: IndexedGraph,
  reached: Uint8Array,
  req: CriteriaSet[],
  pols: ReturnType<PolicyIndex['get']>[],
  run: CriteriaSet,
  closure: (names: string[], n: PackageNode, field: string) => CriteriaSet,
): void {
  g.nodes.forEach((n, i) => {
    if (n.firstParty || reached[g.index.get(n.id)!]) return;
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
