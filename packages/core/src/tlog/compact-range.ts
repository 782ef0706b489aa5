/**
 * Compact range: the O(log n) state a log server or a full-mirror client keeps to extend a
 * Merkle tree one leaf at a time (notary.md §2 "Compact range").
 *
 * State for size n = roots of the perfect subtrees of n's binary decomposition, largest
 * first (popcount(n) hashes). Appending every new entry and comparing root() with a
 * verified checkpoint proves both inclusion of the entries and consistency with the old
 * tree, with no proofs from the server.
 */
import { VetError } from '../errors.js';
import { decodeBase64Strict, encodeBase64, isBytes } from '../sig/bytes.js';
import { EMPTY_TREE_ROOT, hashChildren, hashLeaf, MERKLE_HASH_BYTES } from './merkle.js';

/** A perfect subtree completed by an append: covers leaves [index·2^level, (index+1)·2^level). */
export interface CompletedNode {
  level: number;
  index: number;
  hash: Uint8Array;
}

/** Serialised form: the size and the subtree roots in standard base64, largest first. */
export interface CompactRangeJSON {
  size: number;
  hashes: string[];
}

export class CompactRange {
  #size = 0;
  #hashes: Uint8Array[] = [];

  /** Rebuilds from stored state; throws VetError PARSE_ERROR if it cannot be a compact range. */
  static fromJSON(json: unknown, fileName = '<compact range>'): CompactRange {
    const bad = (why: string): VetError =>
      new VetError('PARSE_ERROR', `invalid compact range: ${why}`, { file: fileName });
    if (typeof json !== 'object' || json === null) throw bad('not an object');
    const { size, hashes } = json as Record<string, unknown>;
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) throw bad('size is not a count');
    if (!Array.isArray(hashes) || !hashes.every((h) => typeof h === 'string'))
      throw bad('hashes is not a list of strings');
    if (hashes.length !== popCount(size))
      throw bad(`size ${size} needs ${popCount(size)} hashes, got ${hashes.length}`);
    const decoded = hashes.map((h) => decodeBase64Strict(h));
    if (!decoded.every((h) => isBytes(h, MERKLE_HASH_BYTES))) throw bad('a hash is not 32 bytes of base64');
    return CompactRange.fromHashes(size, decoded, fileName);
  }

  /** From a size and its popcount(size) subtree roots, largest first. */
  static fromHashes(size: number, hashes: readonly Uint8Array[], fileName = '<compact range>'): CompactRange {
    if (!Number.isSafeInteger(size) || size < 0 || popCount(size) !== hashes.length) {
      throw new VetError(
        'PARSE_ERROR',
        `invalid compact range: size ${size} needs ${popCount(size)} hashes, got ${hashes.length}`,
        { file: fileName },
      );
    }
    if (!hashes.every((h) => isBytes(h, MERKLE_HASH_BYTES))) {
      throw new VetError('PARSE_ERROR', 'invalid compact range: a hash is not 32 bytes', { file: fileName });
    }
    const range = new CompactRange();
    range.#size = size;
    range.#hashes = hashes.map((h) => h.slice());
    return range;
  }

  get size(): number {
    return this.#size;
  }

  /** Copies of the subtree roots, largest first. */
  get hashes(): Uint8Array[] {
    return this.#hashes.map((h) => h.slice());
  }

  /** Appends one leaf hash; returns the perfect subtrees it completed, leaf (level 0) first. */
  append(leafHash: Uint8Array): CompletedNode[] {
    if (!isBytes(leafHash, MERKLE_HASH_BYTES)) throw new VetError('INVALID_ARGUMENT', 'leaf hash must be 32 bytes');
    if (this.#size >= Number.MAX_SAFE_INTEGER) throw new VetError('INVALID_ARGUMENT', 'tree is full');
    let index = this.#size;
    let level = 0;
    let cur: Uint8Array = leafHash.slice();
    const completed: CompletedNode[] = [{ level, index, hash: cur }];
    while (index % 2 === 1) {
      cur = hashChildren(this.#hashes.pop()!, cur);
      index = (index - 1) / 2;
      level += 1;
      completed.push({ level, index, hash: cur });
    }
    this.#hashes.push(cur);
    this.#size += 1;
    return completed;
  }

  /** Appends an entry (hashes it as an RFC 6962 leaf first). */
  appendEntry(entry: Uint8Array): CompletedNode[] {
    return this.append(hashLeaf(entry));
  }

  /** The RFC 6962 root: fold the subtree roots from the right; empty tree = SHA-256(""). */
  root(): Uint8Array {
    let root = this.#hashes[this.#hashes.length - 1];
    if (root === undefined) return EMPTY_TREE_ROOT.slice();
    for (let i = this.#hashes.length - 2; i >= 0; i--) root = hashChildren(this.#hashes[i]!, root);
    return root;
  }

  clone(): CompactRange {
    return CompactRange.fromHashes(this.#size, this.#hashes);
  }

  toJSON(): CompactRangeJSON {
    return { size: this.#size, hashes: this.#hashes.map(encodeBase64) };
  }
}

/** The same class under the name the notary issue uses. */
export { CompactRange as TreeHasher };

function popCount(n: number): number {
  let count = 0;
  for (let x = n; x > 0; x = Math.floor(x / 2)) count += x % 2;
  return count;
}
