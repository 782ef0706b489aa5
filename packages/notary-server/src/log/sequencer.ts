/**
 * The one sequencer (spec/notary.md §9, §10.9). Submissions wait in a pool; every
 * `batchDelayMs` (or as soon as `batchMaxEntries` are waiting) one batch is appended in ONE
 * SQLite transaction together with its signed checkpoint and a compare-and-swap on `latest`,
 * committed with fsync (synchronous=FULL), and only then is every waiter answered — with
 * that checkpoint and an inclusion proof computed for exactly its size (rekor#956).
 * Group commit is what makes thousands of durable submissions per second possible: one fsync
 * and one Ed25519 signature per batch instead of per entry.
 */
import type { NotaryDb } from '../db/open.js';
import type { MerkleLevels } from './tree.js';

export interface PendingEntry {
  leaf: Uint8Array;
  leafHash: Uint8Array;
  /** SHA-256 of the DSSE PAE, hex: the dedupe key (§10.6). */
  dedupe: string;
  kind: string;
  /** DSSE keyid whose signature verified. */
  signer: string;
  submittedBy: string;
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
  db: NotaryDb;
  tree: MerkleLevels;
  /** Root of the first `size` leaves of `tree`. */
  rootAt(size: number): Uint8Array;
  /** Formats and signs the checkpoint for (size, root). */
  signCheckpoint(size: number, rootHash: Uint8Array): string;
  now(): number;
  batchDelayMs: number;
  batchMaxEntries: number;
  /** Called synchronously after commit, before any waiter is answered. */
  onCommit(entries: CommittedEntry[], batch: BatchResult): void;
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
  #timer: NodeJS.Timeout | undefined;
  #latestSize: number;
  #failed: unknown;
  #closed = false;
  #idle: (() => void)[] = [];
  readonly #insertEntry;
  readonly #insertCheckpoint;
  readonly #casLatest;

  constructor(deps: SequencerDeps, latestSize: number) {
    this.#deps = deps;
    this.#latestSize = latestSize;
    this.#insertEntry = deps.db.prepare(
      'INSERT INTO entries (idx, leaf, leaf_hash, dedupe, kind, signer, submitted_by, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.#insertCheckpoint = deps.db.prepare('INSERT INTO checkpoints (size, note) VALUES (?, ?)');
    this.#casLatest = deps.db.prepare('UPDATE latest SET size = ?, note = ? WHERE id = 1 AND size = ?');
  }

  get pending(): number {
    return this.#pool.length;
  }

  /** Set once a commit failed: the in-memory tree may be ahead of the database; restart. */
  get failed(): unknown {
    return this.#failed;
  }

  submit(entry: PendingEntry): Promise<{ index: number; batch: BatchResult }> {
    if (this.#failed !== undefined || this.#closed) return Promise.reject(new Error('sequencer is not accepting entries'));
    return new Promise((resolve, reject) => {
      this.#pool.push({ entry, resolve, reject });
      if (this.#pool.length >= this.#deps.batchMaxEntries) this.#schedule(0);
      else this.#schedule(this.#deps.batchDelayMs);
    });
  }

  /** Stops taking entries and commits what is waiting. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#pool.length === 0) return;
    await new Promise<void>((r) => {
      this.#idle.push(r);
      this.#schedule(0);
    });
  }

  #schedule(delay: number): void {
    if (this.#timer !== undefined) {
      if (delay > 0) return;
      clearTimeout(this.#timer);
    }
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#flush();
    }, delay);
  }

  #flush(): void {
    const batch = this.#pool.splice(0, this.#deps.batchMaxEntries);
    if (batch.length > 0) this.#commit(batch);
    if (this.#pool.length > 0) this.#schedule(this.#pool.length >= this.#deps.batchMaxEntries ? 0 : this.#deps.batchDelayMs);
    else for (const r of this.#idle.splice(0)) r();
  }

  #commit(batch: Waiter[]): void {
    const started = performance.now();
    const { db, tree } = this.#deps;
    const first = this.#latestSize;
    let result: BatchResult;
    try {
      // The tree is extended first so the root can be signed inside the transaction; a
      // failed commit therefore leaves memory ahead of disk, which #failed makes fatal.
      for (const w of batch) tree.append(w.entry.leafHash);
      const size = first + batch.length;
      const rootHash = this.#deps.rootAt(size);
      const checkpoint = this.#deps.signCheckpoint(size, rootHash);
      const now = this.#deps.now();
      db.transaction(() => {
        batch.forEach((w, i) => {
          const e = w.entry;
          this.#insertEntry.run(first + i, e.leaf, e.leafHash, Buffer.from(e.dedupe, 'hex'), e.kind, e.signer, e.submittedBy, now);
        });
        this.#insertCheckpoint.run(size, checkpoint);
        if (this.#casLatest.run(size, checkpoint, first).changes !== 1) {
          throw new Error(`latest checkpoint moved under us (expected size ${first}): another sequencer is writing`);
        }
      })();
      result = { size, rootHash, checkpoint };
      this.#latestSize = size;
    } catch (e) {
      this.#failed = e;
      for (const w of batch) w.reject(e);
      for (const w of this.#pool.splice(0)) w.reject(e);
      return;
    }
    const committed = batch.map((w, i) => ({ ...w.entry, index: first + i }));
    this.#deps.onCommit(committed, result);
    batch.forEach((w, i) => w.resolve({ index: first + i, batch: result }));
    this.#deps.onBatchTimed?.(performance.now() - started, batch.length);
  }
}
