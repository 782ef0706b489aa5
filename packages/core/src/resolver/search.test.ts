/** §7.6 path preference, and the search checked against a naive reachability reference. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cargoVersionScheme } from '../version/cargo.js';
import { deltaAudit, exemption, fullAudit, storeOf } from './__fixtures__/builders.js';
import type { AuditEdge, AuditGraph, EdgeOrigin } from './audit-graph.js';
import { buildAuditGraph } from './audit-graph.js';
import { CriteriaIndex } from './criteria.js';
import { searchAuditGraph, type SearchMode } from './search.js';

const criteria = new CriteriaIndex();
const DEPLOY = 1;

function graphFrom(edges: AuditEdge[]): AuditGraph {
  const g: AuditGraph = { name: 'x', forward: new Map(), backward: new Map() };
  for (const e of edges) {
    g.forward.set(e.from, [...(g.forward.get(e.from) ?? []), e]);
    g.backward.set(e.to, [...(g.backward.get(e.to) ?? []), e]);
  }
  return g;
}

/** Naive reference: breadth-first reachability from the root over edges carrying the criterion. */
function naiveReachable(edges: AuditEdge[], criterion: number, target: string): boolean {
  const seen = new Set<string | null>([null]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const e of edges) {
      if (seen.has(e.from) && !seen.has(e.to) && (e.criteria >> BigInt(criterion)) & 1n) {
        seen.add(e.to);
        grew = true;
      }
    }
  }
  return seen.has(target);
}

const VERSIONS = ['1.0.0', '1.1.0', '1.2.0', '1.3.0', '2.0.0'];
const origin = fc.oneof(
  fc.record({ kind: fc.constant('local-audit' as const), auditIndex: fc.nat(3), importable: fc.boolean() }),
  fc.record({
    kind: fc.constant('imported-audit' as const),
    importIndex: fc.nat(1),
    importName: fc.constant('peer'),
    auditIndex: fc.nat(3),
  }),
  fc.record({ kind: fc.constant('exemption' as const), exemptionIndex: fc.nat(3) }),
  fc.record({ kind: fc.constant('unpublished' as const), unpublishedIndex: fc.nat(3) }),
  fc.record({ kind: fc.constant('trusted' as const), publisherIndex: fc.nat(3), trustedIndex: fc.nat(1) }),
) as fc.Arbitrary<EdgeOrigin>;
const edge = fc.record({
  from: fc.option(fc.constantFrom(...VERSIONS), { nil: null }),
  to: fc.constantFrom(...VERSIONS),
  criteria: fc.constantFrom(1n, 3n),
  origin,
}) as fc.Arbitrary<AuditEdge>;

describe('search (§7.6)', () => {
  it('finds a path exactly when naive reachability does; the shortcut never changes the chosen path', () => {
    fc.assert(
      fc.property(
        fc.array(edge, { maxLength: 12 }),
        fc.constantFrom(...VERSIONS),
        fc.constantFrom(0, 1),
        fc.constantFrom<SearchMode>('prefer-exemptions', 'prefer-fresh-imports'),
        (edges, target, c, mode) => {
          const g = graphFrom(edges);
          const fast = searchAuditGraph(g, c, target, mode, cargoVersionScheme);
          const slow = searchAuditGraph(g, c, target, mode, cargoVersionScheme, false);
          expect(fast.ok).toBe(naiveReachable(edges, c, target));
          expect(fast).toEqual(slow);
          if (fast.ok) {
            // A root-first chain that ends at the target, every edge carrying the criterion.
            expect(fast.path[0]!.from).toBeNull();
            expect(fast.path[fast.path.length - 1]!.to).toBe(target);
            fast.path.forEach((e, i) => i > 0 && expect(e.from).toBe(fast.path[i - 1]!.to));
          } else {
            expect(fast.reachableFromRoot.has(null)).toBe(true);
            expect(fast.reachableFromTarget.has(target)).toBe(true);
            expect(fast.reachableFromRoot.has(target)).toBe(false);
            // Visit order too: `explain-audit` prints these sets as they are.
            if (!slow.ok) {
              expect([...fast.reachableFromRoot]).toEqual([...slow.reachableFromRoot]);
              expect([...fast.reachableFromTarget]).toEqual([...slow.reachableFromTarget]);
            }
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  const search = (spec: Parameters<typeof storeOf>[0], target: string, mode: SearchMode = 'prefer-exemptions') => {
    const g = buildAuditGraph(storeOf(spec), 'foo', criteria, cargoVersionScheme);
    const r = searchAuditGraph(g, DEPLOY, target, mode, cargoVersionScheme);
    return r.ok ? r.path.map((e) => `${e.origin.kind}:${e.from ?? 'root'}->${e.to}`) : null;
  };

  it('prefers a longer audit chain to a shorter path through an exemption', () => {
    expect(
      search(
        {
          audits: { foo: [fullAudit('1.0.0'), deltaAudit('1.0.0', '1.1.0'), deltaAudit('1.1.0', '1.2.0')] },
          exemptions: { foo: [exemption('1.2.0')] },
        },
        '1.2.0',
      ),
    ).toEqual(['local-audit:root->1.0.0', 'local-audit:1.0.0->1.1.0', 'local-audit:1.1.0->1.2.0']);
  });

  it('between exemption paths, prefers the exemption of the smaller version', () => {
    const spec = {
      audits: { foo: [deltaAudit('1.0.0', '1.2.0'), deltaAudit('1.1.0', '1.2.0')] },
      exemptions: { foo: [exemption('1.1.0'), exemption('1.0.0')] },
    };
    expect(search(spec, '1.2.0')).toEqual(['exemption:root->1.0.0', 'local-audit:1.0.0->1.2.0']);
  });

  it('prefers an imported audit to an exemption, and a local audit to an imported one', () => {
    expect(
      search(
        { imports: { peer: { audits: { foo: [fullAudit('1.0.0')] } } }, exemptions: { foo: [exemption('1.0.0')] } },
        '1.0.0',
      ),
    ).toEqual(['imported-audit:root->1.0.0']);
    expect(
      search(
        { audits: { foo: [fullAudit('1.0.0')] }, imports: { peer: { audits: { foo: [fullAudit('1.0.0')] } } } },
        '1.0.0',
      ),
    ).toEqual(['local-audit:root->1.0.0']);
  });

  it('stale (locked) unpublished rows rank below exemptions in both modes', () => {
    const spec = {
      audits: { foo: [fullAudit('0.9.0')] },
      exemptions: { foo: [exemption('1.0.0')] },
      unpublished: { foo: [{ version: '1.0.0', auditedAs: '0.9.0' }] },
    };
    expect(search(spec, '1.0.0')).toEqual(['exemption:root->1.0.0']);
    expect(search(spec, '1.0.0', 'prefer-fresh-imports')).toEqual(['exemption:root->1.0.0']);
    const noExemption = { ...spec, exemptions: {} };
    expect(search(noExemption, '1.0.0')).toEqual(['local-audit:root->0.9.0', 'unpublished:0.9.0->1.0.0']);
  });
});
