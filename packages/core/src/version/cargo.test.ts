import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cargoVersionScheme as s, formatCargoVersionReq, parseCargoVersionReq } from './cargo.js';

const HASH = '4445659b0f753a928059244c875a58bb12f791e9';

describe('cargo versions (spec §2)', () => {
  it('accepts semver and @git:<40 hex>, with whitespace around @', () => {
    for (const v of [
      '1.2.3',
      '1.0.0-beta.1',
      '0.11.0+wasi-snapshot-preview1',
      `1.0.37@git:${HASH}`,
      `1.0.37 @ git:${HASH}`,
    ]) {
      expect(s.validate(v), v).toBeUndefined();
    }
    expect(s.canonical(`1.0.37 @ git:${HASH}`)).toBe(`1.0.37@git:${HASH}`);
  });

  it('rejects what the semver crate rejects', () => {
    for (const v of [
      '1.2',
      'v1.2.3',
      '01.2.3',
      '1.2.3-01',
      '1.2.3-',
      '1.2.3+',
      ' 1.2.3',
      '1.2.3@svn:abc',
      `1.2.3@git:${HASH.slice(1)}`,
      '1.2.3@git:zz',
    ]) {
      expect(s.validate(v), v).toBeDefined();
    }
  });

  it('orders by semver, releases after pre-releases, then build, then git hash (none first)', () => {
    const sorted = [
      '1.0.0-alpha',
      '1.0.0-alpha.1',
      '1.0.0-alpha.beta',
      '1.0.0-beta',
      '1.0.0-beta.2',
      '1.0.0-beta.11',
      '1.0.0-rc.1',
      '1.0.0',
      '1.0.0+build.1',
      `1.0.0+build.1@git:${HASH}`,
      '1.0.1',
      '1.10.0',
      '2.0.0',
    ];
    const shuffled = [...sorted].reverse();
    expect(shuffled.sort(s.compare)).toEqual(sorted);
  });

  it('is a total order (antisymmetric and transitive) on random versions', () => {
    const part = fc.integer({ min: 0, max: 3 });
    const pre = fc.constantFrom('', 'alpha', 'alpha.1', 'beta', '1', '2.a');
    const version = fc
      .tuple(part, part, part, pre, fc.boolean())
      .map(([a, b, c, p, git]) => `${a}.${b}.${c}${p ? `-${p}` : ''}${git ? `@git:${HASH}` : ''}`);
    fc.assert(
      fc.property(version, version, version, (a, b, c) => {
        // `+ 0` folds -0 into 0: equal versions give sign 0 both ways, and toBe tells -0 from 0.
        expect(Math.sign(s.compare(a, b)) + 0).toBe(-Math.sign(s.compare(b, a)) + 0);
        if (s.compare(a, b) <= 0 && s.compare(b, c) <= 0) expect(s.compare(a, c)).toBeLessThanOrEqual(0);
      }),
    );
  });
});

describe('cargo version requirements (semver crate VersionReq)', () => {
  const yes = (v: string, r: string) => expect(s.satisfies(v, r), `${v} ∈ ${r}`).toBe(true);
  const no = (v: string, r: string) => expect(s.satisfies(v, r), `${v} ∉ ${r}`).toBe(false);

  it('treats a bare version as caret', () => {
    yes('1.2.3', '1.0.0');
    yes('1.9.0', '1.0.0');
    no('2.0.0', '1.0.0');
    no('0.9.0', '1.0.0');
    yes('0.2.5', '0.2.3');
    no('0.3.0', '0.2.3');
    no('0.0.4', '0.0.3');
  });

  it('handles comparators, comma lists, tilde, exact and wildcards', () => {
    yes('2.2.9', '>=2.0, <2.3');
    no('2.3.0', '>=2.0, <2.3');
    no('1.9.9', '>=2.0, <2.3');
    yes('1.0.0', '=1.0.0');
    no('1.0.1', '=1.0.0');
    yes('1.2.9', '~1.2.3');
    no('1.3.0', '~1.2.3');
    yes('1.7.0', '1.*');
    no('2.0.0', '1.*');
    yes('1.2.7', '1.2.*');
    yes('5.0.0', '*');
    yes('1.0.5', '^1');
    no('1.0.0', '>1');
    yes('2.0.0', '>1');
  });

  it('does not match pre-releases unless a comparator names one with the same x.y.z', () => {
    no('1.0.0-alpha', '*');
    no('1.0.0-alpha', '>=0.9');
    yes('1.0.0-beta', '>=1.0.0-alpha');
    no('1.0.1-beta', '>=1.0.0-alpha');
    yes('1.0.0-alpha', '=1.0.0-alpha');
  });

  it('matches git versions by their semver part', () => {
    yes(`1.0.37@git:${HASH}`, '=1.0.37');
    no(`1.0.37@git:${HASH}`, '<1.0.37');
  });

  it('normalises display like the semver crate', () => {
    const d = (r: string) => formatCargoVersionReq(parseCargoVersionReq(r));
    expect(d('*')).toBe('*');
    expect(d('1.0.0')).toBe('^1.0.0');
    expect(d('>= 2.0 ,  <2.3')).toBe('>=2.0, <2.3');
    expect(d('1.x')).toBe('1.*');
    expect(d('=1.0.0-alpha')).toBe('=1.0.0-alpha');
    expect(d('~1')).toBe('~1');
  });

  it('rejects malformed requirements', () => {
    for (const r of ['', '>=', '1.*.3', '*, >1', '>=1 <2', 'abc', '1.0.0,'])
      expect(s.validateRequirement(r), r).toBeDefined();
    for (const r of ['*', ' *', '>=2.0, <2.3', '^1', '=1.0.0', '1.0.0+build'])
      expect(s.validateRequirement(r), r).toBeUndefined();
  });
});
