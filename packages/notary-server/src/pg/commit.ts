/**
 * Committing one sequenced batch to PostgreSQL: in ONE transaction, (1) the leader epoch is
 * read under `SELECT … FOR UPDATE` and must still be this sequencer's — an instance that was
 * paused, lost its session and was replaced cannot publish (fencing; the new leader bumped
 * the epoch under the same row lock); (2) the entries, the tokens issued with them and the
 * checkpoint are inserted; (3) `latest` moves by compare-and-swap; (4) the queue rows other
 * instances wait on are marked done with their index. COMMIT returns after the WAL is
 * flushed (synchronous_commit = on), so a receipt sent after it is durable.
 */
import type pg from 'pg';
import type { BatchCommit, BatchCommitter } from '../log/commit.js';
import { inTransaction } from './connect.js';
import type { PgMirror } from './mirror.js';

/** A commit refused because another instance is now the sequencer. */
export class FencedError extends Error {
  readonly fenced = true;
}

export function isFenced(e: unknown): boolean {
  return (e as { fenced?: unknown } | undefined)?.fenced === true;
}

/** Reads the leader epoch under a row lock; throws FencedError unless it is `epoch`. */
export async function checkEpoch(c: pg.ClientBase, epoch: number | undefined): Promise<void> {
  if (epoch === undefined) throw new FencedError('this instance is not the elected sequencer');
  const { rows } = await c.query<{ epoch: number }>('SELECT epoch FROM sequencer_lease WHERE id = 1 FOR UPDATE');
  const now = rows[0]?.epoch;
  if (now !== epoch)
    throw new FencedError(`sequencer epoch ${epoch} was superseded by ${String(now)}: another instance sequences`);
}

export function pgCommitter(
  pool: pg.Pool,
  mirror: PgMirror,
  epoch: () => number | undefined,
  onFenced: (e: FencedError) => void,
): BatchCommitter {
  return {
    async commit(b) {
      try {
        await inTransaction(pool, (c) => commitBatch(c, b, epoch()));
      } catch (e) {
        if (e instanceof FencedError) onFenced(e);
        throw e;
      }
      mirror.committed(b);
      // Tokens issued with these entries are usable once the receipt is out, as on SQLite.
      if (b.rows.some((r) => r.grant !== undefined)) await mirror.reloadTokens(pool);
    },
    close: async () => {},
  };
}

async function commitBatch(c: pg.ClientBase, b: BatchCommit, epoch: number | undefined): Promise<void> {
  await checkEpoch(c, epoch);
  const rows = b.rows;
  await c.query(
    `INSERT INTO entries (idx, leaf, leaf_hash, dedupe, kind, signer, submitted_by, received_at)
     SELECT u.idx, u.leaf, u.leaf_hash, u.dedupe, u.kind, u.signer, u.submitted_by, $8
     FROM unnest($1::bigint[], $2::bytea[], $3::bytea[], $4::bytea[], $5::text[], $6::text[], $7::text[])
       AS u(idx, leaf, leaf_hash, dedupe, kind, signer, submitted_by)`,
    [
      rows.map((_, i) => b.first + i),
      rows.map((r) => Buffer.from(r.leaf)),
      rows.map((r) => Buffer.from(r.leafHash)),
      rows.map((r) => Buffer.from(r.dedupe, 'hex')),
      rows.map((r) => r.kind),
      rows.map((r) => r.signer),
      rows.map((r) => r.submittedBy),
      b.now,
    ],
  );
  for (const g of rows.flatMap((r) => (r.grant === undefined ? [] : [r.grant])))
    await c.query(
      "INSERT INTO tokens (hash, subject, role, label, created_at, expires_at) VALUES ($1, $2, 'auditor', $3, $4, $5)",
      [Buffer.from(g.hash, 'hex'), g.subject, g.label, b.now, g.expiresAt],
    );
  await c.query('INSERT INTO checkpoints (size, note) VALUES ($1, $2)', [b.size, b.checkpoint]);
  const cas = await c.query('UPDATE latest SET size = $1, note = $2 WHERE id = 1 AND size = $3', [
    b.size,
    b.checkpoint,
    b.first,
  ]);
  if (cas.rowCount !== 1)
    throw new FencedError(`latest checkpoint moved under us (expected size ${b.first}): another sequencer is writing`);
  const queued = rows.flatMap((r, i) => (r.queueId === undefined ? [] : [[r.queueId, b.first + i] as const]));
  if (queued.length > 0)
    await c.query(
      `UPDATE queue SET state = 'done', idx = u.idx FROM unnest($1::bigint[], $2::bigint[]) AS u(id, idx)
       WHERE queue.id = u.id`,
      [queued.map((q) => q[0]), queued.map((q) => q[1])],
    );
}
