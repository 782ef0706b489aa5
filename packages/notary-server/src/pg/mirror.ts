/**
 * NotaryStorage over PostgreSQL: the log as read from the database, kept in memory so the
 * synchronous reads the notary is built on (tree replay, tiles, bundles, lookups, token
 * checks) need no round trip. It is extended only from the database: by the commit this
 * instance made (sequencer) or by reading what another instance committed (follower), so
 * it is always a prefix of what PostgreSQL holds. Memory: the entries' bytes (~1–2 KB each)
 * on top of the tree the notary always kept; see docs/notary.md "Running several instances".
 */
import type pg from 'pg';
import type { NotaryStorage } from '../db/storage.js';
import type { BatchCommit, BatchCommitter } from '../log/commit.js';
import type { StoredEntry } from '../log/read.js';
import type { TokenRow, TokenSource } from '../tokens.js';

export interface MirroredEntry extends StoredEntry {
  dedupe: Buffer;
}

interface EntryRow {
  idx: number;
  leaf: Buffer;
  leaf_hash: Buffer;
  dedupe: Buffer;
  signer: string;
  received_at: number;
}

const PAGE = 5000;

export class PgMirror implements NotaryStorage {
  readonly kind = 'postgres';
  #leaves: Buffer[] = [];
  #hashes: Buffer[] = [];
  #dedupes: Buffer[] = [];
  #signers: string[] = [];
  #times: number[] = [];
  #tokens = new Map<string, TokenRow>();
  #tokenEpoch = -1;
  latest: { size: number; note: string } | undefined;

  get size(): number {
    return this.#leaves.length;
  }

  get tokenEpoch(): number {
    return this.#tokenEpoch;
  }

  /** Reads entries [size, upTo) from the database and appends them; returns them. */
  async fetch(db: pg.Pool | pg.ClientBase, upTo: number): Promise<MirroredEntry[]> {
    const out: MirroredEntry[] = [];
    while (this.size < upTo) {
      const { rows } = await db.query<EntryRow>(
        'SELECT idx, leaf, leaf_hash, dedupe, signer, received_at FROM entries WHERE idx >= $1 AND idx < $2 ORDER BY idx LIMIT $3',
        [this.size, upTo, PAGE],
      );
      if (rows.length === 0) throw new Error(`entries ${this.size}..${upTo} are missing from the database`);
      for (const r of rows) {
        if (r.idx !== this.size)
          throw new Error(`entries table has a gap: expected index ${this.size}, found ${r.idx}`);
        this.#push(r.leaf, r.leaf_hash, r.dedupe, r.signer, r.received_at);
        out.push({ idx: r.idx, leaf: r.leaf, leaf_hash: r.leaf_hash, signer: r.signer, dedupe: r.dedupe });
      }
    }
    return out;
  }

  /** Re-reads every token (the token epoch moved). */
  async reloadTokens(db: pg.Pool | pg.ClientBase): Promise<void> {
    const { rows: e } = await db.query<{ n: number }>('SELECT n FROM token_epoch WHERE id = 1');
    const { rows } = await db.query<TokenRow>('SELECT hash, subject, role, expires_at, revoked_at FROM tokens');
    this.#tokens = new Map(rows.map((r) => [r.hash.toString('hex'), r]));
    this.#tokenEpoch = e[0]?.n ?? 0;
  }

  async readHead(db: pg.Pool | pg.ClientBase): Promise<{ size: number; note: string; tokens: number } | undefined> {
    const { rows } = await db.query<{ size: number; note: string; tokens: number }>(
      'SELECT l.size, l.note, t.n AS tokens FROM latest l CROSS JOIN token_epoch t WHERE l.id = 1 AND t.id = 1',
    );
    return rows[0];
  }

  /** A batch this instance committed (the transaction returned). */
  committed(b: BatchCommit): void {
    if (b.first !== this.size) throw new Error(`mirror at ${this.size}, batch starts at ${b.first}`);
    for (const r of b.rows)
      this.#push(Buffer.from(r.leaf), Buffer.from(r.leafHash), Buffer.from(r.dedupe, 'hex'), r.signer, b.now);
    this.latest = { size: b.size, note: b.checkpoint };
  }

  #push(leaf: Buffer, hash: Buffer, dedupe: Buffer, signer: string, time: number): void {
    this.#leaves.push(leaf);
    this.#hashes.push(hash);
    this.#dedupes.push(dedupe);
    this.#signers.push(signer);
    this.#times.push(time);
  }

  forEachEntry(fn: (e: StoredEntry) => void, withLeaf = true): number {
    const empty = Buffer.alloc(0);
    for (let i = 0; i < this.size; i++)
      fn({ idx: i, leaf: withLeaf ? this.#leaves[i]! : empty, leaf_hash: this.#hashes[i]!, signer: this.#signers[i]! });
    return this.size;
  }

  readLeaves(start: number, end: number): Buffer[] {
    return this.#leaves.slice(start, end);
  }

  receivedAt(start: number, end: number): number[] {
    return this.#times.slice(start, end);
  }

  readLatest(): { size: number; note: string } | undefined {
    return this.latest;
  }

  *dedupeKeys(): Iterable<string> {
    for (const d of this.#dedupes) yield d.toString('hex');
  }

  initLatest(): void {
    throw new Error('PostgreSQL: the size-0 checkpoint is stored when the database is opened');
  }

  resignLatest(): void {
    throw new Error('PostgreSQL: the elected sequencer re-signs the latest checkpoint');
  }

  tokens(): TokenSource {
    return {
      epoch: () => this.#tokenEpoch,
      lookup: (h) => this.#tokens.get(h.toString('hex')),
    };
  }

  /** Writes go to PostgreSQL in transactions; a failed commit is retried by the next batch. */
  probe(): void {}

  defaultCommitter(): BatchCommitter {
    throw new Error('PostgreSQL: the cluster supplies the fenced committer');
  }
}
