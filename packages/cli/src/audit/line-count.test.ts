/** The fast line counter against the `diff` package's patch (the oracle) on generated texts. */
import fc from 'fast-check';
import { structuredPatch } from 'diff';
import { describe, expect, it } from 'vitest';
import { countLineChanges, lcsLengthBits } from './line-count.js';

function oracle(a: string, b: string, maxEditLength: number) {
  const sp = structuredPatch('a', 'b', a, b, undefined, undefined, { context: 0, maxEditLength });
  if (!sp) return undefined;
  let insertions = 0;
  let deletions = 0;
  for (const h of sp.hunks)
    for (const l of h.lines) {
      if (l.startsWith('+')) insertions++;
      else if (l.startsWith('-')) deletions++;
    }
  return { insertions, deletions };
}

const text = fc
  .tuple(fc.array(fc.constantFrom('a', 'b', 'c', 'd', '', ' a', 'a '), { maxLength: 40 }), fc.boolean())
  .map(([lines, eol]) => (lines.length === 0 ? '' : lines.join('\n') + (eol ? '\n' : '')));

describe('countLineChanges', () => {
  it('counts what the diff package counts, and gives up exactly when it does', () => {
    fc.assert(
      fc.property(text, text, fc.integer({ min: 1, max: 60 }), (a, b, max) => {
        expect(countLineChanges(a, b, max)).toEqual(oracle(a, b, max));
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees too when many lines occur on one side only (the pre-filter path)', () => {
    const wide = (tag: string) =>
      fc
        .tuple(
          fc.array(fc.constantFrom('a', 'b', `${tag}1`, `${tag}2`, `${tag}3`, `${tag}4`, 'c'), { maxLength: 60 }),
          fc.boolean(),
        )
        .map(([lines, eol]) => (lines.length === 0 ? '' : lines.join('\n') + (eol ? '\n' : '')));
    fc.assert(
      fc.property(wide('x'), wide('y'), fc.integer({ min: 1, max: 120 }), (a, b, max) => {
        expect(countLineChanges(a, b, max)).toEqual(oracle(a, b, max));
      }),
      { numRuns: 2000 },
    );
  });

  it('handles a missing final newline as git does', () => {
    expect(countLineChanges('x\ny', 'x\ny\n', 100)).toEqual({ insertions: 1, deletions: 1 });
    expect(countLineChanges('', 'x\n', 100)).toEqual({ insertions: 1, deletions: 0 });
    expect(countLineChanges('same\n', 'same\n', 100)).toEqual({ insertions: 0, deletions: 0 });
  });

  it('agrees on large rewrites, where the bit-parallel LCS finishes the count', () => {
    // Thousands of lines from a small alphabet: an edit distance far past where Myers' search hands over.
    const big = fc
      .array(fc.constantFrom('{', '}', '  "a": 1,', '  "b": 2,', '  "c": [', '  ],', 'x', 'y'), {
        minLength: 1500,
        maxLength: 3000,
      })
      .map((lines) => `${lines.join('\n')}\n`);
    fc.assert(
      fc.property(big, big, (a, b) => {
        expect(countLineChanges(a, b, 50_000)).toEqual(oracle(a, b, 50_000));
        expect(countLineChanges(a, b, 100)).toEqual(oracle(a, b, 100));
      }),
      { numRuns: 8, endOnFailure: true }, // shrinking texts this long would take minutes
    );
  });
});

describe('lcsLengthBits', () => {
  const lcs = (a: Int32Array, b: Int32Array): number => {
    let prev = new Array<number>(b.length + 1).fill(0);
    for (let i = 1; i <= a.length; i++) {
      const row = [0];
      for (let j = 1; j <= b.length; j++)
        row[j] = a[i - 1] === b[j - 1] ? prev[j - 1]! + 1 : Math.max(prev[j]!, row[j - 1]!);
      prev = row;
    }
    return prev[b.length]!;
  };
  const seq = fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 140 }).map((xs) => Int32Array.from(xs));

  it('is the longest common subsequence (word boundaries at 32, 64, 96 and 128 crossed)', () => {
    fc.assert(
      fc.property(seq, seq, (a, b) => {
        expect(lcsLengthBits(a, b)).toBe(lcs(a, b));
      }),
      { numRuns: 3000 },
    );
  });
});
