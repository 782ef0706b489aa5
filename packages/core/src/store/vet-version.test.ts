import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareVetVersions, parseVetVersion, validateVetVersion } from './vet-version.js';
import { normalizeVersionReq } from './version-req.js';

const HASH = '4445659b0f753a928059244c875a58bb12f791e9';

describe('VetVersion (spec §2)', () => {
  it('accepts semver and @git versions, tolerating spaces around @', () => {
    expect(validateVetVersion('1.2.3')).toBeUndefined();
    expect(validateVetVersion('0.11.0+wasi-snapshot-preview1')).toBeUndefined();
    expect(validateVetVersion(`1.0.37@git:${HASH}`)).toBeUndefined();
    expect(parseVetVersion(`1.0.37 @ git:${HASH}`)).toMatchObject({ gitRev: HASH });
  });

  it.each([
    ['1.2', 'not a semver'],
    ['01.2.3', 'not a semver'],
    ['1.2.3-01', 'pre-release'],
    [`1.0.0@svn:${HASH}`, 'unrecognized revision'],
    ['1.0.0@git:abc', 'invalid git hash'],
    ['v1.0.0', 'not a semver'],
  ])('rejects %s', (v, why) => {
    expect(validateVetVersion(v)).toContain(why);
  });

  it('validates exactly as the full parse does (the plain-semver fast path is only a shortcut)', () => {
    const char = fc.constantFrom(...'0019aZ-+.@ '.split(''), 'git:', HASH);
    fc.assert(
      fc.property(fc.array(char, { maxLength: 14 }), (parts) => {
        const v = parts.join('');
        const p = parseVetVersion(v);
        expect(validateVetVersion(v)).toBe(typeof p === 'string' ? p : undefined);
      }),
      { numRuns: 20_000 },
    );
  });

  it('orders by semver: pre-releases before the release, numeric ids numerically', () => {
    const sorted = [
      '1.0.0',
      '1.0.0-rc.1',
      '1.0.0-alpha.10',
      '1.0.0-alpha.2',
      '1.0.0-alpha',
      '0.9.10',
      '0.9.9',
      '1.0.0-alpha.beta',
    ].sort(compareVetVersions);
    expect(sorted).toEqual([
      '0.9.9',
      '0.9.10',
      '1.0.0-alpha',
      '1.0.0-alpha.2',
      '1.0.0-alpha.10',
      '1.0.0-alpha.beta',
      '1.0.0-rc.1',
      '1.0.0',
    ]);
  });

  it('sorts build metadata after no metadata, and no git hash before a hash', () => {
    expect(compareVetVersions('1.0.0', '1.0.0+build')).toBeLessThan(0);
    expect(compareVetVersions('1.0.0+2', '1.0.0+10')).toBeLessThan(0);
    expect(compareVetVersions('1.0.0', `1.0.0@git:${HASH}`)).toBeLessThan(0);
    expect(compareVetVersions(`1.0.0@git:${HASH}`, '1.0.1')).toBeLessThan(0);
  });

  it('puts invalid versions after valid ones, then by bytes', () => {
    expect(['zzz', '2.0.0', 'abc'].sort(compareVetVersions)).toEqual(['2.0.0', 'abc', 'zzz']);
  });
});

describe('normalizeVersionReq (semver crate display)', () => {
  it.each([
    ['*', '*'],
    ['1.0.0', '^1.0.0'],
    ['>=2.0,<2.3', '>=2.0, <2.3'],
    ['>= 2.0 ,  < 2.3', '>=2.0, <2.3'],
    ['=1.0.0-beta.1', '=1.0.0-beta.1'],
    ['1.*', '1.*'],
    ['<0.20.0', '<0.20.0'],
  ])('%s → %s', (req, shown) => {
    expect(normalizeVersionReq(req)).toBe(shown);
  });

  it('rejects what is not a requirement', () => {
    expect(normalizeVersionReq('banana')).toBeUndefined();
    expect(normalizeVersionReq('>=1.0.0+build')).toBeUndefined();
  });
});
