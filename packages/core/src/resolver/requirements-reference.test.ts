/**
 * The indexed walk and requirement passes (requirements.ts, issue 12) against the plain
 * id-keyed implementation they replaced, kept here as the reference: random graphs with
 * cycles, dev and build edges, several members, dangling targets, duplicate ids, policies
 * and dependency-criteria must give the same walk (orders included) and the same sets.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DependencyGraph, EdgeKind, PackageNode } from '../graph.js';
import type { PolicyEntry, Store } from '../store/model.js';
import { SAFE_TO_DEPLOY, SAFE_TO_RUN } from '../store/model.js';
import { npmVersionScheme } from '../version/npm.js';
import { storeOf } from './__fixtures__/builders.js';
import { CriteriaIndex, type CriteriaSet } from './criteria.js';
import { PolicyIndex } from './policy.js';
import { computeRequirementSets, walkGraph, type GraphWalk } from './requirements.js';

const isNormalEdge = (kind: string): boolean => kind !== 'dev';

function referenceWalk(graph: DependencyGraph): GraphWalk {
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

function referenceSets(graph: DependencyGraph, store: Store): Map<string, CriteriaSet> {
  const criteria = new CriteriaIndex(store.audits.criteria);
  const policies = new PolicyIndex(store.config.policy, npmVersionScheme);
  const nodes = graph.nodes;
  const index = new Map(nodes.map((n, i) => [n.id, i]));
  const walk = referenceWalk(graph);
  const req: CriteriaSet[] = nodes.map(() => 0n);
  const pols = nodes.map((n) => policies.get(n.name, n.version));
  const closure = (names: string[]): CriteriaSet => criteria.closureOf(names);
  const carried = (p: number, dep: number, dflt: CriteriaSet): CriteriaSet => {
    const special = pols[p]?.dependencyCriteria?.[nodes[dep]!.name];
    return special === undefined ? dflt : closure(special);
  };
  nodes.forEach((m, mi) => {
    if (!m.workspaceMember) return;
    const pol = pols[mi];
    const dev = pol?.devCriteria !== undefined ? closure(pol.devCriteria) : criteria.closureOf([SAFE_TO_RUN]);
    for (const e of m.deps) {
      const d = index.get(e.to);
      if (e.kind === 'dev' && d !== undefined) req[d] = req[d]! | carried(mi, d, dev);
    }
  });
  const deploy = criteria.closureOf([SAFE_TO_DEPLOY]);
  const roots = new Set([...walk.roots].map((id) => index.get(id)!));
  const processed = new Uint8Array(nodes.length);
  const again: number[] = [];
  const process = (p: number): void => {
    const pol = pols[p];
    if (pol?.criteria !== undefined) req[p] = closure(pol.criteria);
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
  nodes.forEach((n, i) => {
    if (n.firstParty || walk.reached.has(n.id)) return;
    const pol = pols[i];
    req[i] = pol?.criteria !== undefined ? closure(pol.criteria) : req[i]! | criteria.closureOf([SAFE_TO_RUN]);
  });
  return new Map(nodes.map((n, i) => [n.id, req[i]!]));
}

const NAMES = ['a', 'b', 'c', 'd', 'e', 'f'];
const KINDS: EdgeKind[] = ['normal', 'normal', 'dev', 'build', 'optional', 'peer'];

const graphArb = fc
  .array(
    fc.record({
      name: fc.constantFrom(...NAMES),
      member: fc.boolean(),
      deps: fc.array(fc.record({ to: fc.nat(9), kind: fc.constantFrom(...KINDS) }), { maxLength: 5 }),
    }),
    { minLength: 1, maxLength: 10 },
  )
  .map((specs): DependencyGraph => {
    // Ids `name@1.0.0` may repeat (a name drawn twice) and edges may point past the last node.
    const ids = specs.map((s) => `${s.name}@1.0.0`);
    const nodes: PackageNode[] = specs.map((s, i) => ({
      id: ids[i]!,
      name: s.name,
      version: '1.0.0',
      source: { kind: s.member ? 'workspace' : 'registry' },
      integrity: [],
      firstParty: s.member,
      workspaceMember: s.member,
      deps: s.deps.map((d) => ({ to: ids[d.to] ?? `missing-${d.to}`, kind: d.kind })),
    }));
    return { ecosystem: 'npm', lockfile: 'x', format: 'test', nodes, warnings: [] };
  });

const policyArb = fc.dictionary(
  fc.constantFrom(...NAMES),
  fc.record(
    {
      criteria: fc.constant([SAFE_TO_RUN]),
      devCriteria: fc.constant([SAFE_TO_DEPLOY]),
      dependencyCriteria: fc.dictionary(fc.constantFrom(...NAMES), fc.constant([SAFE_TO_RUN])),
    },
    { requiredKeys: [] },
  ) as fc.Arbitrary<PolicyEntry>,
);

describe('indexed requirement passes', () => {
  it('give the walk and the sets of the id-keyed reference', () => {
    fc.assert(
      fc.property(graphArb, policyArb, (graph, policy) => {
        const store = storeOf({ policy });
        const w = walkGraph(graph);
        const r = referenceWalk(graph);
        expect(w.topo).toEqual(r.topo);
        expect([...w.roots]).toEqual([...r.roots]);
        expect([...w.devOnly]).toEqual([...r.devOnly]);
        expect([...w.reached]).toEqual([...r.reached]);
        const { sets } = computeRequirementSets(graph, store, npmVersionScheme);
        expect([...sets]).toEqual([...referenceSets(graph, store)]);
      }),
      { numRuns: 2000 },
    );
  });
});
