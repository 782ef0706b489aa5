/**
 * The operator CLI on a log kept in PostgreSQL: `init --database`, the inception guard on the
 * database, auditor and token commands reading `database.url` from the data dir's config,
 * `verify` and `backup` (pg_dump), and a clear error when the database does not answer.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateEd25519KeyPair } from '@vet/core';
import { tempDir } from '@vet/test-support/notary-harness';
import { createTestDatabase, pgSkipped, type TestDatabase } from '@vet/test-support/pg-database';
import { runCli } from '../cli/main.js';

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (l) => out.push(l), err: (l) => err.push(l), untilSignal: async () => {} });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe.skipIf(pgSkipped)('operator CLI on PostgreSQL', () => {
  const { dir: root, cleanup } = tempDir('vet-notary-pgcli-');
  const dir = join(root, 'n');
  const pk = Buffer.from(generateEd25519KeyPair().publicKey).toString('base64');
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    cleanup();
    await db.drop();
  });

  it('init --database creates the log in the database; a second init on that database is refused', async () => {
    const r = await cli('init', dir, '--origin', 'pgcli.test/log', '--database', db.url);
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, 'notary.db'))).toBe(false);
    const again = await cli('init', join(root, 'other'), '--origin', 'pgcli.test/log', '--database', db.url);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/error\[STORE_EXISTS\]: the database already holds the log "pgcli\.test\/log"/);
  });

  it('auditor add, token issue/revoke, verify and backup work through the config', async () => {
    const add = await cli('auditor', 'add', dir, '--name', 'Carol', '--public-key', pk, '--json');
    expect(add.code).toBe(0);
    expect(JSON.parse(add.out).index).toBe(0);
    const issued = await cli('token', 'issue', dir, '--name', 'Carol', '--json');
    expect(JSON.parse(issued.out).token).toMatch(/^vetn_/);
    const revoked = await cli('token', 'revoke', dir, '--name', 'Carol', '--json');
    expect(JSON.parse(revoked.out).revoked).toBe(2);
    expect((await cli('verify', dir)).out).toMatch(/^ok: 1 entries, 2 checkpoints consistent/);
    const b = await cli('backup', dir, join(root, 'backup'));
    expect(b.code).toBe(0);
    expect(existsSync(join(root, 'backup', 'notary.pgdump'))).toBe(true);
  });

  it('a database that does not answer is a clear error naming the URL, without a password', async () => {
    const r = await cli(
      'init',
      join(root, 'down'),
      '--origin',
      'x.test/log',
      '--database',
      'postgres://u:secret@127.0.0.1:1/none',
    );
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /error\[NETWORK_ERROR\]: cannot reach the notary database postgres:\/\/u:\*\*\*@127\.0\.0\.1:1\/none/,
    );
    expect(r.err).not.toContain('secret');
  });
});
