/**
 * A second, independent implementation of the Merkle tree math the failover test checks,
 * written from the RFC text and importing nothing from @vet/core:
 *   - RFC 6962 §2.1: MTH({}) = SHA-256(), MTH({d0}) = SHA-256(0x00 || d0),
 *     MTH(D[n]) = SHA-256(0x01 || MTH(D[0:k]) || MTH(D[k:n])), k the largest power of 2 < n.
 *     Here the inputs are already leaf hashes (SHA-256(0x00 || entry)).
 *   - RFC 9162 §2.1.3.2 (verifying an inclusion proof) and §2.1.4.2 (verifying a
 *     consistency proof), step by step as the RFC lists them.
 */
import { createHash } from 'node:crypto';

const sha256 = (...parts: Uint8Array[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};
const node = (l: Uint8Array, r: Uint8Array) => sha256(Uint8Array.of(1), l, r);
const eq = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

/** RFC 6962 §2.1 MTH over leaf hashes (recursive, as the RFC defines it). */
export function rfc6962Root(leafHashes: readonly Uint8Array[]): Uint8Array {
  const n = leafHashes.length;
  if (n === 0) return sha256();
  if (n === 1) return leafHashes[0]!;
  let k = 1;
  while (k * 2 < n) k *= 2;
  return node(rfc6962Root(leafHashes.slice(0, k)), rfc6962Root(leafHashes.slice(k)));
}

/** RFC 9162 §2.1.3.2. */
export function rfc9162VerifyInclusion(
  leafHash: Uint8Array,
  index: number,
  size: number,
  path: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = leafHash;
  for (const p of path) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = node(p, r);
      if (fn % 2 === 0) while (fn % 2 === 0 && fn !== 0) [fn, sn] = [fn >> 1, sn >> 1];
    } else r = node(r, p);
    [fn, sn] = [fn >> 1, sn >> 1];
  }
  return sn === 0 && eq(r, root);
}

/** RFC 9162 §2.1.4.2. */
export function rfc9162VerifyConsistency(
  first: number,
  second: number,
  proof: readonly Uint8Array[],
  firstHash: Uint8Array,
  secondHash: Uint8Array,
): boolean {
  if (first === second) return proof.length === 0 && eq(firstHash, secondHash);
  if (first === 0 || first > second || proof.length === 0) return false;
  // 2. If first is an exact power of 2, prepend first_hash to the path.
  const path = (first & (first - 1)) === 0 ? [firstHash, ...proof] : [...proof];
  // 3.
  let fn = first - 1;
  let sn = second - 1;
  // 4. If LSB(fn) is set, right-shift both until it is not.
  while (fn % 2 === 1) [fn, sn] = [fn >> 1, sn >> 1];
  // 5.
  let fr = path[0]!;
  let sr = path[0]!;
  // 6.
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = node(c, fr);
      sr = node(c, sr);
      if (fn % 2 === 0) while (fn % 2 === 0 && fn !== 0) [fn, sn] = [fn >> 1, sn >> 1];
    } else sr = node(sr, c);
    [fn, sn] = [fn >> 1, sn >> 1];
  }
  // 7.
  return eq(fr, firstHash) && eq(sr, secondHash) && sn === 0;
}
