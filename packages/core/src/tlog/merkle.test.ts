/**
 * Log math against a naive recursive reference (RFC 6962 §2.1 MTH / PATH / PROOF written as
 * literally as possible) for every tree size 1–64, plus tampering and fast-check properties.
 * Published vectors are in merkle.vectors.test.ts.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CompactRange } from './compact-range.js';
import {
  consistencyProof,
  EMPTY_TREE_ROOT,
  hashChildren,
  hashLeaf,
  inclusionProof,
  rangeHashFromLevels,
  rangeHasherFromLeafHashes,
  rootOf,
  verifyConsistency,
  verifyInclusion,
} from './merkle.js';

// ---- naive reference: independent of merkle.ts except for nothing (own hashing) ----
const sha = (...parts: Uint8Array[]): Uint8Array => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};
const refLeaf = (d: Uint8Array): Uint8Array => sha(Uint8Array.of(0), d);
const refNode = (l: Uint8Array, r: Uint8Array): Uint8Array => sha(Uint8Array.of(1), l, r);
const refK = (n: number): number => 2 ** Math.ceil(Math.log2(n) - 1);
// Memoised on the entry objects only to keep 2,000+ proof comparisons fast; the
// definition is still the literal recursive MTH.
const memo = new Map<string, Uint8Array>();
function refMth(d: Uint8Array[]): Uint8Array {
  const key = d.map((e) => ids.get(e) ?? -1).join(',');
  const hit = memo.get(key);
  if (hit !== undefined) return hit;
  let out: Uint8Array;
  if (d.length === 0) out = sha();
  else if (d.length === 1) out = refLeaf(d[0]!);
  else {
    const k = refK(d.length);
    out = refNode(refMth(d.slice(0, k)), refMth(d.slice(k)));
  }
  memo.set(key, out);
  return out;
}
function refPath(m: number, d: Uint8Array[]): Uint8Array[] {
  if (d.length === 1) return [];
  const k = refK(d.length);
  return m < k
    ? [...refPath(m, d.slice(0, k)), refMth(d.slice(k))]
    : [...refPath(m - k, d.slice(k)), refMth(d.slice(0, k))];
}
function refSubproof(m: number, d: Uint8Array[], b: boolean): Uint8Array[] {
  if (m === d.length) return b ? [] : [refMth(d)];
  const k = refK(d.length);
  return m <= k
    ? [...refSubproof(m, d.slice(0, k), b), refMth(d.slice(k))]
    : [...refSubproof(m - k, d.slice(k), false), refMth(d.slice(0, k))];
}

const MAX = 64;
const entries = Array.from({ length: MAX }, (_, i) => new TextEncoder().encode(`entry ${i}`));
const ids = new Map<Uint8Array, number>(entries.map((e, i) => [e, i]));
const leafHashes = entries.map(hashLeaf);
const roots = Array.from({ length: MAX + 1 }, (_, n) => refMth(entries.slice(0, n)));
const rangeHash = rangeHasherFromLeafHashes(leafHashes);
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const hexes = (bs: Uint8Array[]): string[] => bs.map(hex);
const flip = (b: Uint8Array, bit: number): Uint8Array => {
  const c = b.slice();
  c[bit >> 3]! ^= 1 << (bit & 7);
  return c;
};

describe('reference self-check', () => {
  it('the reference reproduces the RFC 6962 constants', () => {
    expect(hex(refMth([]))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(hex(refMth([new Uint8Array(0)]))).toBe('6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d');
    expect(refK(8)).toBe(4);
    expect(refK(9)).toBe(8);
    expect(refK(2)).toBe(1);
  });
});

describe('hashing and roots', () => {
  it('empty tree root is SHA-256 of the empty string', () => {
    expect(hex(EMPTY_TREE_ROOT)).toBe(hex(sha()));
    expect(hex(rootOf([]))).toBe(hex(sha()));
    expect(hex(new CompactRange().root())).toBe(hex(sha()));
  });

  it('hashLeaf and hashChildren use the 0x00 / 0x01 prefixes', () => {
    expect(hex(hashLeaf(entries[3]!))).toBe(hex(refLeaf(entries[3]!)));
    expect(hex(hashChildren(leafHashes[0]!, leafHashes[1]!))).toBe(hex(refNode(leafHashes[0]!, leafHashes[1]!)));
  });

  it('rootOf and CompactRange match the reference for every size 1–64', () => {
    const range = new CompactRange();
    for (let n = 1; n <= MAX; n++) {
      range.append(leafHashes[n - 1]!);
      expect(range.size).toBe(n);
      expect(hex(rootOf(leafHashes.slice(0, n))), `size ${n}`).toBe(hex(roots[n]!));
      expect(hex(range.root()), `compact range size ${n}`).toBe(hex(roots[n]!));
    }
  });

  it('CompactRange reports every perfect subtree it completes', () => {
    const range = new CompactRange();
    const nodes = new Map<string, string>();
    leafHashes.forEach((h) => range.append(h).forEach((n) => nodes.set(`${n.level}/${n.index}`, hex(n.hash))));
    for (let level = 0; 2 ** level <= MAX; level++) {
      for (let index = 0; (index + 1) * 2 ** level <= MAX; index++) {
        const leaves = entries.slice(index * 2 ** level, (index + 1) * 2 ** level);
        expect(nodes.get(`${level}/${index}`), `node ${level}/${index}`).toBe(hex(refMth(leaves)));
      }
    }
    expect(nodes.size).toBe(64 + 32 + 16 + 8 + 4 + 2 + 1);
  });
});

describe('inclusion proofs, every size 1–64', () => {
  it('match the reference PATH and verify', () => {
    for (let n = 1; n <= MAX; n++) {
      for (let m = 0; m < n; m++) {
        const proof = inclusionProof(m, n, rangeHash);
        expect(hexes(proof), `PATH(${m}, ${n})`).toEqual(hexes(refPath(m, entries.slice(0, n))));
        expect(verifyInclusion(leafHashes[m]!, m, n, proof, roots[n]!), `verify ${m}/${n}`).toBe(true);
      }
    }
  });

  it('reject tampered proofs, leaves, indexes and roots', () => {
    let rejected = 0;
    for (let n = 1; n <= MAX; n++) {
      for (let m = 0; m < n; m++) {
        const proof = inclusionProof(m, n, rangeHash);
        const leaf = leafHashes[m]!;
        const bad: [string, boolean][] = [
          ['leaf bit', verifyInclusion(flip(leaf, 5), m, n, proof, roots[n]!)],
          ['root bit', verifyInclusion(leaf, m, n, proof, flip(roots[n]!, 200))],
          ['other leaf', verifyInclusion(leafHashes[(m + 1) % MAX]!, m, n, proof, roots[n]!)],
          ['index + 1', verifyInclusion(leaf, m + 1, n, proof, roots[n]!)],
          ['index = size', verifyInclusion(leaf, n, n, proof, roots[n]!)],
          ['extra hash', verifyInclusion(leaf, m, n, [...proof, leaf], roots[n]!)],
          ['wrong tree root', verifyInclusion(leaf, m, n, proof, roots[n - 1]!)],
        ];
        if (m > 0) bad.push(['index - 1', verifyInclusion(leaf, m - 1, n, proof, roots[n]!)]);
        if (proof.length > 0) bad.push(['truncated', verifyInclusion(leaf, m, n, proof.slice(0, -1), roots[n]!)]);
        proof.forEach((_, i) => {
          const tampered = proof.map((p, j) => (i === j ? flip(p, 77) : p));
          bad.push([`proof[${i}] bit`, verifyInclusion(leaf, m, n, tampered, roots[n]!)]);
        });
        if (proof.length > 1) bad.push(['reversed', verifyInclusion(leaf, m, n, [...proof].reverse(), roots[n]!)]);
        for (const [what, ok] of bad) {
          expect(ok, `${what} for ${m}/${n}`).toBe(false);
          rejected++;
        }
      }
    }
    expect(rejected).toBeGreaterThan(10_000);
  });
});

describe('consistency proofs, every pair 1 ≤ size1 ≤ size2 ≤ 64', () => {
  it('match the reference PROOF and verify', () => {
    for (let n = 1; n <= MAX; n++) {
      for (let m = 1; m <= n; m++) {
        const proof = consistencyProof(m, n, rangeHash);
        expect(hexes(proof), `PROOF(${m}, ${n})`).toEqual(hexes(refSubproof(m, entries.slice(0, n), true)));
        expect(verifyConsistency(m, n, proof, roots[m]!, roots[n]!), `verify ${m}->${n}`).toBe(true);
      }
    }
  });

  it('reject tampered proofs, roots and sizes', () => {
    let rejected = 0;
    for (let n = 1; n <= MAX; n++) {
      for (let m = 1; m <= n; m++) {
        const proof = consistencyProof(m, n, rangeHash);
        const bad: [string, boolean][] = [
          ['root1 bit', verifyConsistency(m, n, proof, flip(roots[m]!, 3), roots[n]!)],
          ['root2 bit', verifyConsistency(m, n, proof, roots[m]!, flip(roots[n]!, 250))],
          ['extra hash', verifyConsistency(m, n, [...proof, roots[m]!], roots[m]!, roots[n]!)],
          ['size2 < size1', verifyConsistency(n, m - 1, proof, roots[n]!, roots[m - 1]!)],
          ['size1 0', verifyConsistency(0, n, proof, roots[0]!, roots[n]!)],
        ];
        if (m < n) {
          bad.push(['empty proof', verifyConsistency(m, n, [], roots[m]!, roots[n]!)]);
          bad.push(['swapped roots', verifyConsistency(m, n, proof, roots[n]!, roots[m]!)]);
          bad.push(['truncated', verifyConsistency(m, n, proof.slice(0, -1), roots[m]!, roots[n]!)]);
          if (m + 1 < n) bad.push(['size1 + 1', verifyConsistency(m + 1, n, proof, roots[m + 1]!, roots[n]!)]);
          if (m > 1) bad.push(['size1 - 1', verifyConsistency(m - 1, n, proof, roots[m - 1]!, roots[n]!)]);
        }
        proof.forEach((_, i) => {
          const tampered = proof.map((p, j) => (i === j ? flip(p, 130) : p));
          bad.push([`proof[${i}] bit`, verifyConsistency(m, n, tampered, roots[m]!, roots[n]!)]);
        });
        for (const [what, ok] of bad) {
          expect(ok, `${what} for ${m}->${n}`).toBe(false);
          rejected++;
        }
      }
    }
    expect(rejected).toBeGreaterThan(10_000);
  });

  it('equal sizes need an empty proof and equal roots', () => {
    expect(verifyConsistency(5, 5, [], roots[5]!, roots[5]!)).toBe(true);
    expect(verifyConsistency(0, 0, [], EMPTY_TREE_ROOT, EMPTY_TREE_ROOT)).toBe(true);
    expect(verifyConsistency(5, 5, [roots[5]!], roots[5]!, roots[5]!)).toBe(false);
    expect(verifyConsistency(5, 5, [], roots[5]!, roots[6]!)).toBe(false);
  });
});

describe('hostile input never throws', () => {
  const h = leafHashes[0]!;
  const weird: unknown[] = [-1, 1.5, NaN, Infinity, 2 ** 53, 2 ** 63, '3', null, undefined, {}, 3n];
  it('verifyInclusion returns false', () => {
    for (const w of weird) {
      expect(verifyInclusion(h, w as number, 4, [h, h], h)).toBe(false);
      expect(verifyInclusion(h, 0, w as number, [h, h], h)).toBe(false);
    }
    expect(verifyInclusion(h, 0, 2, [h.subarray(0, 31)], h)).toBe(false);
    expect(verifyInclusion(h, 0, 2, 'nope' as unknown as Uint8Array[], h)).toBe(false);
    expect(verifyInclusion(h, 0, 2, [null] as unknown as Uint8Array[], h)).toBe(false);
    expect(verifyInclusion(new Uint8Array(33), 0, 1, [], new Uint8Array(33))).toBe(false);
    expect(
      verifyInclusion(
        h,
        0,
        2 ** 52,
        Array.from({ length: 66 }, () => h),
        h,
      ),
    ).toBe(false);
  });
  it('verifyConsistency returns false', () => {
    for (const w of weird) {
      expect(verifyConsistency(w as number, 4, [h], h, h)).toBe(false);
      expect(verifyConsistency(1, w as number, [h], h, h)).toBe(false);
    }
    expect(verifyConsistency(1, 2, [h], h.subarray(1), h)).toBe(false);
  });
  it('big sizes use division, not 32-bit shifts', () => {
    // A leaf at the far right of a 2^40 + 1 tree has a one-hash path to the root.
    const size = 2 ** 40 + 1;
    const left = leafHashes[1]!;
    const root = hashChildren(left, h);
    expect(verifyInclusion(h, size - 1, size, [left], root)).toBe(true);
    expect(verifyInclusion(h, size - 2, size, [left], root)).toBe(false);
  });
  it('fast-check: arbitrary numbers and proofs', () => {
    const hash = fc.uint8Array({ minLength: 32, maxLength: 32 });
    const num = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(2 ** 53, 2 ** 60, -0, Number.MAX_SAFE_INTEGER));
    fc.assert(
      fc.property(num, num, fc.array(hash, { maxLength: 70 }), hash, hash, (a, b, proof, r1, r2) => {
        expect(typeof verifyInclusion(r1, a, b, proof, r2)).toBe('boolean');
        expect(typeof verifyConsistency(a, b, proof, r1, r2)).toBe('boolean');
      }),
      { numRuns: 300 },
    );
  });
});

describe('properties on larger trees (fast-check)', () => {
  const N = 1000;
  const big = Array.from({ length: N }, (_, i) => hashLeaf(new TextEncoder().encode(`big ${i}`)));
  const nodes = new Map<string, Uint8Array>();
  const range = new CompactRange();
  const bigRoots = [rootOf([])];
  for (const leaf of big) {
    for (const n of range.append(leaf)) nodes.set(`${n.level}/${n.index}`, n.hash);
    bigRoots.push(range.root());
  }
  const nodeAt = (level: number, index: number): Uint8Array => {
    const n = nodes.get(`${level}/${index}`);
    if (n === undefined) throw new Error(`no node ${level}/${index}`);
    return n;
  };
  const fromLevels = (s: number, e: number): Uint8Array => rangeHashFromLevels(s, e, nodeAt);

  it('rangeHashFromLevels equals rootOf over the slice, aligned or not', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: N }), fc.integer({ min: 0, max: N }), (a, b) => {
        const [s, e] = a <= b ? [a, b] : [b, a];
        expect(hex(fromLevels(s, e))).toBe(hex(rootOf(big.slice(s, e))));
      }),
      { numRuns: 100 },
    );
  });

  it('proofs built from stored levels verify', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: N }), fc.integer({ min: 1, max: N }), fc.nat(), (a, b, r) => {
        const [m, n] = a <= b ? [a, b] : [b, a];
        const index = r % n;
        const incl = inclusionProof(index, n, fromLevels);
        expect(verifyInclusion(big[index]!, index, n, incl, bigRoots[n]!)).toBe(true);
        const cons = consistencyProof(m, n, fromLevels);
        expect(verifyConsistency(m, n, cons, bigRoots[m]!, bigRoots[n]!)).toBe(true);
        if (m < n) expect(verifyConsistency(m, n, cons, bigRoots[m]!, bigRoots[n - 1]!)).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it('a compact range survives toJSON/fromJSON and keeps extending identically', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 300 }), (a, extra) => {
        const r = new CompactRange();
        big.slice(0, a).forEach((h) => r.append(h));
        const restored = CompactRange.fromJSON(JSON.parse(JSON.stringify(r)));
        expect(restored.size).toBe(a);
        big.slice(a, a + extra).forEach((h) => restored.append(h));
        expect(hex(restored.root())).toBe(hex(bigRoots[a + extra]!));
      }),
      { numRuns: 100 },
    );
  });

  it('fromJSON rejects state that cannot be a compact range', () => {
    const good = JSON.parse(JSON.stringify(range)) as { size: number; hashes: string[] };
    const bad: unknown[] = [
      null,
      [],
      { ...good, size: good.size + 1 }, // popcount mismatch
      { ...good, size: -1 },
      { ...good, size: 1.5 },
      { ...good, hashes: good.hashes.map((h) => h.slice(4)) },
      { ...good, hashes: good.hashes.map((h) => h.replace(/=$/, '')) },
      { size: 1, hashes: [Buffer.alloc(31).toString('base64')] },
      { size: 1, hashes: [1] },
    ];
    for (const b of bad)
      expect(() => CompactRange.fromJSON(b, 'state.json')).toThrowError(
        expect.objectContaining({ code: 'PARSE_ERROR', file: 'state.json' }),
      );
  });
});

describe('argument checks for proof builders', () => {
  it('throw INVALID_ARGUMENT with out-of-range sizes', () => {
    expect(() => inclusionProof(3, 3, rangeHash)).toThrowError(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => inclusionProof(-1, 3, rangeHash)).toThrowError(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => consistencyProof(0, 3, rangeHash)).toThrowError(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => consistencyProof(4, 3, rangeHash)).toThrowError(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => rangeHashFromLevels(5, 4, () => leafHashes[0]!)).toThrowError(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(consistencyProof(7, 7, rangeHash)).toEqual([]);
  });
});
