/**
 * A fresh PostgreSQL database per test notary (CREATE DATABASE vet_test_<random>, dropped at
 * the end), so test files running in parallel never share tables. The server is the
 * machine's own on 127.0.0.1:5432 (trust auth); VET_PG_URL overrides the admin URL.
 * PostgreSQL not answering is a loud failure naming what to do — unless VET_SKIP_POSTGRES=1,
 * when the PostgreSQL tests skip (pgSkipped).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const PG_ADMIN_URL = process.env.VET_PG_URL ?? 'postgres://root@127.0.0.1:5432/test';

/** True when the PostgreSQL tests are told to skip (VET_SKIP_POSTGRES=1). */
export const pgSkipped = process.env.VET_SKIP_POSTGRES === '1';

/** The notary tests' database: VET_NOTARY_DB=postgres runs the harness's notaries on PostgreSQL. */
export function notaryDbKind(): 'sqlite' | 'postgres' {
  return process.env.VET_NOTARY_DB === 'postgres' ? 'postgres' : 'sqlite';
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 5000 });
  try {
    await c.connect();
  } catch (e) {
    throw new Error(
      `PostgreSQL is not reachable at ${PG_ADMIN_URL} (${(e as Error).message}). Start it ` +
        '(`pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`, see docs/notary.md) ' +
        'or set VET_SKIP_POSTGRES=1 to skip the PostgreSQL tests.',
      { cause: e },
    );
  }
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `vet_test_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const u = new URL(PG_ADMIN_URL);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => {}),
  };
}
