import { describe, expect, it } from 'vitest';
import { globMatchesDir, hasGlobMeta } from './glob.js';

describe('globMatchesDir', () => {
  it('matches one component per *, ?, [..] and any number for **', () => {
    expect(globMatchesDir('crates/*', 'crates/a')).toBe(true);
    expect(globMatchesDir('crates/*', 'crates/a/b')).toBe(false);
    expect(globMatchesDir('./crates/*/', 'crates/a')).toBe(true);
    expect(globMatchesDir('crates/?', 'crates/ab')).toBe(false);
    expect(globMatchesDir('crates/[ab]*', 'crates/beta')).toBe(true);
    expect(globMatchesDir('crates/[!ab]*', 'crates/beta')).toBe(false);
    expect(globMatchesDir('crates/**', 'crates/a/b')).toBe(true);
    expect(globMatchesDir('**/fuzz', 'x/y/fuzz')).toBe(true);
    expect(globMatchesDir('crates/a.b', 'crates/aXb')).toBe(false);
  });

  it('knows which entries are globs', () => {
    expect(hasGlobMeta('examples/*')).toBe(true);
    expect(hasGlobMeta('src/lib/coapcore')).toBe(false);
  });
});
