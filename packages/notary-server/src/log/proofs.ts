/**
 * Proofs and receipts from the in-memory tree. A receipt is a c2sp.org/tlog-proof@v1 text
 * (spec/notary.md §1.6): the leaf index, its inclusion proof and the signed checkpoint the
 * proof is for — computed for exactly that checkpoint's size (rekor#956).
 */
import { consistencyProof, inclusionProof, rangeHashFromLevels, type NotaryReceipt } from '@vet/core';
import type { MerkleLevels } from './tree.js';

export function rootAt(tree: MerkleLevels, size: number): Uint8Array {
  return rangeHashFromLevels(0, size, (level, index) => tree.node(level, index));
}

export function proveInclusion(tree: MerkleLevels, index: number, size: number): Uint8Array[] {
  return inclusionProof(index, size, (start, end) => rangeHashFromLevels(start, end, (l, i) => tree.node(l, i)));
}

export function proveConsistency(tree: MerkleLevels, size1: number, size2: number): Uint8Array[] {
  return consistencyProof(size1, size2, (start, end) => rangeHashFromLevels(start, end, (l, i) => tree.node(l, i)));
}

/** The receipt wire format lives in core: the client verifies exactly what we send. */
export type Receipt = NotaryReceipt;

/**
 * Range hashes for proofs at one tree size. Every receipt of a batch is proven against the
 * same size, so the hashes of the incomplete right edge — recomputed per receipt, ~2 % of
 * the event loop — are shared. Values stay valid for any later tree (the log only grows).
 */
export class ProofMemo {
  #size = -1;
  #hashes = new Map<number, Uint8Array>();

  rangeHash(tree: MerkleLevels, size: number): (start: number, end: number) => Uint8Array {
    if (size !== this.#size) {
      this.#size = size;
      this.#hashes.clear();
    }
    return (start, end) => {
      const key = start * (size + 1) + end;
      let h = this.#hashes.get(key);
      if (h === undefined) {
        h = rangeHashFromLevels(start, end, (l, i) => tree.node(l, i));
        this.#hashes.set(key, h);
      }
      return h;
    };
  }
}

export function makeReceipt(
  tree: MerkleLevels,
  index: number,
  leafHash: Uint8Array,
  size: number,
  checkpoint: string,
  memo = new ProofMemo(),
): Receipt {
  const proof = inclusionProof(index, size, memo.rangeHash(tree, size)).map((h) =>
    Buffer.from(h.buffer, h.byteOffset, h.byteLength).toString('base64'),
  );
  return {
    index,
    leafHash: Buffer.from(leafHash.buffer, leafHash.byteOffset, leafHash.byteLength).toString('hex'),
    treeSize: size,
    checkpoint,
    inclusionProof: proof,
    tlogProof: formatTlogProof(index, proof, checkpoint),
  };
}

export function formatTlogProof(index: number, proofB64: string[], checkpoint: string): string {
  return `c2sp.org/tlog-proof@v1\nindex ${index}\n${proofB64.map((h) => `${h}\n`).join('')}\n${checkpoint}`;
}
