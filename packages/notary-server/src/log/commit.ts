/**
 * Committing one sequenced batch: the entries, their checkpoint, and the compare-and-swap on
 * `latest`, in ONE SQLite transaction (synchronous=FULL ⇒ fsync'd WAL before it returns).
 * Two implementations of the same BatchCommitter:
 *   - inline: on the caller's connection (operator CLI, tests of the sequencer);
 *   - worker: on a dedicated connection in a worker thread, so the server's event loop keeps
 *     admitting submissions while the fsync runs — which is what lets batches grow to match
 *     the disk's latency (classic group commit).
 * The worker is a real module (commit-worker.ts) running this file's makeCommitFn.
 */
import { startWorker } from '@vet/core';
import type { NotaryDb } from '../db/open.js';

export interface BatchRow {
  leaf: Uint8Array;
  leafHash: Uint8Array;
  dedupe: string;
  kind: string;
  signer: string;
  submittedBy: string;
  /** A token issued with this entry (auditor add): stored in the same transaction, or neither. */
  grant?: TokenGrant;
  /** PostgreSQL: the queue row another instance is waiting on, marked done in the same transaction. */
  queueId?: number;
}

/** A bearer token to store with an entry: only its SHA-256, bound to an auditor key id. */
export interface TokenGrant {
  /** Hex SHA-256 of the token. */
  hash: string;
  subject: string;
  label: string;
  expiresAt: number | null;
}

export interface BatchCommit {
  first: number;
  size: number;
  checkpoint: string;
  now: number;
  rows: BatchRow[];
}

export interface BatchCommitter {
  commit(batch: BatchCommit): Promise<void>;
  close(): Promise<void>;
}

export const SQL = {
  insertEntry:
    'INSERT INTO entries (idx, leaf, leaf_hash, dedupe, kind, signer, submitted_by, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  insertCheckpoint: 'INSERT INTO checkpoints (size, note) VALUES (?, ?)',
  casLatest: 'UPDATE latest SET size = ?, note = ? WHERE id = 1 AND size = ?',
  insertToken:
    "INSERT INTO tokens (hash, subject, role, label, created_at, expires_at) VALUES (?, ?, 'auditor', ?, ?, ?)",
};

/**
 * A batch as a few flat buffers: what crosses to the worker. Structured-cloning one object
 * (and its Uint8Arrays) per entry cost ~5 % of the event loop at concurrency 64; these
 * buffers are fresh, so they are transferred rather than copied.
 */
export interface PackedBatch {
  first: number;
  size: number;
  checkpoint: string;
  now: number;
  /** Leaf i is leaves[offsets[i] .. offsets[i+1]). */
  leaves: Uint8Array;
  offsets: Uint32Array;
  /** 32 bytes per entry each. */
  leafHashes: Uint8Array;
  dedupes: Uint8Array;
  /** kind, signer, submittedBy of entry i at 3i, 3i+1, 3i+2. */
  text: string[];
  /** Tokens issued with entries of this batch (rare: structured-cloned). */
  grants: TokenGrant[];
}

export function packBatch(b: BatchCommit): PackedBatch {
  const n = b.rows.length;
  const offsets = new Uint32Array(n + 1);
  b.rows.forEach((r, i) => (offsets[i + 1] = (offsets[i] ?? 0) + r.leaf.length));
  const leaves = new Uint8Array(offsets[n] ?? 0);
  const leafHashes = new Uint8Array(32 * n);
  const dedupes = new Uint8Array(32 * n);
  const text: string[] = [];
  b.rows.forEach((r, i) => {
    leaves.set(r.leaf, offsets[i]);
    leafHashes.set(r.leafHash, 32 * i);
    dedupes.set(Buffer.from(r.dedupe, 'hex'), 32 * i);
    text.push(r.kind, r.signer, r.submittedBy);
  });
  return {
    first: b.first,
    size: b.size,
    checkpoint: b.checkpoint,
    now: b.now,
    leaves,
    offsets,
    leafHashes,
    dedupes,
    text,
    grants: b.rows.flatMap((r) => (r.grant === undefined ? [] : [r.grant])),
  };
}

/** The transaction that commits one packed batch, on `db` (either thread runs this). */
export function makeCommitFn(db: NotaryDb): (b: PackedBatch) => void {
  const insertEntry = db.prepare(SQL.insertEntry);
  const insertCheckpoint = db.prepare(SQL.insertCheckpoint);
  const casLatest = db.prepare(SQL.casLatest);
  const insertToken = db.prepare(SQL.insertToken);
  const view = (u8: Uint8Array, start: number, end: number) =>
    Buffer.from(u8.buffer, u8.byteOffset + start, end - start);
  return db.transaction((b: PackedBatch) => {
    const n = b.offsets.length - 1;
    for (let i = 0; i < n; i++) {
      insertEntry.run(
        b.first + i,
        view(b.leaves, b.offsets[i]!, b.offsets[i + 1]!),
        view(b.leafHashes, 32 * i, 32 * i + 32),
        view(b.dedupes, 32 * i, 32 * i + 32),
        b.text[3 * i],
        b.text[3 * i + 1],
        b.text[3 * i + 2],
        b.now,
      );
    }
    for (const g of b.grants) insertToken.run(Buffer.from(g.hash, 'hex'), g.subject, g.label, b.now, g.expiresAt);
    insertCheckpoint.run(b.size, b.checkpoint);
    if (casLatest.run(b.size, b.checkpoint, b.first).changes !== 1) {
      throw new Error(`latest checkpoint moved under us (expected size ${b.first}): another sequencer is writing`);
    }
  });
}

export function inlineCommitter(db: NotaryDb): BatchCommitter {
  const run = makeCommitFn(db);
  return {
    commit: (b) => {
      run(packBatch(b));
      return Promise.resolve();
    },
    close: async () => {},
  };
}

/** Commits on a dedicated connection in a worker thread; one batch at a time, in order. */
export function workerCommitter(dbPath: string): BatchCommitter {
  const worker = startWorker(import.meta.url, 'commit-worker', { path: dbPath });
  const waiting: { resolve(): void; reject(e: Error): void }[] = [];
  let dead: Error | undefined;
  worker.on('message', (m: { ok: boolean; error?: string }) => {
    const w = waiting.shift();
    if (m.ok) w?.resolve();
    else w?.reject(new Error(m.error));
  });
  worker.on('error', (e) => {
    dead = e;
    for (const w of waiting.splice(0)) w.reject(e);
  });
  return {
    commit(b) {
      if (dead) return Promise.reject(dead);
      return new Promise((resolve, reject) => {
        const p = packBatch(b);
        waiting.push({ resolve, reject });
        worker.postMessage(
          p,
          [p.leaves, p.offsets, p.leafHashes, p.dedupes].map((a) => a.buffer as ArrayBuffer),
        );
      });
    },
    async close() {
      const exited = new Promise((r) => worker.once('exit', r));
      worker.postMessage('close');
      await exited;
    },
  };
}
