/**
 * Reading the log back out of SQLite: the start-up replay that rebuilds the in-memory tree
 * and state, and range reads for entry bundles and lookups.
 */
import type { NotaryDb } from '../db/open.js';

export interface StoredEntry {
  idx: number;
  leaf: Buffer;
  leaf_hash: Buffer;
  signer: string;
}

/** Calls `fn` for every entry in index order, streaming (no full table in memory). */
export function forEachEntry(db: NotaryDb, fn: (e: StoredEntry) => void, withLeaf = true): number {
  const cols = withLeaf ? 'idx, leaf, leaf_hash, signer' : "idx, x'' AS leaf, leaf_hash, signer";
  let n = 0;
  for (const row of db.prepare(`SELECT ${cols} FROM entries ORDER BY idx`).iterate()) {
    const e = row as StoredEntry;
    if (e.idx !== n) throw new Error(`entries table has a gap: expected index ${n}, found ${e.idx}`);
    fn(e);
    n += 1;
  }
  return n;
}

export function makeLeafReader(db: NotaryDb): (start: number, end: number) => Buffer[] {
  const stmt = db.prepare('SELECT leaf FROM entries WHERE idx >= ? AND idx < ? ORDER BY idx').pluck();
  return (start, end) => stmt.all(start, end) as Buffer[];
}

export function readLatest(db: NotaryDb): { size: number; note: string } | undefined {
  return db.prepare('SELECT size, note FROM latest WHERE id = 1').get() as { size: number; note: string } | undefined;
}

export function readCheckpointAt(db: NotaryDb, size: number): string | undefined {
  return db.prepare('SELECT note FROM checkpoints WHERE size = ?').pluck().get(size) as string | undefined;
}
