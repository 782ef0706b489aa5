/**
 * The field rules of the one admission (entry-rules.ts): names valid for their registry,
 * versions of their ecosystem's scheme, no NUL / control characters / unpaired surrogates in
 * any field, every length bound. Hostile strings by property (fast-check).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Ecosystem } from '../graph.js';
import {
  NOTARY_LIMITS,
  checkCriteria,
  checkLine,
  checkNotes,
  checkPackageName,
  checkVersion,
  checkVersionRange,
} from './entry-rules.js';

const ECOS: Ecosystem[] = ['npm', 'pypi', 'cargo'];
const ruleOf = (f: () => void): string | undefined => {
  try {
    f();
    return undefined;
  } catch (e) {
    return (e as { rule?: string }).rule ?? 'THREW';
  }
};

describe('package names', () => {
  const valid: [Ecosystem, string][] = [
    ['npm', 'left-pad'],
    ['npm', '@scope/name'],
    ['npm', 'JSONStream'], // an old name: npm still serves uppercase ones
    ['npm', '__proto__x'.slice(2)], // 'proto__x'
    ['npm', 'constructor'],
    ['pypi', 'requests'],
    ['pypi', 'zope-interface'],
    ['cargo', 'serde_json'],
    ['cargo', 'Inflector'],
  ];
  const invalid: [Ecosystem, string][] = [
    ['npm', ''],
    ['npm', '.hidden'],
    ['npm', '_private'],
    ['npm', 'node_modules'],
    ['npm', 'Node_Modules'],
    ['npm', 'favicon.ico'],
    ['npm', 'a b'],
    ['npm', 'a\u0000b'],
    ['npm', '@scope/.x'],
    ['npm', '@/x'],
    ['npm', 'a'.repeat(215)],
    ['pypi', 'Requests'],
    ['pypi', 'zope.interface'],
    ['pypi', 'a--b'],
    ['pypi', '-a'],
    ['cargo', '1abc'],
    ['cargo', 'a'.repeat(65)],
    ['cargo', 'a.b'],
  ];
  it.each(valid)('%s %j is valid', (eco, name) => expect(ruleOf(() => checkPackageName(eco, name))).toBeUndefined());
  it.each(invalid)('%s %j is refused', (eco, name) =>
    expect(ruleOf(() => checkPackageName(eco, name))).toBe('PACKAGE_NAME'),
  );
});

describe('versions and ranges', () => {
  it('a version of each ecosystem passes; others are refused by VERSION', () => {
    expect(ruleOf(() => checkVersion('npm', '1.2.3-rc.1'))).toBeUndefined();
    expect(ruleOf(() => checkVersion('pypi', '1.0.post1'))).toBeUndefined();
    expect(ruleOf(() => checkVersion('cargo', '0.1.0'))).toBeUndefined();
    for (const v of ['', 'v1', '1.2.3\u0000', '1.2.3\n', '__proto__', `1.0.${'9'.repeat(130)}`])
      expect([v, ruleOf(() => checkVersion('npm', v))]).toEqual([v, 'VERSION']);
  });
  it('a range must parse in its scheme', () => {
    expect(ruleOf(() => checkVersionRange('cargo', '>=1.0, <2.0'))).toBeUndefined();
    expect(ruleOf(() => checkVersionRange('npm', '>=1.0.0\u0000'))).toBe('VERSION_RANGE');
    expect(ruleOf(() => checkVersionRange('npm', ''))).toBe('VERSION_RANGE');
  });
});

describe('text fields', () => {
  it('who: 1–256 characters; notes up to 16,384 with newline and tab', () => {
    expect(ruleOf(() => checkLine('who', '', NOTARY_LIMITS.whoChars))).toBe('TEXT');
    expect(ruleOf(() => checkLine('who', 'x'.repeat(257), NOTARY_LIMITS.whoChars))).toBe('TEXT');
    expect(ruleOf(() => checkLine('who', 'Alice <a@example.com>', NOTARY_LIMITS.whoChars))).toBeUndefined();
    expect(ruleOf(() => checkNotes('line 1\n\tline 2'))).toBeUndefined();
    expect(ruleOf(() => checkNotes('x'.repeat(16_385)))).toBe('TEXT');
    expect(ruleOf(() => checkNotes('bell\u0007'))).toBe('TEXT');
    expect(ruleOf(() => checkNotes('esc\u001b[31m'))).toBe('TEXT');
  });
  it('criteria: 1–32 names of the criterion alphabet', () => {
    expect(ruleOf(() => checkCriteria([], false))).toBe('CRITERIA');
    expect(ruleOf(() => checkCriteria([], true))).toBeUndefined();
    expect(ruleOf(() => checkCriteria(Array(33).fill('a'), false))).toBe('CRITERIA');
    expect(ruleOf(() => checkCriteria(['safe\u0000'], false))).toBe('CRITERIA');
  });
});

/** A string with at least one C0/C1 control (NUL included) or an unpaired surrogate. */
const hostile = fc
  .tuple(
    fc.string({ maxLength: 20 }),
    fc.oneof(
      fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)),
      fc.integer({ min: 0x7f, max: 0x9f }).map((c) => String.fromCharCode(c)),
      fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
    ),
    fc.string({ maxLength: 20 }),
  )
  .map(([a, c, b]) => a + c + b);

describe('no control character or lone surrogate gets through any field (property)', () => {
  it('names, versions, ranges, who and criteria refuse it in every ecosystem', () => {
    fc.assert(
      fc.property(hostile, fc.constantFrom(...ECOS), (s, eco) => {
        expect(ruleOf(() => checkPackageName(eco, s))).toBe('PACKAGE_NAME');
        expect(ruleOf(() => checkVersion(eco, s))).toBe('VERSION');
        expect(ruleOf(() => checkVersionRange(eco, s))).toBe('VERSION_RANGE');
        expect(ruleOf(() => checkLine('who', s, NOTARY_LIMITS.whoChars))).toBe('TEXT');
        expect(ruleOf(() => checkCriteria([s], false))).toBe('CRITERIA');
      }),
      { numRuns: 2000 },
    );
  });
  it('notes refuse it unless every control is a newline or tab', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        const onlyNlTab = ![...s].some((ch) => /[\p{Cc}\p{Cs}]/u.test(ch) && ch !== '\n' && ch !== '\t');
        expect(ruleOf(() => checkNotes(s))).toBe(onlyNlTab ? undefined : 'TEXT');
      }),
      { numRuns: 2000 },
    );
  });
});
