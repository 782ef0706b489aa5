/**
 * In-memory store of every complete-subtree hash of the log (RFC 6962 §2.1): level l holds
 * MTH of leaves [j·2^l, (j+1)·2^l). Appending leaf n adds 1 + trailing-ones(n) hashes, so
 * the whole structure is < 2 hashes per entry (64 MB per million entries) and any proof,
 * root or C2SP tile is answered from memory without touching SQLite. It is rebuilt from
 * `entries.leaf_hash` at start-up; the database stays the only durable copy.
 */
import { hashChildren } from '@vet/core';

const HASH = 32;

export class MerkleLevels {
  #levels: Buffer[] = [];
  #counts: number[] = [];
  #size = 0;

  get size(): number {
    return this.#size;
  }

  /** Number of complete nodes stored at `level`. */
  count(level: number): number {
    return this.#counts[level] ?? 0;
  }

  append(leafHash: Uint8Array): void {
    let index = this.#size;
    let node: Uint8Array = leafHash;
    let level = 0;
    this.#put(0, index, node);
    while ((index & 1) === 1) {
      const left = this.node(level, index - 1);
      node = hashChildren(left, node); // RFC 6962 §2.1, core's hashing
      level += 1;
      index = Math.floor(index / 2);
      this.#put(level, index, node);
    }
    this.#size += 1;
  }

  /**
   * Forgets every leaf from `size` on (a batch whose commit failed): what remains is exactly
   * the tree of the first `size` leaves, since nodes only ever cover leaves before them.
   */
  truncate(size: number): void {
    if (size < 0 || size > this.#size) throw new RangeError(`cannot truncate a tree of ${this.#size} to ${size}`);
    for (let level = 0; level < this.#counts.length; level++) this.#counts[level] = Math.floor(size / 2 ** level);
    this.#size = size;
  }

  /** Hash of the complete subtree (level, index); a view valid until the next append. */
  node(level: number, index: number): Uint8Array {
    const buf = this.#levels[level];
    if (buf === undefined || index < 0 || index >= this.count(level)) {
      throw new RangeError(`no complete node at level ${level} index ${index}`);
    }
    return buf.subarray(index * HASH, (index + 1) * HASH);
  }

  /** `width` consecutive node hashes at `level` starting at `index`, copied. */
  span(level: number, index: number, width: number): Buffer {
    const buf = this.#levels[level];
    if (buf === undefined || index < 0 || width < 0 || index + width > this.count(level)) {
      throw new RangeError(`span out of range at level ${level}`);
    }
    return Buffer.from(buf.subarray(index * HASH, (index + width) * HASH));
  }

  #put(level: number, index: number, hash: Uint8Array): void {
    let buf = this.#levels[level];
    if (buf === undefined) {
      buf = Buffer.alloc(HASH * 64);
      this.#levels[level] = buf;
      this.#counts[level] = 0;
    }
    if ((index + 1) * HASH > buf.length) {
      const bigger = Buffer.alloc(Math.max(buf.length * 2, (index + 1) * HASH));
      buf.copy(bigger);
      buf = bigger;
      this.#levels[level] = buf;
    }
    buf.set(hash, index * HASH);
    this.#counts[level] = index + 1;
  }
}
