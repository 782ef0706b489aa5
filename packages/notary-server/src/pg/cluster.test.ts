/**
 * Instances sharing one PostgreSQL database, in one process (each with its own pool and
 * session): migrations under concurrent start, the follower's path through the queue,
 * refusals coming back from the sequencer, fencing of a stale sequencer, and takeover when
 * the sequencer's session is dropped.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addTestAuditor,
  initPgTestDataDir,
  randomAuditEnvelope,
  tempDir,
  type TestAuditor,
} from '@vet/test-support/notary-harness';
import { createTestDatabase, pgSkipped, type TestDatabase } from '@vet/test-support/pg-database';
import { readNotaryConfig } from '../config.js';
import { paths } from '../datadir.js';
import { isNotaryError } from '../errors.js';
import { readNotaryKeys } from '../keys.js';
import type { TokenInfo } from '../tokens.js';
import { makePool } from './connect.js';
import { openPgNotary, type PgNotary } from './open.js';
import { migratePg, PG_SCHEMA_VERSION } from './schema.js';

const until = async (cond: () => boolean | Promise<boolean>, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe.skipIf(pgSkipped)('PostgreSQL storage', () => {
  const { dir, cleanup } = tempDir('vet-notary-pg-');
  let db: TestDatabase;
  let alice: TestAuditor;
  let who: TokenInfo;
  const open: PgNotary[] = [];
  const start = async () => {
    const config = readNotaryConfig(paths(dir).config);
    const n = await openPgNotary(config.database!.url, { config, keys: readNotaryKeys(dir) });
    open.push(n);
    return n;
  };
  const query = async <T extends pg.QueryResultRow>(sql: string): Promise<T[]> => {
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    try {
      return (await c.query<T>(sql)).rows;
    } finally {
      await c.end();
    }
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    await initPgTestDataDir(dir, (c) => (c.database!.sessionTimeoutMs = 2000), db);
    alice = await addTestAuditor(dir, 'alice');
    who = { subject: alice.keyid, role: 'auditor', id: 'test' };
  });
  afterAll(async () => {
    for (const n of open) await n.close().catch(() => {});
    cleanup();
    await db.drop();
  });

  it('migrations: concurrent starts apply each version once; a newer database is refused', async () => {
    const other = await createTestDatabase();
    try {
      const pools = Array.from({ length: 4 }, () => makePool(other.url, 1));
      const applied = await Promise.all(pools.map((p) => migratePg(p)));
      expect(applied.reduce((a, b) => a + b, 0)).toBe(PG_SCHEMA_VERSION);
      await pools[0]!.query('INSERT INTO schema_migrations (version) VALUES ($1)', [PG_SCHEMA_VERSION + 1]);
      await expect(migratePg(pools[0]!)).rejects.toThrow(/newer than this build/);
      await Promise.all(pools.map((p) => p.end()));
    } finally {
      await other.drop();
    }
  });

  it('one sequences; a follower queues, answers only once committed, and refusals come back', async () => {
    const a = await start();
    const b = await start();
    expect([a.cluster.isLeader(), b.cluster.isLeader()]).toEqual([true, false]);
    const r = await b.notary.submit(randomAuditEnvelope(alice), who);
    expect(r.index).toBe(1); // after alice's auditor entry
    const [row] = await query<{ n: number }>('SELECT count(*)::int AS n FROM entries');
    expect(row!.n).toBe(2);
    expect(a.notary.latest().size).toBe(2);
    // The same statement again through the follower: the sequencer's refusal, not a receipt.
    const again = randomAuditEnvelope(alice);
    await a.notary.submit(again, who);
    const dup = await b.notary.submit(again, who).catch((e: unknown) => e);
    expect(isNotaryError(dup) && dup.apiCode).toBe('DUPLICATE');
    expect(await query('SELECT id FROM queue')).toEqual([]);
  });

  it('fencing: a sequencer whose epoch was superseded cannot publish', async () => {
    const [a, b] = open as [PgNotary, PgNotary];
    const size = a.notary.latest().size;
    // What a new sequencer does when elected while this one is paused: bump the epoch.
    await query('UPDATE sequencer_lease SET epoch = epoch + 1');
    const e = await a.notary.submit(randomAuditEnvelope(alice), who).catch((x: unknown) => x);
    expect(isNotaryError(e) && e.apiCode).toBe('UNAVAILABLE');
    const [latest] = await query<{ size: number }>('SELECT size::int AS size FROM latest');
    expect(latest!.size).toBe(size);
    expect(a.cluster.isLeader()).toBe(false);
    // It released the lock: the other instance is elected and the log goes on.
    await until(() => b.cluster.isLeader());
    const r = await a.notary.submit(randomAuditEnvelope(alice), who);
    expect(r.index).toBe(size);
  });

  it('a sequencer whose session is dropped (as idle_session_timeout does to a paused one) is replaced', async () => {
    const [a, b] = open as [PgNotary, PgNotary];
    expect(b.cluster.isLeader()).toBe(true);
    // `a` was fenced in the test before: it stands again only after a session timeout.
    await new Promise((r) => setTimeout(r, 2100));
    const killed = await query<{ ok: boolean }>(
      "SELECT pg_terminate_backend(pid) AS ok FROM pg_locks WHERE locktype = 'advisory' AND objid = x'76657402'::int AND granted",
    );
    expect(killed).toEqual([{ ok: true }]);
    await until(() => a.cluster.isLeader());
    expect(b.cluster.isLeader()).toBe(false);
    const r = await b.notary.submit(randomAuditEnvelope(alice), who);
    expect(r.index).toBe(a.notary.latest().size - 1);
    await until(() => b.notary.latest().size === a.notary.latest().size);
  });
});
