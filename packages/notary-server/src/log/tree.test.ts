import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  consistencyProof,
  hashLeaf,
  inclusionProof,
  rangeHasherFromLeafHashes,
  rootOf,
  verifyConsistency,
  verifyInclusion,
} from '@vet/core';
import { MerkleLevels } from './tree.js';
import { proveConsistency, proveInclusion, rootAt } from './proofs.js';
import { hashTileBytes, tileShape } from './tiles.js';

const leaves = (n: number) => Array.from({ length: n }, (_, i) => hashLeaf(new TextEncoder().encode(`leaf ${i}`)));
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('MerkleLevels against the naive RFC 6962 reference', () => {
  const N = 70;
  const hs = leaves(N);
  const tree = new MerkleLevels();
  hs.forEach((h) => tree.append(h));
  const ref = rangeHasherFromLeafHashes(hs);

  it('roots of every prefix size 0…70', () => {
    for (let n = 0; n <= N; n++) expect(hex(rootAt(tree, n)), `size ${n}`).toBe(hex(rootOf(hs.slice(0, n))));
  });

  it('inclusion and consistency proofs equal the reference and verify, for every size ≤ 70', () => {
    for (let size = 1; size <= N; size++) {
      const root = rootOf(hs.slice(0, size));
      for (let i = 0; i < size; i++) {
        const p = proveInclusion(tree, i, size);
        expect(p.map(hex)).toEqual(inclusionProof(i, size, ref).map(hex));
        expect(verifyInclusion(hs[i]!, i, size, p, root)).toBe(true);
      }
      for (let s1 = 1; s1 <= size; s1++) {
        const p = proveConsistency(tree, s1, size);
        expect(p.map(hex)).toEqual(consistencyProof(s1, size, ref).map(hex));
        expect(verifyConsistency(s1, size, p, rootOf(hs.slice(0, s1)), root)).toBe(true);
      }
    }
  });

  it('property: any size and index up to 600 leaves', () => {
    const big = leaves(600);
    const t = new MerkleLevels();
    big.forEach((h) => t.append(h));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 600 }), fc.nat(), (size, k) => {
        const i = k % size;
        return verifyInclusion(big[i]!, i, size, proveInclusion(t, i, size), rootOf(big.slice(0, size)));
      }),
      { numRuns: 200 },
    );
  });
});

describe('C2SP tiles from the tree', () => {
  it('level-0 tile entries are leaf hashes; level-1 entries are roots of full level-0 tiles', () => {
    const hs = leaves(600);
    const t = new MerkleLevels();
    hs.forEach((h) => t.append(h));
    expect(tileShape(600, 0)).toEqual({ full: 2, partial: 88 });
    expect(tileShape(600, 1)).toEqual({ full: 0, partial: 2 });
    const partial = hashTileBytes(t, 0, 2, 88)!;
    expect(partial.length).toBe(88 * 32);
    expect(hex(partial.subarray(0, 32))).toBe(hex(hs[512]!));
    const l1 = hashTileBytes(t, 1, 0, 2)!;
    expect(hex(l1.subarray(32, 64))).toBe(hex(rootOf(hs.slice(256, 512))));
    expect(hashTileBytes(t, 0, 2, 89)).toBeUndefined();
    expect(hashTileBytes(t, 1, 0, 3)).toBeUndefined();
  });
});
