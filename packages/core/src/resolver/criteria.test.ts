import { describe, expect, it } from 'vitest';
import { VetError } from '../errors.js';
import type { CriteriaEntry } from '../store/model.js';
import { CriteriaIndex } from './criteria.js';

const entry = (implies: string[] = []): CriteriaEntry => ({ description: 'x', implies, aggregatedFrom: [] });

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return e instanceof VetError ? e.code : 'not a VetError';
  }
  return undefined;
}

describe('CriteriaIndex (spec §6, trap §14.18)', () => {
  it('puts built-ins at 0/1 and customs in byte-wise order', () => {
    const c = new CriteriaIndex({ zeta: entry(), Alpha: entry(), beta: entry() });
    expect(c.names).toEqual(['safe-to-run', 'safe-to-deploy', 'Alpha', 'beta', 'zeta']);
  });

  it('closes over implies, transitively, and safe-to-deploy implies safe-to-run', () => {
    const c = new CriteriaIndex({ a: entry(['b']), b: entry(['safe-to-deploy']) });
    expect(c.minimalNames(c.closureOf(['safe-to-deploy']))).toEqual(['safe-to-deploy']);
    expect(c.indices(c.closureOf(['safe-to-deploy']))).toEqual([0, 1]);
    expect(c.indices(c.closureOf(['a']))).toEqual([0, 1, 2, 3]);
  });

  it('displays only minimal members, built-ins first', () => {
    const c = new CriteriaIndex({ 'crypto-reviewed': entry(), 'license-reviewed': entry() });
    const set = c.closureOf(['license-reviewed', 'safe-to-run', 'safe-to-deploy', 'crypto-reviewed']);
    expect(c.minimalNames(set)).toEqual(['safe-to-deploy', 'crypto-reviewed', 'license-reviewed']);
  });

  it('lists what implies a criterion (for suggestion labels)', () => {
    const c = new CriteriaIndex({ strong: entry(['safe-to-deploy']) });
    expect(c.impliedBy(c.indexOf('safe-to-run')).map((i) => c.nameOf(i))).toEqual(['safe-to-deploy', 'strong']);
  });

  it('rejects implies cycles, redeclared built-ins, unknown implies, >64 criteria', () => {
    expect(codeOf(() => new CriteriaIndex({ a: entry(['b']), b: entry(['a']) }))).toBe('CRITERIA_ERROR');
    expect(codeOf(() => new CriteriaIndex({ a: entry(['a']) }))).toBe('CRITERIA_ERROR');
    expect(codeOf(() => new CriteriaIndex({ 'safe-to-run': entry() }))).toBe('CRITERIA_ERROR');
    expect(codeOf(() => new CriteriaIndex({ a: entry(['nope']) }))).toBe('CRITERIA_ERROR');
    const many = Object.fromEntries(Array.from({ length: 63 }, (_, i) => [`c${i}`, entry()]));
    expect(codeOf(() => new CriteriaIndex(many))).toBe('CRITERIA_ERROR');
    const ok = Object.fromEntries(Array.from({ length: 62 }, (_, i) => [`c${i}`, entry()]));
    expect(new CriteriaIndex(ok).size).toBe(64);
  });

  it('rejects unknown names with a hint', () => {
    const c = new CriteriaIndex();
    let err: unknown;
    try {
      c.closureOf(['safe-to-fly'], { file: 'config.toml' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(VetError);
    expect((err as VetError).code).toBe('CRITERIA_ERROR');
    expect((err as VetError).file).toBe('config.toml');
  });
});
