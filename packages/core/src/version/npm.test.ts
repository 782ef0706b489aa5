import fc from 'fast-check';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { versionSchemeFor } from './index.js';
import { npmVersionScheme as s } from './npm.js';

describe('npm version scheme', () => {
  it('validates strict semver only', () => {
    expect(s.validate('1.2.3')).toBeUndefined();
    expect(s.validate('1.2.3-rc.1+b')).toBeUndefined();
    expect(s.validate('v1.2.3')).toBeDefined();
    expect(s.validate('1.2')).toBeDefined();
  });

  it('takes git dependencies as cargo-vet writes git crates, x.y.z@git:<40 hex> (issue 10)', () => {
    const rev = '45c19536db34e7005a50b435582692886322ab36';
    expect(s.validate(`0.0.0@git:${rev}`)).toBeUndefined();
    expect(s.validate(`0.0.0@git:${rev.slice(0, 12)}`)).toBeDefined();
    expect(s.validate(`github:o/r#${rev}`)).toBeDefined();
    expect([`1.0.0@git:${'f'.repeat(40)}`, '1.0.0', `1.0.0@git:${rev}`, '0.9.0'].sort(s.compare)).toEqual([
      '0.9.0',
      '1.0.0',
      `1.0.0@git:${rev}`,
      `1.0.0@git:${'f'.repeat(40)}`,
    ]);
    expect(s.satisfies(`1.0.0@git:${rev}`, '^1.0.0')).toBe(true);
  });

  it('validates and orders exactly as node-semver does, x.y.z and pre-releases included (property)', () => {
    // The scheme before plain versions skipped node-semver: the reference.
    const part = (v: string) => (/@git:[0-9a-f]{40}$/.test(v) ? v.slice(0, v.indexOf('@git:')) : v);
    const parse = (v: string) => (/^[0-9]/.test(part(v)) ? semver.parse(part(v), { loose: false }) : null);
    const cmpStr = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    const reference = (a: string, b: string) => {
      const [va, vb] = [parse(a), parse(b)];
      if (va && vb) return va.compareMain(vb) || va.comparePre(vb) || va.compareBuild(vb) || cmpStr(a, b);
      return va ? -1 : vb ? 1 : cmpStr(a, b);
    };
    const num = fc.oneof(
      fc.constantFrom('0', '1', '2', '10', '01', '00', '999999999999999', '1000000000000000', '9007199254740993'),
      fc.nat({ max: 30 }).map(String),
    );
    const ident = fc.oneof(
      num,
      fc.constantFrom('alpha', 'beta', 'rc', 'next', 'a1', '1a', '-', '--x', '0a', 'Z', 'z', '', 'α', '0x10'),
    );
    const tail = fc.oneof(
      fc.constant(''),
      fc.array(ident, { minLength: 1, maxLength: 4 }).map((ids) => `-${ids.join('.')}`),
      fc.constantFrom('+build.5', '-beta+x', '-rc.1+001', '-'),
    );
    const version = fc
      .tuple(
        fc.array(num, { minLength: 1, maxLength: 4 }),
        tail,
        fc.constantFrom('', `@git:${'a'.repeat(40)}`, '@git:abc', 'x', ' ', 'v', `-${'a'.repeat(260)}`),
      )
      .map(([nums, t, suffix]) => (suffix === 'v' ? 'v' : '') + nums.join('.') + t + (suffix === 'v' ? '' : suffix));
    // Same x.y.z, different pre-releases: where the identifier order decides.
    const samePair = fc
      .tuple(fc.constantFrom('1.0.0', '0.0.1', '2.10.3'), tail, tail)
      .map(([main, x, y]) => [main + x, main + y] as const);
    fc.assert(
      fc.property(samePair, ([a, b]) => {
        expect(s.compare(a, b)).toBe(reference(a, b));
      }),
      { numRuns: 5000 },
    );
    const sorted = ['1.0.0', '1.0.0-rc.10', '1.0.0-rc.2', '1.0.0-rc.a', '1.0.0-2', '1.0.0-10', '1.0.0-rc'];
    expect([...sorted].sort(s.compare)).toEqual([...sorted].sort(reference));
    fc.assert(
      fc.property(version, version, (a, b) => {
        expect(s.validate(a) === undefined).toBe(parse(a) !== null);
        expect(s.compare(a, b)).toBe(reference(a, b));
      }),
      { numRuns: 20_000 },
    );
  });

  it('orders like node-semver, invalid versions last', () => {
    expect(['2.0.0', 'weird', '1.0.0', '1.0.0-rc.1'].sort(s.compare)).toEqual([
      '1.0.0-rc.1',
      '1.0.0',
      '2.0.0',
      'weird',
    ]);
  });

  it('matches npm ranges; pre-releases escape *', () => {
    expect(s.satisfies('1.4.0', '^1.2.0')).toBe(true);
    expect(s.satisfies('2.0.0', '^1.2.0')).toBe(false);
    expect(s.satisfies('1.5.0', '>=1.0.0 <1.6.0 || 3.x')).toBe(true);
    expect(s.satisfies('1.0.0-beta.1', '*')).toBe(false);
    expect(s.satisfies('1.0.0-beta.2', '>=1.0.0-beta.1')).toBe(true);
    expect(s.validateRequirement('not a range!')).toBeDefined();
    expect(s.validateRequirement('>=1 <2')).toBeUndefined();
  });

  it('versionSchemeFor picks the scheme per ecosystem', () => {
    expect(versionSchemeFor('npm')).toBe(s);
    expect(versionSchemeFor('cargo').validate('1.0.0@git:4445659b0f753a928059244c875a58bb12f791e9')).toBeUndefined();
    expect(versionSchemeFor('pypi')).toBeDefined();
  });
});
