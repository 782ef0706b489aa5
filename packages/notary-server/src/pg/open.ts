/**
 * Opening a notary on PostgreSQL: connect, apply migrations, read the log into the mirror,
 * and join the instances sharing the database (pg/cluster.ts). `initPgLog` is the
 * PostgreSQL half of `vet-notary init`: it refuses a database that already holds a log
 * (the same inception guard as a data directory) and stores the signed size-0 checkpoint.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { VetError } from '@vet/core';
import type { NotaryConfig } from '../config.js';
import { DEFAULT_SESSION_TIMEOUT_MS } from '../config.js';
import { makeCheckpointSigner } from '../log/checkpoint-signer.js';
import type { NotaryKeys } from '../keys.js';
import { createNotaryCore, type Notary, type NotaryDeps } from '../notary.js';
import { hashToken, type TokenRole } from '../tokens.js';
import { pgCommitter } from './commit.js';
import { PgCluster } from './cluster.js';
import { databaseUnreachable, inTransaction, makePool } from './connect.js';
import { PgMirror } from './mirror.js';
import { MIGRATION_LOCK, migratePg } from './schema.js';

/** Connects and migrates; the pool's first connection failing is a clear error. */
export async function connectPg(url: string): Promise<pg.Pool> {
  const pool = makePool(url);
  try {
    await pool.query('SELECT 1');
  } catch (e) {
    await pool.end().catch(() => {});
    throw databaseUnreachable(url, e);
  }
  try {
    await migratePg(pool);
  } catch (e) {
    await pool.end().catch(() => {});
    throw e;
  }
  return pool;
}

/** Creates the log in an empty database: origin and the signed size-0 checkpoint. */
export async function initPgLog(pool: pg.Pool, origin: string, keys: NotaryKeys): Promise<void> {
  const empty = createHash('sha256').digest();
  const note = makeCheckpointSigner(origin, keys.logSigners)(0, empty);
  await inTransaction(pool, async (c) => {
    await c.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    const { rows } = await c.query<{ value: string }>("SELECT value FROM meta WHERE key = 'origin'");
    if (rows.length > 0)
      throw new VetError('STORE_EXISTS', `the database already holds the log "${rows[0]!.value}"`, {
        hint: 'use an empty database for a new log, or serve the existing one',
      });
    await c.query("INSERT INTO meta (key, value) VALUES ('origin', $1)", [origin]);
    await c.query('INSERT INTO checkpoints (size, note) VALUES (0, $1)', [note]);
    await c.query('INSERT INTO latest (id, size, note) VALUES (1, 0, $1)', [note]);
  });
}

export async function issuePgToken(
  pool: pg.Pool,
  token: string,
  subject: string,
  role: TokenRole,
  opts: { label?: string; now: number; expiresAt?: number },
): Promise<void> {
  await pool.query(
    'INSERT INTO tokens (hash, subject, role, label, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)',
    [hashToken(token), subject, role, opts.label ?? '', opts.now, opts.expiresAt ?? null],
  );
}

export async function revokePgTokens(pool: pg.Pool, subject: string, now: number): Promise<number> {
  const r = await pool.query('UPDATE tokens SET revoked_at = $1 WHERE subject = $2 AND revoked_at IS NULL', [
    now,
    subject,
  ]);
  return r.rowCount ?? 0;
}

/** The log's origin as stored; refuses a database without a log or for another origin. */
async function checkOrigin(pool: pg.Pool, origin: string, url: string): Promise<void> {
  const { rows } = await pool.query<{ value: string }>("SELECT value FROM meta WHERE key = 'origin'");
  const stored = rows[0]?.value;
  if (stored === undefined)
    throw new VetError('NOT_FOUND', `the database ${url} holds no notary log`, {
      hint: 'run `vet-notary init <dir> --origin <origin> --database <url>` once for a new log',
    });
  if (stored !== origin)
    throw new VetError('LOG_INCONSISTENT', `the database holds the log "${stored}", config says "${origin}"`);
}

export interface PgNotary {
  notary: Notary;
  storage: PgMirror;
  cluster: PgCluster;
  pool: pg.Pool;
  close(): Promise<void>;
}

/** A notary on PostgreSQL that follows, sequences when elected, and queues otherwise. */
export async function openPgNotary(
  url: string,
  deps: Omit<NotaryDeps, 'db' | 'storage' | 'cluster' | 'committer'> & { config: NotaryConfig },
): Promise<PgNotary> {
  const pool = await connectPg(url);
  const log = deps.log ?? (() => {});
  try {
    await checkOrigin(pool, deps.config.origin, url);
    const mirror = new PgMirror();
    const head = await mirror.readHead(pool);
    if (head === undefined) throw new VetError('LOG_INCONSISTENT', 'the database holds no checkpoint');
    await mirror.fetch(pool, head.size);
    mirror.latest = { size: head.size, note: head.note };
    await mirror.reloadTokens(pool);
    const cluster = new PgCluster({
      url,
      pool,
      mirror,
      sessionTimeoutMs: deps.config.database?.sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS,
      maxPending: deps.config.limits.maxPending,
      batchMaxEntries: deps.config.sequencer.batchMaxEntries,
      log,
    });
    const committer = pgCommitter(pool, mirror, cluster.epoch, (e) => cluster.fenced(e));
    const core = createNotaryCore({ ...deps, storage: mirror, cluster, committer });
    await cluster.start(core);
    let closing: Promise<void> | undefined;
    return {
      notary: core.notary,
      storage: mirror,
      cluster,
      pool,
      close() {
        closing ??= (async () => {
          await core.notary.close();
          await cluster.close();
          await pool.end();
        })();
        return closing;
      },
    };
  } catch (e) {
    await pool.end().catch(() => {});
    throw e;
  }
}
