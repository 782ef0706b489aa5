import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { comparePep440, formatPep440, parsePep440, pep440Satisfies, pep440Scheme } from './pep440.js';

// Ordering list from PEP 440's examples and pypa/packaging tests/test_version.py.
const ORDERED = [
  '1.0.dev456',
  '1.0a1',
  '1.0a2.dev456',
  '1.0a12.dev456',
  '1.0a12',
  '1.0b1.dev456',
  '1.0b2',
  '1.0b2.post345.dev456',
  '1.0b2.post345',
  '1.0b2-346',
  '1.0c1.dev456',
  '1.0c1',
  '1.0rc2',
  '1.0c3',
  '1.0',
  '1.0.post456.dev34',
  '1.0.post456',
  '1.1.dev1',
  '1.2+123abc',
  '1.2+123abc456',
  '1.2+abc',
  '1.2+abc123',
  '1.2+abc123def',
  '1.2+1234.abc',
  '1.2+123456',
  '1.2.r32+123456',
  '1.2.rev33+123456',
  '1!1.0b2.post345.dev456',
  '1!1.0',
  '1!1.2.rev33+123456',
];

describe('PEP 440 ordering', () => {
  it('sorts the reference list and every pair agrees', () => {
    const shuffled = [...ORDERED].reverse();
    expect(shuffled.sort(comparePep440)).toEqual(ORDERED);
    for (let i = 0; i < ORDERED.length; i++) {
      for (let j = 0; j < ORDERED.length; j++) {
        expect(Math.sign(comparePep440(ORDERED[i]!, ORDERED[j]!))).toBe(Math.sign(i - j));
      }
    }
  });

  it('treats spelling variants as equal and normalises them', () => {
    expect(comparePep440('1.0', '1.0.0')).toBe(0);
    expect(comparePep440('1.0-RC1', '1.0rc1')).toBe(0);
    expect(comparePep440('v1.0.post1', '1.0-1')).toBe(0);
    expect(formatPep440(parsePep440('1.0-Alpha.1_DEV2')!)).toBe('1.0a1.dev2');
    expect(formatPep440(parsePep440('2!1.0-1+Ubuntu-1')!)).toBe('2!1.0.post1+ubuntu.1');
  });

  it('compares huge numeric segments exactly', () => {
    expect(comparePep440('1.99999999999999999999', '1.99999999999999999998')).toBe(1);
  });

  it('puts invalid versions after valid ones, ordered by string', () => {
    expect(pep440Scheme.validate('1.0.0')).toBeUndefined();
    expect(pep440Scheme.validate('not-a-version')).toBeDefined();
    expect(['zz', '2.0', 'aa', '1.0'].sort(comparePep440)).toEqual(['1.0', '2.0', 'aa', 'zz']);
  });

  it('is a total order on generated versions (antisymmetric, transitive)', () => {
    const seg = fc.integer({ min: 0, max: 12 });
    const version = fc
      .record({
        epoch: fc.option(fc.integer({ min: 0, max: 2 }), { nil: undefined }),
        rel: fc.array(seg, { minLength: 1, maxLength: 3 }),
        pre: fc.option(fc.tuple(fc.constantFrom('a', 'b', 'rc'), seg), { nil: undefined }),
        post: fc.option(seg, { nil: undefined }),
        dev: fc.option(seg, { nil: undefined }),
        local: fc.option(fc.constantFrom('abc', '1', 'abc.2', '10'), { nil: undefined }),
      })
      .map(
        (v) =>
          `${v.epoch !== undefined ? `${v.epoch}!` : ''}${v.rel.join('.')}${v.pre ? v.pre.join('') : ''}` +
          `${v.post !== undefined ? `.post${v.post}` : ''}${v.dev !== undefined ? `.dev${v.dev}` : ''}${v.local ? `+${v.local}` : ''}`,
      );
    fc.assert(
      fc.property(version, version, version, (a, b, c) => {
        // `+ 0` folds -0 into 0: equal versions give sign 0 both ways, and toBe tells -0 from 0.
        expect(Math.sign(comparePep440(a, b)) + 0).toBe(-Math.sign(comparePep440(b, a)) + 0);
        if (comparePep440(a, b) <= 0 && comparePep440(b, c) <= 0) expect(comparePep440(a, c)).toBeLessThanOrEqual(0);
        // Round trip through the canonical form keeps the order position.
        expect(comparePep440(formatPep440(parsePep440(a)!), a)).toBe(0);
      }),
      { numRuns: 500 },
    );
  });
});

describe('PEP 440 specifiers', () => {
  const cases: Array<[string, string, boolean]> = [
    ['2.2.5', '~=2.2', true],
    ['3.0', '~=2.2', false],
    ['2.2.0', '~=2.2.0', true],
    ['2.3.0', '~=2.2.0', false],
    ['1.4.5', '~=1.4.5a4', true],
    ['1.4.5a5', '~=1.4.5a4', true],
    ['1.1.0', '==1.1', true],
    ['1.1.post1', '==1.1', false],
    ['1.1+local', '==1.1', true],
    ['1.1+local', '==1.1+other', false],
    ['1.1.3', '==1.1.*', true],
    ['1.10', '==1.1.*', false],
    ['1.1rc1', '==1.1.*', false],
    ['1', '==1.0.*', true],
    ['1.1.3', '!=1.1.*', false],
    ['1.2', '!=1.1.*', true],
    ['1.7.0', '<1.7', false],
    ['1.7.0rc1', '<1.7', false],
    ['1.6.9', '<1.7', true],
    ['1.7a1', '<1.7a2', true],
    ['1.7.1', '>1.7', true],
    ['1.7.0.post1', '>1.7', false],
    ['1.7.0.post2', '>1.7.post1', true],
    ['1.7+local', '>1.7', false],
    ['2.0', '>=2.0, <2.3', true],
    ['2.3', '>=2.0, <2.3', false],
    ['2.1rc1', '>=2.0, <2.3', false],
    ['2.1rc1', '>=2.1rc1', true],
    ['1.0+anything', '<=1.0', true],
    ['foobar', '===foobar', true],
    ['1.0', '===1.0.0', false],
    ['9.9', '*', true],
    ['0.1', '', true],
    ['1!1.0', '>=2.0', true],
    ['1.0', '>=1!0.1', false],
  ];
  it.each(cases)('%s in "%s" is %s', (v, req, want) => {
    expect(pep440Satisfies(v, req)).toBe(want);
    expect(pep440Scheme.satisfies(v, req)).toBe(want);
  });

  it('admits pre-releases only when asked or named', () => {
    expect(pep440Satisfies('2.1rc1', '>=2.0')).toBe(false);
    expect(pep440Satisfies('2.1rc1', '>=2.0', { prereleases: true })).toBe(true);
  });

  it('validates requirements with a reason', () => {
    for (const bad of ['~=1', '>=1.*', '<1.0+local', '>>1', '==1.0rc1.*', 'banana']) {
      expect(pep440Scheme.validateRequirement(bad), bad).toBeDefined();
    }
    for (const good of ['>=1,<2', '==1.*', '~=1.4.5', '===weird', '!=1.0+local']) {
      expect(pep440Scheme.validateRequirement(good), good).toBeUndefined();
    }
    expect(pep440Satisfies('1.0', '>=1.*')).toBe(false);
  });
});
