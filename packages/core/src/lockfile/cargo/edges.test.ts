/**
 * matchingDecls (issue 12: indexed by name, a lone declaration answered without checking its
 * requirement) against the plain rule it implements, kept here as the reference.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchingDecls, type LockedTarget } from './edges.js';
import type { CargoDepDecl } from './manifest.js';
import { cargoReqMatches } from './req.js';

function reference(decls: readonly CargoDepDecl[], t: LockedTarget): CargoDepDecl[] {
  const byName = decls.filter((d) => d.package === t.name);
  if (t.pathDir !== undefined) {
    const byPath = byName.filter((d) => d.path === t.pathDir);
    if (byPath.length > 0) return byPath;
  }
  const byReq = byName.filter((d) => cargoReqMatches(d.version, t.version));
  const nonPath = byReq.filter((d) => d.path === undefined);
  if (t.pathDir === undefined && nonPath.length > 0) return nonPath;
  return byReq.length > 0 ? byReq : byName;
}

const decl = fc.record(
  {
    key: fc.constantFrom('a', 'b', 'a2'),
    package: fc.constantFrom('a', 'b'),
    kind: fc.constantFrom('normal' as const, 'dev' as const, 'build' as const),
    version: fc.constantFrom('1', '=1.0.3', '>=1, <2', '0.4', '*', 'nonsense'),
    path: fc.constantFrom('crates/a', 'crates/b'),
    optional: fc.boolean(),
    inherited: fc.constant(false),
  },
  { requiredKeys: ['key', 'package', 'kind', 'optional', 'inherited'] },
) as fc.Arbitrary<CargoDepDecl>;

const target = fc.record(
  {
    name: fc.constantFrom('a', 'b'),
    version: fc.constantFrom('1.0.3', '0.4.1', '2.0.0'),
    pathDir: fc.constantFrom('crates/a', 'crates/b'),
  },
  { requiredKeys: ['name', 'version'] },
) as fc.Arbitrary<LockedTarget>;

describe('matchingDecls', () => {
  it('picks the declarations the plain rule picks', () => {
    fc.assert(
      fc.property(fc.array(decl, { maxLength: 4 }), target, (decls, t) => {
        expect(matchingDecls(decls, t)).toEqual(reference(decls, t));
      }),
      { numRuns: 3000 },
    );
  });
});
