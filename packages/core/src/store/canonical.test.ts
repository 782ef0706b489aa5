import { describe, expect, it } from 'vitest';
import { canonicalFirstDifference, isCanonical } from './canonical.js';

describe('isCanonical (spec §9.1)', () => {
  it('ignores trailing whitespace at the end of the file only', () => {
    expect(isCanonical('a = 1\n', 'a = 1\n')).toBe(true);
    expect(isCanonical('a = 1\n\n\n  ', 'a = 1\n')).toBe(true);
    expect(isCanonical('a = 1', 'a = 1\n')).toBe(true);
  });

  it('counts every other difference', () => {
    expect(isCanonical('a = 1 \nb = 2\n', 'a = 1\nb = 2\n')).toBe(false);
    expect(isCanonical('a = 1\r\nb = 2\r\n', 'a = 1\nb = 2\n')).toBe(false);
    expect(isCanonical('\na = 1\n', 'a = 1\n')).toBe(false);
    expect(isCanonical("a = 'x'\n", 'a = "x"\n')).toBe(false);
  });
});

describe('canonicalFirstDifference', () => {
  it('is undefined for canonical text', () => {
    expect(canonicalFirstDifference('x\n', 'x\n\n', 'f')).toBeUndefined();
  });

  it('shows the first differing lines with context, like a unified diff', () => {
    const have = 'a\nb\nc\nX\ne\nf\n';
    const want = 'a\nb\nc\nd\ne\nf\n';
    expect(canonicalFirstDifference(have, want, 'audits.toml')).toBe(
      ['--- audits.toml', '+++ audits.toml (canonical)', '@@ line 4 @@', ' b', ' c', '-X', '+d', ' e', ' f'].join('\n'),
    );
  });

  it('shows an inserted line and makes CR and trailing spaces visible', () => {
    expect(canonicalFirstDifference('a\nc\n', 'a\nb\nc\n', 'f')).toBe(
      ['--- f', '+++ f (canonical)', '@@ line 2 @@', ' a', '+b', ' c'].join('\n'),
    );
    expect(canonicalFirstDifference('a \r\nb\n', 'a\nb\n', 'f')).toContain('-a·\\r');
  });
});

describe('canonical check on hostile text (fuzz finding, issue 10)', () => {
  it('a megabyte of whitespace inside a line costs linear time, and the diff cuts the line', () => {
    const line = `#${' '.repeat(1_000_000)}cargo-vet imports lock`;
    const start = performance.now();
    const diff = canonicalFirstDifference(`\n${line}\n${line}\n`, '\n# cargo-vet imports lock\n', 'imports.lock');
    expect(performance.now() - start).toBeLessThan(1000);
    expect(diff).toContain('@@ line 2 @@');
    expect(diff).toContain('… (999823 more characters)');
    expect(diff!.length).toBeLessThan(2000);
  });

  it('still shows trailing spaces, tabs and CR', () => {
    const diff = canonicalFirstDifference('a = 1 \t\r\nb = 2\n', 'a = 1\nb = 2\n', 'f');
    expect(diff).toContain('-a = 1·→\\r');
  });
});
