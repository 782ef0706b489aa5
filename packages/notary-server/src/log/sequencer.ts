/**
 * The one sequencer (spec/notary.md §9, §10.9). Submissions wait in a pool; a batch is cut
 * `batchDelayMs` after the first one arrives (0, the default: on the next turn of the event
 * loop, so everything already received joins it), or at once when `batchMaxEntries` wait;
 * appended to the tree, its checkpoint signed, and the whole batch committed in ONE
 * transaction with a compare-and-swap on `latest` (log/commit.ts). Only after that commit
 * (fsync'd) is every waiter answered — with that checkpoint, whose proofs are computed for
 * exactly its size (rekor#956). While a batch commits the next one accumulates and is cut
 * the moment the commit ends (group commit): batch size follows load and fsync latency by
 * itself, with one fsync and one signature per batch instead of per entry.
 */
import type { BatchCommitter, BatchRow } from './commit.js';
import type { MerkleLevels } from './tree.js';

export interface PendingEntry extends BatchRow {
  /** SHA-256 of the DSSE PAE, hex: the dedupe key (§10.6). */
  dedupe: string;
}

export interface CommittedEntry extends PendingEntry {
  index: number;
}

export interface BatchResult {
  size: number;
  rootHash: Uint8Array;
  /** The signed checkpoint note for `size`, exactly as stored and served. */
  checkpoint: string;
}

export interface SequencerDeps {
  tree: MerkleLevels;
  committer: BatchCommitter;
  /** Root of the first `size` leaves of `tree`. */
  rootAt(size: number): Uint8Array;
  /** Formats and signs the checkpoint for (size, root). */
  signCheckpoint(size: number, rootHash: Uint8Array): string;
  now(): number;
  batchDelayMs: number;
  batchMaxEntries: number;
  /** Called after commit, before any waiter is answered. */
  onCommit(entries: CommittedEntry[], batch: BatchResult): void;
  /**
   * Called after a failed commit, once the tree is cut back to `size` and every waiter was
   * refused: the owner rebuilds what it applied ahead of the commit. Throwing makes the
   * failure permanent (`failed`).
   */
  onRollback(size: number, cause: unknown): void;
  onBatchTimed?(ms: number, entries: number): void;
}

interface Waiter {
  entry: PendingEntry;
  resolve(r: { index: number; batch: BatchResult }): void;
  reject(e: unknown): void;
}

export class Sequencer {
  #deps: SequencerDeps;
  #pool: Waiter[] = [];
  #timer: { cancel(): void } | undefined;
  #committing = false;
  #latestSize: number;
  #failed: unknown;
  #closed = false;
  #idle: (() => void)[] = [];

  constructor(deps: SequencerDeps, latestSize: number) {
    this.#deps = deps;
    this.#latestSize = latestSize;
  }

  get pending(): number {
    return this.#pool.length;
  }

  /** Nothing waiting and no commit running. */
  get idle(): boolean {
    return this.#pool.length === 0 && !this.#committing && this.#timer === undefined;
  }

  /**
   * Continues from `size` (an instance elected to sequence a shared database, whose tree
   * followed other sequencers' commits). Only while idle.
   */
  resync(size: number): void {
    if (!this.idle) throw new Error('the sequencer can only be resynchronised while idle');
    this.#latestSize = size;
  }

  /** Set once a failed commit could not be rolled back: memory may be ahead of disk; restart. */
  get failed(): unknown {
    return this.#failed;
  }

  submit(entry: PendingEntry): Promise<{ index: number; batch: BatchResult }> {
    if (this.#failed !== undefined || this.#closed)
      return Promise.reject(new Error('sequencer is not accepting entries'));
    return new Promise((resolve, reject) => {
      this.#pool.push({ entry, resolve, reject });
      this.#schedule(this.#pool.length >= this.#deps.batchMaxEntries ? 0 : this.#deps.batchDelayMs);
    });
  }

  /** Stops taking entries and commits what is waiting. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#pool.length === 0 && !this.#committing) return;
    await new Promise<void>((r) => {
      this.#idle.push(r);
      this.#schedule(0);
    });
  }

  #schedule(delay: number): void {
    if (this.#committing) return; // the running commit reschedules when it ends
    if (this.#timer !== undefined) {
      if (delay > 0) return;
      this.#timer.cancel();
    }
    const run = () => {
      this.#timer = undefined;
      void this.#flush();
    };
    // setTimeout(0) waits ≥ 1 ms; setImmediate runs right after the current I/O phase,
    // which is when every request that arrived together has been read.
    if (delay > 0) {
      const t = setTimeout(run, delay);
      this.#timer = { cancel: () => clearTimeout(t) };
    } else {
      const t = setImmediate(run);
      this.#timer = { cancel: () => clearImmediate(t) };
    }
  }

  async #flush(): Promise<void> {
    if (this.#committing || this.#failed !== undefined) return;
    const batch = this.#pool.splice(0, this.#deps.batchMaxEntries);
    if (batch.length > 0) {
      this.#committing = true;
      try {
        await this.#commit(batch);
      } finally {
        this.#committing = false;
      }
    }
    // What arrived during the commit has already waited a full commit: cut it at once.
    if (this.#pool.length > 0 && this.#failed === undefined) this.#schedule(0);
    else for (const r of this.#idle.splice(0)) r();
  }

  async #commit(batch: Waiter[]): Promise<void> {
    const started = performance.now();
    const { tree } = this.#deps;
    const first = this.#latestSize;
    const size = first + batch.length;
    let result: BatchResult;
    try {
      // The tree is extended before the commit so the root can be signed into the same
      // transaction; a failed commit leaves memory ahead of disk, which #failed makes fatal.
      for (const w of batch) tree.append(w.entry.leafHash);
      const rootHash = this.#deps.rootAt(size);
      const checkpoint = this.#deps.signCheckpoint(size, rootHash);
      await this.#deps.committer.commit({
        first,
        size,
        checkpoint,
        now: this.#deps.now(),
        rows: batch.map((w) => w.entry),
      });
      result = { size, rootHash, checkpoint };
      this.#latestSize = size;
    } catch (e) {
      this.#rollback(first, batch, e);
      return;
    }
    const committed = batch.map((w, i) => ({ ...w.entry, index: first + i }));
    try {
      this.#deps.onCommit(committed, result);
    } finally {
      batch.forEach((w, i) => w.resolve({ index: first + i, batch: result }));
    }
    this.#deps.onBatchTimed?.(performance.now() - started, batch.length);
  }

  /**
   * Nothing of a failed batch reached the disk (one transaction), so memory goes back to the
   * last commit: the tree is cut, the batch and everything admitted after it (judged against
   * a state that assumed the batch) are refused, and the owner rebuilds its state.
   */
  #rollback(first: number, batch: Waiter[], e: unknown): void {
    for (const w of batch) w.reject(e);
    for (const w of this.#pool.splice(0)) w.reject(e);
    try {
      this.#deps.tree.truncate(first);
      this.#deps.onRollback(first, e);
    } catch (fatal) {
      this.#failed = fatal;
    }
    for (const r of this.#idle.splice(0)) r();
  }
}
