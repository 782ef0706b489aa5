/**
 * Step 3 of a refresh (notary.md §9), one entry bundle at a time: every fetched leaf is
 * hashed and appended to the compact range; older verified checkpoints are checked as the
 * tree passes their size, and the signed root at the end. Incremental so the CLI can hash
 * bundle k while the signatures of bundle k−1 are being verified; nothing that comes out of
 * here is trusted until finish() has compared the root.
 */
import { VetError, isVetError } from '../errors.js';
import { bytesEqual, encodeBase64 } from '../sig/bytes.js';
import { CompactRange } from '../tlog/compact-range.js';
import { EMPTY_TREE_ROOT, MERKLE_HASH_BYTES, hashChildren, hashLeaf } from '../tlog/merkle.js';
import { TILE_WIDTH, decodeEntryBundle } from '../tlog/tiles.js';
import { forkError } from './checkpoints.js';
import type { NotaryUpdatePlan } from './update.js';

/** The new entries (index ≥ plan.from) of one bundle; `entries` are views into its bytes. */
export interface NotaryBundleEntries {
  from: number;
  entries: Uint8Array[];
}

/**
 * The compact range of CompactRange (tlog/compact-range.ts), without its per-append
 * bookkeeping (completed-node lists, copies, Hash objects): appended to once per entry.
 */
class FastRange {
  size: number;
  readonly hashes: Uint8Array[];

  constructor(from: CompactRange) {
    this.size = from.size;
    this.hashes = from.hashes;
  }

  append(leafHash: Uint8Array): void {
    let cur = leafHash;
    for (let i = this.size; i % 2 === 1; i = (i - 1) / 2) cur = hashChildren(this.hashes.pop()!, cur);
    this.hashes.push(cur);
    this.size += 1;
  }

  root(): Uint8Array {
    let root = this.hashes[this.hashes.length - 1];
    if (root === undefined) return EMPTY_TREE_ROOT.slice();
    for (let i = this.hashes.length - 2; i >= 0; i--) root = hashChildren(this.hashes[i]!, root);
    return root;
  }
}

export class NotaryTreeVerifier {
  /** plan.to × 32 bytes: the base state's leaf hashes, then the new ones as they are added. */
  readonly leafHashes: Uint8Array;
  readonly #plan: NotaryUpdatePlan;
  readonly #checks: NotaryUpdatePlan['checks'];
  readonly #range: FastRange;
  #next = 0;

  constructor(plan: NotaryUpdatePlan) {
    this.#plan = plan;
    this.#range = new FastRange(plan.base ? CompactRange.fromJSON(plan.base.range) : new CompactRange());
    this.leafHashes = new Uint8Array(plan.to * MERKLE_HASH_BYTES);
    if (plan.base) this.leafHashes.set(plan.base.leafHashes);
    this.#checks = [...plan.checks];
  }

  /** The compact range of the entries added so far. */
  get range(): CompactRange {
    return CompactRange.fromHashes(this.#range.size, this.#range.hashes);
  }

  /** Adds the bytes fetched for plan.bundles[k]; bundles must come in plan order. */
  add(k: number, bytes: Uint8Array): NotaryBundleEntries {
    const plan = this.#plan;
    const ref = plan.bundles[k];
    if (ref === undefined || k !== this.#next) throw new VetError('INTERNAL', `entry bundle ${k} added out of order`);
    this.#next += 1;
    const entries = splitBundle(bytes, ref.width, (why) =>
      inconsistent(plan, `entry bundle ${ref.path} is malformed: ${why}`),
    );
    const fresh: Uint8Array[] = [];
    entries.forEach((entry, j) => {
      const idx = ref.index * TILE_WIDTH + j;
      const h = hashLeaf(entry);
      const at = idx * MERKLE_HASH_BYTES;
      if (idx < plan.from) {
        if (!bytesEqual(h, this.leafHashes.subarray(at, at + MERKLE_HASH_BYTES)))
          throw inconsistent(plan, `entry ${idx} in ${ref.path} differs from the entry mirrored before`);
        return;
      }
      this.#range.append(h);
      this.leafHashes.set(h, at);
      fresh.push(entry);
      this.#checkOlder();
    });
    return { from: Math.max(plan.from, ref.index * TILE_WIDTH), entries: fresh };
  }

  /** Throws unless every planned bundle was added and the tree has the signed root. */
  finish(): void {
    const plan = this.#plan;
    if (this.#next !== plan.bundles.length)
      throw new VetError('INTERNAL', 'one fetched bundle per planned bundle expected');
    const root = this.#range.root();
    if (!bytesEqual(root, plan.received.cp.rootHash)) {
      throw inconsistent(
        plan,
        `the served entries hash to ${encodeBase64(root)}, not to the signed root ${encodeBase64(plan.received.cp.rootHash)}`,
      );
    }
  }

  /** An older verified checkpoint of exactly this size must have this root (else: fork). */
  #checkOlder(): void {
    const plan = this.#plan;
    while (this.#checks[0] !== undefined && this.#checks[0].cp.size === this.#range.size) {
      const t = this.#checks.shift()!;
      if (!bytesEqual(this.#range.root(), t.cp.rootHash)) {
        throw forkError(
          plan.importName,
          t,
          { note: plan.received.note, source: `${plan.config.url}/checkpoint` },
          `the entries of the ${plan.to}-entry tree do not extend the ${t.cp.size}-entry tree verified before`,
        );
      }
    }
  }
}

/** tlog-tiles entry bundle (tlog/tiles.ts codec), as views into the fetched bytes. */
function splitBundle(bytes: Uint8Array, width: number, bad: (why: string) => VetError): Uint8Array[] {
  try {
    return decodeEntryBundle(bytes, width, { views: true });
  } catch (e) {
    throw isVetError(e) ? bad(e.message) : e;
  }
}

/** Tampered entries, or a tree that does not extend the one mirrored before. */
export function inconsistent(plan: NotaryUpdatePlan, why: string): VetError {
  const trusted = plan.base?.checkpoint;
  return new VetError('LOG_INCONSISTENT', `notary import '${plan.importName}': ${why}`, {
    hint: 'the entries served do not match the signed checkpoint: they were tampered with in transit or by a mirror, or the log forked. Nothing was written',
    details: {
      kind: 'entries',
      received: plan.received.note,
      ...(trusted !== undefined ? { trusted, trustedSource: 'user state directory' } : {}),
    },
  });
}
