/**
 * The notary's storage interface: what createNotary needs from a database, satisfied by
 * SQLite (this file, the default) and PostgreSQL (pg/mirror.ts). Reads are synchronous —
 * the in-memory tree, state and HTTP reads are built on them — so the PostgreSQL side keeps
 * an in-memory copy of what it read from the database and extends it as the log grows.
 * Writes of sequenced batches go through a BatchCommitter (async, one transaction each).
 */
import type { BatchCommitter } from '../log/commit.js';
import { inlineCommitter } from '../log/commit.js';
import { forEachEntry, makeLeafReader, readLatest, type StoredEntry } from '../log/read.js';
import { makeTokenSource, type TokenSource } from '../tokens.js';
import { setMeta, type NotaryDb } from './open.js';

export interface NotaryStorage {
  readonly kind: 'sqlite' | 'postgres';
  /** Every stored entry in index order; returns how many. */
  forEachEntry(fn: (e: StoredEntry) => void, withLeaf?: boolean): number;
  /** Exact submitted bytes of entries [start, end). */
  readLeaves(start: number, end: number): Buffer[];
  /** `received_at` (ms) of entries [start, end). */
  receivedAt(start: number, end: number): number[];
  readLatest(): { size: number; note: string } | undefined;
  /** Dedupe keys (hex) of every stored entry. */
  dedupeKeys(): Iterable<string>;
  /** Stores the size-0 checkpoint of a brand-new log. */
  initLatest(note: string): void;
  /** Replaces the note of the latest checkpoint (same size and root, re-signed after a key rotation). */
  resignLatest(size: number, note: string): void;
  tokens(): TokenSource;
  /** A tiny durable write: does storage take writes again? (StorageHealth) */
  probe(now: number): void;
  /** The committer used when the caller passes none. */
  defaultCommitter(): BatchCommitter;
}

export function sqliteStorage(db: NotaryDb): NotaryStorage {
  const readLeaves = makeLeafReader(db);
  const times = db.prepare('SELECT received_at FROM entries WHERE idx >= ? AND idx < ? ORDER BY idx').pluck();
  return {
    kind: 'sqlite',
    forEachEntry: (fn, withLeaf) => forEachEntry(db, fn, withLeaf),
    readLeaves,
    receivedAt: (start, end) => times.all(start, end) as number[],
    readLatest: () => readLatest(db),
    *dedupeKeys() {
      for (const d of db.prepare('SELECT dedupe FROM entries').pluck().iterate()) yield (d as Buffer).toString('hex');
    },
    initLatest(note) {
      db.transaction(() => {
        db.prepare('INSERT INTO checkpoints (size, note) VALUES (0, ?)').run(note);
        db.prepare('INSERT INTO latest (id, size, note) VALUES (1, 0, ?)').run(note);
      })();
    },
    resignLatest(size, note) {
      db.transaction(() => {
        db.prepare('UPDATE checkpoints SET note = ? WHERE size = ?').run(note, size);
        db.prepare('UPDATE latest SET note = ? WHERE id = 1 AND size = ?').run(note, size);
      })();
    },
    tokens: () => makeTokenSource(db),
    probe: (now) => db.transaction(() => setMeta(db, 'storage_probe', String(now)))(),
    defaultCommitter: () => inlineCommitter(db),
  };
}
