import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DependencyGraph, EdgeKind, PackageNode } from '../../graph.js';
import { computeDevOnly } from './dev-only.js';

/** Graph builder: `member` nodes are workspace members; edges as [from, to, kind]. */
function graph(members: string[], others: string[], edgeList: Array<[string, string, EdgeKind]>): DependencyGraph {
  const mk = (id: string, member: boolean): PackageNode => ({
    id,
    name: id,
    version: '1.0.0',
    source: { kind: member ? 'workspace' : 'registry' },
    integrity: [],
    firstParty: member,
    workspaceMember: member,
    deps: edgeList.filter(([from]) => from === id).map(([, to, kind]) => ({ to, kind })),
  });
  return {
    ecosystem: 'npm',
    lockfile: 'x',
    format: 'test',
    nodes: [...members.map((m) => mk(m, true)), ...others.map((o) => mk(o, false))],
    warnings: [],
  };
}

describe('computeDevOnly', () => {
  it('marks prod, dev-only and leaves unreached nodes out', () => {
    const g = graph(
      ['root', 'ws'],
      ['p', 'd', 'shared', 'opt', 'peer', 'ghost', 'devOfDep'],
      [
        ['root', 'p', 'normal'],
        ['root', 'd', 'dev'],
        ['root', 'ws', 'dev'],
        ['d', 'shared', 'normal'],
        ['p', 'shared', 'normal'],
        ['p', 'opt', 'optional'],
        ['p', 'peer', 'peer'],
        ['p', 'devOfDep', 'dev'], // a dependency's dev edge is never installed
      ],
    );
    const dev = computeDevOnly(g);
    expect(Object.fromEntries(dev)).toEqual({
      root: false,
      ws: false,
      p: false,
      shared: false,
      opt: false,
      peer: false,
      d: true,
    });
    expect(dev.has('ghost')).toBe(false);
    expect(dev.has('devOfDep')).toBe(false);
  });

  it('agrees with a naive reachability definition on random graphs', () => {
    const kinds: EdgeKind[] = ['normal', 'dev', 'optional', 'peer'];
    const arb = fc.record({
      n: fc.integer({ min: 1, max: 12 }),
      members: fc.integer({ min: 1, max: 3 }),
      edges: fc.array(fc.tuple(fc.nat(11), fc.nat(11), fc.constantFrom(...kinds)), { maxLength: 40 }),
    });
    fc.assert(
      fc.property(arb, ({ n, members, edges }) => {
        const ids = Array.from({ length: n }, (_, i) => `n${i}`);
        const m = Math.min(members, n);
        const list = edges
          .filter(([a, b]) => a < n && b < n)
          .map(([a, b, k]) => [`n${a}`, `n${b}`, k] as [string, string, EdgeKind]);
        const g = graph(ids.slice(0, m), ids.slice(m), list);
        const dev = computeDevOnly(g);
        const isMember = (id: string) => ids.indexOf(id) < m;
        // Naive: prod = reachable from members over edges that are not dev.
        const reach = (starts: string[]) => {
          const seen = new Set(starts);
          let grew = true;
          while (grew) {
            grew = false;
            for (const [a, b, k] of list)
              if (seen.has(a) && k !== 'dev' && !seen.has(b)) {
                seen.add(b);
                grew = true;
              }
          }
          return seen;
        };
        const prod = reach(ids.slice(0, m));
        const devReach = reach(list.filter(([a, , k]) => k === 'dev' && isMember(a)).map(([, b]) => b));
        for (const id of ids) {
          const expected = prod.has(id) ? false : devReach.has(id) ? true : undefined;
          if (dev.get(id) !== expected) return false;
        }
        return true;
      }),
    );
  });
});
