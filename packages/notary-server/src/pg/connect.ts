/**
 * Connections to the notary's PostgreSQL (node-postgres). int8 columns (indexes, sizes, ms
 * timestamps) are read as JS numbers: every value the notary stores is below 2^53. A
 * connection failure becomes a VetError naming the (password-free) URL and what to do.
 */
import pg from 'pg';
import { VetError } from '@vet/core';

const INT8_OID = 20;

const parseInt8 = (v: string): number => Number(v);

export const pgTypes = {
  getTypeParser: ((oid: number, format?: string): unknown =>
    oid === INT8_OID && format !== 'binary'
      ? parseInt8
      : (pg.types.getTypeParser(oid, format as 'text') as unknown)) as typeof pg.types.getTypeParser,
};

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable database URL)';
  }
}

export function makePool(url: string, max = 8): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    types: pgTypes,
    keepAlive: true,
    keepAliveInitialDelayMillis: 1000,
    connectionTimeoutMillis: 10_000,
  });
  // An idle client's socket failing must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  return pool;
}

/** A dedicated connection (the sequencer lock, LISTEN). */
export function makeClient(url: string): pg.Client {
  return new pg.Client({
    connectionString: url,
    types: pgTypes,
    keepAlive: true,
    keepAliveInitialDelayMillis: 1000,
    connectionTimeoutMillis: 10_000,
  });
}

export function databaseUnreachable(url: string, cause: unknown): VetError {
  const why = cause instanceof Error ? cause.message : String(cause);
  return new VetError('NETWORK_ERROR', `cannot reach the notary database ${redactUrl(url)}: ${why}`, {
    cause,
    hint: 'check that PostgreSQL is running and the URL (user, host, port, database) is right',
  });
}

/** Runs `fn` in one transaction on a pooled connection (rolled back if it throws). */
export async function inTransaction<T>(pool: pg.Pool, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const out = await fn(client);
    await client.query('COMMIT');
    return out;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    client.release();
  }
}
