/** One test per rule of spec §7.2–7.3 and trap §14.9. */
import { describe, expect, it } from 'vitest';
import { VetError } from '../errors.js';
import { cargoVersionScheme } from '../version/cargo.js';
import { npmVersionScheme } from '../version/npm.js';
import { graphOf, storeOf, type StoreSpec } from './__fixtures__/builders.js';
import type { NodeSpec } from './__fixtures__/builders.js';
import { computeRequirements, walkGraph } from './requirements.js';

function reqs(table: Record<string, NodeSpec>, spec: StoreSpec = {}): Record<string, string[]> {
  const m = computeRequirements(graphOf(table), storeOf(spec), cargoVersionScheme);
  return Object.fromEntries([...m].filter(([, v]) => v.length > 0));
}

describe('graph walk (§7.2)', () => {
  it('orders dependencies first, marks dev-only nodes and roots', () => {
    const w = walkGraph(
      graphOf({
        app: { deps: ['a@1.0.0'], dev: ['t@1.0.0', 'a@1.0.0'] },
        'a@1.0.0': { deps: ['b@1.0.0'] },
        'b@1.0.0': {},
        't@1.0.0': { deps: ['u@1.0.0'] },
        'u@1.0.0': {},
        'orphan@1.0.0': {},
      }),
    );
    expect(w.topo).toEqual(['b@1.0.0', 'a@1.0.0', 'app', 'u@1.0.0', 't@1.0.0']);
    expect([...w.devOnly]).toEqual(['u@1.0.0', 't@1.0.0']);
    expect([...w.roots]).toEqual(['app']);
  });
});

describe('requirements (§7.3)', () => {
  it('roots need safe-to-deploy, inherited through normal edges', () => {
    expect(reqs({ app: { deps: ['a@1.0.0'] }, 'a@1.0.0': { deps: ['b@1.0.0'] }, 'b@1.0.0': {} })).toEqual({
      app: ['safe-to-deploy'],
      'a@1.0.0': ['safe-to-deploy'],
      'b@1.0.0': ['safe-to-deploy'],
    });
  });

  it('build deps need safe-to-deploy like normal deps', () => {
    expect(reqs({ app: { build: ['cc@1.0.0'] }, 'cc@1.0.0': {} })['cc@1.0.0']).toEqual(['safe-to-deploy']);
  });

  it('dev deps need safe-to-run, one hop, then inherited by their deps', () => {
    const r = reqs({ app: { dev: ['t@1.0.0'] }, 't@1.0.0': { deps: ['u@1.0.0'] }, 'u@1.0.0': {} });
    expect(r['t@1.0.0']).toEqual(['safe-to-run']);
    expect(r['u@1.0.0']).toEqual(['safe-to-run']);
  });

  it('a package both normal and dev gets the union', () => {
    const r = reqs({ app: { deps: ['a@1.0.0'], dev: ['a@1.0.0'] }, 'a@1.0.0': {} });
    expect(r['a@1.0.0']).toEqual(['safe-to-deploy']);
  });

  it('dev edges of non-members are ignored', () => {
    const r = reqs({ app: { deps: ['a@1.0.0'] }, 'a@1.0.0': { dev: ['t@1.0.0'] }, 't@1.0.0': {} });
    expect(r['t@1.0.0']).toBeUndefined();
  });

  it('member dev-criteria replaces the safe-to-run default', () => {
    const r = reqs(
      { app: { dev: ['t@1.0.0'] }, 't@1.0.0': {} },
      { criteria: { fuzzed: {} }, policy: { app: { devCriteria: ['fuzzed'] } } },
    );
    expect(r['t@1.0.0']).toEqual(['fuzzed']);
  });

  it('dependency-criteria replaces the carried requirement per edge (normal and dev)', () => {
    const r = reqs(
      {
        app: { deps: ['a@1.0.0', 'b@1.0.0'], dev: ['t@1.0.0'] },
        'a@1.0.0': { deps: ['c@1.0.0'] },
        'b@1.0.0': {},
        't@1.0.0': {},
        'c@1.0.0': {},
      },
      { policy: { app: { dependencyCriteria: { a: ['safe-to-run'], t: [] } } } },
    );
    expect(r['a@1.0.0']).toEqual(['safe-to-run']);
    expect(r['c@1.0.0']).toEqual(['safe-to-run']); // inherited from a, not from app
    expect(r['b@1.0.0']).toEqual(['safe-to-deploy']);
    expect(r['t@1.0.0']).toBeUndefined();
  });

  it('policy criteria replaces what was accumulated, for its normal subtree', () => {
    const r = reqs(
      {
        app: { deps: ['fuzz'] },
        fuzz: { member: true, deps: ['x@1.0.0'], dev: ['y@1.0.0'] },
        'x@1.0.0': {},
        'y@1.0.0': {},
      },
      { policy: { fuzz: { criteria: [] } } },
    );
    expect(r['fuzz']).toBeUndefined();
    expect(r['x@1.0.0']).toBeUndefined();
    // The dev pass is separate (§7.3 step 1): fuzz's dev-deps still get the safe-to-run default.
    expect(r['y@1.0.0']).toEqual(['safe-to-run']);
  });

  it('...unless another path re-imposes the requirement', () => {
    const r = reqs(
      { app: { deps: ['fuzz', 'x@1.0.0'] }, fuzz: { member: true, deps: ['x@1.0.0'] }, 'x@1.0.0': {} },
      { policy: { fuzz: { criteria: [] } } },
    );
    expect(r['x@1.0.0']).toEqual(['safe-to-deploy']);
  });

  it('a root with a criteria policy gets only that (no implicit safe-to-deploy)', () => {
    const r = reqs({ app: { deps: ['x@1.0.0'] }, 'x@1.0.0': {} }, { policy: { app: { criteria: ['safe-to-run'] } } });
    expect(r['app']).toEqual(['safe-to-run']);
    expect(r['x@1.0.0']).toEqual(['safe-to-run']);
  });

  it('a versioned policy key applies to that version only (third-party too)', () => {
    const r = reqs(
      { app: { deps: ['x@1.0.0', 'x@2.0.0'] }, 'x@1.0.0': {}, 'x@2.0.0': {} },
      { policy: { 'x:2.0.0': { criteria: ['safe-to-run'] } } },
    );
    expect(r['x@1.0.0']).toEqual(['safe-to-deploy']);
    expect(r['x@2.0.0']).toEqual(['safe-to-run']);
  });

  it('a member that is only another member’s dev-dependency is still a root', () => {
    const g = { app: { dev: ['helper'] }, helper: { member: true, deps: ['h@1.0.0'] }, 'h@1.0.0': {} };
    expect(walkGraph(graphOf(g)).roots).toEqual(new Set(['app', 'helper']));
    expect(reqs(g)['h@1.0.0']).toEqual(['safe-to-deploy']);
  });

  it('a member that is a normal dependency of another member is not a root', () => {
    const g = { app: { deps: ['lib'] }, lib: { member: true, deps: ['l@1.0.0'] }, 'l@1.0.0': {} };
    expect(walkGraph(graphOf(g)).roots).toEqual(new Set(['app']));
    const r = reqs(g, { policy: { app: { dependencyCriteria: { lib: ['safe-to-run'] } } } });
    expect(r['l@1.0.0']).toEqual(['safe-to-run']);
  });

  it('propagates around npm dependency cycles', () => {
    const g = graphOf(
      {
        app: { deps: ['a@1.0.0'] },
        'a@1.0.0': { deps: ['b@1.0.0'] },
        'b@1.0.0': { deps: ['a@1.0.0', 'c@1.0.0'] },
        'c@1.0.0': {},
      },
      'npm',
    );
    const store = storeOf({ policy: { app: { dependencyCriteria: { a: ['safe-to-run'] } } } });
    const m = computeRequirements(g, store, npmVersionScheme);
    expect(m.get('a@1.0.0')).toEqual(['safe-to-run']);
    expect(m.get('c@1.0.0')).toEqual(['safe-to-run']);
  });

  it('unknown criteria in a policy is a CRITERIA_ERROR naming config.toml', () => {
    let err: unknown;
    try {
      reqs({ app: { deps: ['x@1.0.0'] }, 'x@1.0.0': {} }, { policy: { app: { criteria: ['safe-to-fly'] } } });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(VetError);
    expect((err as VetError).code).toBe('CRITERIA_ERROR');
    expect((err as VetError).file).toBe('config.toml');
  });
});
