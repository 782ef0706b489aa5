/**
 * RFC 6962 §2.1 / RFC 9162 §2.1 Merkle tree hashing, audit paths and consistency proofs
 * (SHA-256 via node:crypto).
 *
 * Index and size arithmetic uses division, never JavaScript's 32-bit bitwise operators
 * ((2**40) >> 1 === 0, notary.md §11); sizes are limited to Number.MAX_SAFE_INTEGER.
 * Verifiers treat every argument as hostile: they bounds-check and return false, never throw.
 */
import { Buffer } from 'node:buffer';
import { hash } from 'node:crypto';
import { VetError } from '../errors.js';
import { bytesEqual, isBytes, sha256 } from '../sig/bytes.js';

export const MERKLE_HASH_BYTES = 32;
/** RFC 6962 §2.1 domain separation: the byte in front of a leaf's data and of two child hashes. */
export const LEAF_HASH_PREFIX = 0x00;
export const NODE_HASH_PREFIX = 0x01;
/** Proofs for trees up to 2^63 leaves have at most 64 hashes (+1 for consistency). */
export const MERKLE_MAX_PROOF_HASHES = 65;

/** MTH of the hashes of D[start:end). */
export type RangeHashFn = (start: number, end: number) => Uint8Array;
/** Hash of the perfect subtree covering leaves [index·2^level, (index+1)·2^level). */
export type NodeAtFn = (level: number, index: number) => Uint8Array;

export { sha256 };

/** MTH([]) = SHA-256("") — not 32 zero bytes. */
export const EMPTY_TREE_ROOT: Uint8Array = sha256(new Uint8Array(0));

// One-shot hashing over a reused scratch buffer: a Hash object per call cost more than
// hashing a 1 KiB entry (server and import profiles). The notary, its start-up, `verify`
// and every client hash here.
const leafScratch = Buffer.alloc(1 + 0xffff);
const nodeScratch = Buffer.alloc(1 + 2 * 32);

/** RFC 6962 §2.1: leaf hash = SHA-256(0x00 ‖ data). */
export function hashLeaf(data: Uint8Array): Uint8Array {
  let input: Buffer;
  if (data.length < leafScratch.length) {
    leafScratch[0] = LEAF_HASH_PREFIX;
    leafScratch.set(data, 1);
    input = leafScratch.subarray(0, 1 + data.length);
  } else input = Buffer.concat([Buffer.of(LEAF_HASH_PREFIX), data]);
  return plain(hash('sha256', input, 'buffer'));
}

/** RFC 6962 §2.1: interior node = SHA-256(0x01 ‖ left ‖ right). */
export function hashChildren(left: Uint8Array, right: Uint8Array): Uint8Array {
  if (left.length !== MERKLE_HASH_BYTES || right.length !== MERKLE_HASH_BYTES)
    return plain(hash('sha256', Buffer.concat([Buffer.of(NODE_HASH_PREFIX), left, right]), 'buffer'));
  nodeScratch[0] = NODE_HASH_PREFIX;
  nodeScratch.set(left, 1);
  nodeScratch.set(right, 1 + MERKLE_HASH_BYTES);
  return plain(hash('sha256', nodeScratch, 'buffer'));
}

function plain(b: Buffer): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.length);
}

/** Root of the tree with these leaf hashes (a compact-range fold; O(log n) memory). */
export function rootOf(leafHashes: readonly Uint8Array[]): Uint8Array {
  const stack: Uint8Array[] = [];
  leafHashes.forEach((leaf, i) => {
    let cur = leaf;
    for (let n = i; n % 2 === 1; n = (n - 1) / 2) cur = hashChildren(stack.pop()!, cur);
    stack.push(cur);
  });
  let root = stack.pop();
  if (root === undefined) return EMPTY_TREE_ROOT;
  while (stack.length > 0) root = hashChildren(stack.pop()!, root);
  return root;
}

/** Largest power of two strictly less than n (n ≥ 2): the RFC 6962 split point. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** RFC 6962 §2.1.1 PATH(index, D[0:size]), leaf sibling first. */
export function inclusionProof(index: number, size: number, rangeHash: RangeHashFn): Uint8Array[] {
  requireCount(size, 'size');
  requireCount(index, 'index');
  if (index >= size) throw new VetError('INVALID_ARGUMENT', `index ${index} is not below tree size ${size}`);
  const proof: Uint8Array[] = [];
  let lo = 0;
  let hi = size;
  while (hi - lo > 1) {
    const k = lo + splitPoint(hi - lo);
    if (index < k) {
      proof.push(rangeHash(k, hi));
      hi = k;
    } else {
      proof.push(rangeHash(lo, k));
      lo = k;
    }
  }
  return proof.reverse();
}

/** RFC 6962 §2.1.2 PROOF(size1, D[0:size2]); empty when the sizes are equal. */
export function consistencyProof(size1: number, size2: number, rangeHash: RangeHashFn): Uint8Array[] {
  requireCount(size1, 'size1');
  requireCount(size2, 'size2');
  if (size1 === 0 || size1 > size2) {
    throw new VetError('INVALID_ARGUMENT', `no consistency proof from size ${size1} to size ${size2}`);
  }
  const proof: Uint8Array[] = [];
  let m = size1;
  let lo = 0;
  let hi = size2;
  let complete = true; // SUBPROOF's b: is [lo, hi) the old tree's own root?
  while (m !== hi - lo) {
    const k = splitPoint(hi - lo);
    if (m <= k) {
      proof.push(rangeHash(lo + k, hi));
      hi = lo + k;
    } else {
      proof.push(rangeHash(lo, lo + k));
      lo += k;
      m -= k;
      complete = false;
    }
  }
  if (!complete) proof.push(rangeHash(lo, hi));
  return proof.reverse();
}

/** RFC 9162 §2.1.3.2. False (never a throw) on any malformed or out-of-range input. */
export function verifyInclusion(
  leafHash: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!isHash(leafHash) || !isHash(root)) return false;
  const r = inclusionRootWith(leafHash, index, size, proof, hashChildren);
  return r !== undefined && bytesEqual(r, root);
}

/**
 * RFC 9162 §2.1.3.2's walk over any node hasher: the root an inclusion proof implies, or
 * undefined when index, size or proof length do not fit. `node` may be asynchronous (the
 * notary's web page folds with WebCrypto's SHA-256, `T = Promise<Uint8Array>`): the walk —
 * which sibling goes left, when to stop — is this one implementation either way.
 */
export function inclusionRootWith<T>(
  leaf: T,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
  node: (left: T | Uint8Array, right: T | Uint8Array) => T,
): T | undefined {
  if (!isProof(proof) || !isCount(index) || !isCount(size) || index >= size) return undefined;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return undefined;
    if (fn % 2 === 1 || fn === sn) {
      r = node(p, r);
      if (fn % 2 === 0) while (fn % 2 === 0 && fn !== 0) [fn, sn] = [fn / 2, Math.floor(sn / 2)];
    } else {
      r = node(r, p);
    }
    [fn, sn] = [Math.floor(fn / 2), Math.floor(sn / 2)];
  }
  return sn === 0 ? r : undefined;
}

/** RFC 9162 §2.1.4.2. False (never a throw) on any malformed or out-of-range input. */
export function verifyConsistency(
  size1: number,
  size2: number,
  proof: readonly Uint8Array[],
  root1: Uint8Array,
  root2: Uint8Array,
): boolean {
  if (!isHash(root1) || !isHash(root2) || !isProof(proof)) return false;
  if (!isCount(size1) || !isCount(size2) || size2 < size1) return false;
  if (size1 === size2) return proof.length === 0 && bytesEqual(root1, root2);
  if (size1 === 0 || proof.length === 0) return false; // an empty old tree proves nothing
  const c = isPowerOfTwo(size1) ? [root1, ...proof] : [...proof];
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (fn % 2 === 1) [fn, sn] = [(fn - 1) / 2, Math.floor(sn / 2)];
  let fr = c[0]!;
  let sr = fr;
  for (const p of c.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = hashChildren(p, fr);
      sr = hashChildren(p, sr);
      if (fn % 2 === 0) while (fn % 2 === 0 && fn !== 0) [fn, sn] = [fn / 2, Math.floor(sn / 2)];
    } else {
      sr = hashChildren(sr, p);
    }
    [fn, sn] = [Math.floor(fn / 2), Math.floor(sn / 2)];
  }
  return sn === 0 && bytesEqual(fr, root1) && bytesEqual(sr, root2);
}

/**
 * MTH(D[start:end)) from stored perfect-subtree hashes: aligned power-of-two ranges are
 * read with one nodeAt call, anything else is split at the RFC 6962 point. The ranges
 * proofs ask for are right edges of aligned subtrees, so this costs ≤ log2(n) reads.
 */
export function rangeHashFromLevels(start: number, end: number, nodeAt: NodeAtFn): Uint8Array {
  requireCount(start, 'start');
  requireCount(end, 'end');
  if (end < start) throw new VetError('INVALID_ARGUMENT', `range [${start}, ${end}) is reversed`);
  return rangeHash(start, end, nodeAt);
}

function rangeHash(start: number, end: number, nodeAt: NodeAtFn): Uint8Array {
  const n = end - start;
  if (n === 0) return EMPTY_TREE_ROOT;
  if (isPowerOfTwo(n) && start % n === 0) return nodeAt(Math.log2(n), start / n);
  const k = start + splitPoint(n);
  return hashChildren(rangeHash(start, k, nodeAt), rangeHash(k, end, nodeAt));
}

/** A RangeHashFn over an in-memory list of leaf hashes (tests, small logs, fsck). */
export function rangeHasherFromLeafHashes(leafHashes: readonly Uint8Array[]): RangeHashFn {
  return (start, end) => {
    if (!isCount(start) || !isCount(end) || start > end || end > leafHashes.length) {
      throw new VetError('INVALID_ARGUMENT', `range [${start}, ${end}) is outside ${leafHashes.length} leaves`);
    }
    return rootOf(leafHashes.slice(start, end));
  };
}

export function isPowerOfTwo(n: number): boolean {
  return n > 0 && Number.isInteger(Math.log2(n)) && 2 ** Math.log2(n) === n;
}

function isHash(value: unknown): value is Uint8Array {
  return isBytes(value, MERKLE_HASH_BYTES);
}

function isProof(proof: unknown): proof is readonly Uint8Array[] {
  return Array.isArray(proof) && proof.length <= MERKLE_MAX_PROOF_HASHES && proof.every(isHash);
}

function isCount(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
}

function requireCount(n: number, what: string): void {
  if (!isCount(n))
    throw new VetError('INVALID_ARGUMENT', `${what} must be a non-negative safe integer, got ${String(n)}`);
}
