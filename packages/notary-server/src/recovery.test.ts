/**
 * A server that keeps serving: `auditor add` logs its entry and stores the token in one
 * transaction, or does neither (the token write is made to fail with a SQLite trigger: the
 * storage layer's real error path); after a failed commit the sequencer rolls memory back to
 * the database and the server takes entries again as soon as storage does — a real full
 * disk on a small tmpfs where mounting is allowed.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { paths } from './datadir.js';
import { addAuditor } from './operator.js';
import { serveNotary } from './server.js';
import { verifyNotaryLog } from './verify.js';
import { generateEd25519KeyPair } from '@vet/core';
import {
  addTestAuditor,
  initTestDataDir,
  post,
  randomAuditEnvelope,
  startTestNotary,
  tempDir,
} from '@vet/test-support/notary-harness';
import { mountTmpfs, NO_MOUNT, type Tmpfs } from '@vet/test-support/tmpfs';

const FAIL_TOKENS =
  "CREATE TRIGGER fail_tokens BEFORE INSERT ON tokens BEGIN SELECT RAISE(ABORT, 'injected: token write failed'); END";

function sql(dir: string, text: string): unknown[] {
  const db = new Database(paths(dir).db);
  try {
    return text.trim().toUpperCase().startsWith('SELECT') ? db.prepare(text).pluck().all() : (db.exec(text), []);
  } finally {
    db.close();
  }
}

const sizeOf = async (url: string) => Number((await (await fetch(`${url}/checkpoint`)).text()).split('\n')[1]);

async function until(cond: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('auditor add: entry and token in one transaction', () => {
  it('without a server: a failing token write logs nothing; once it works, both are stored', async () => {
    const { dir, cleanup } = tempDir();
    try {
      initTestDataDir(dir);
      sql(dir, FAIL_TOKENS);
      const publicKey = generateEd25519KeyPair().publicKey;
      await expect(addAuditor(dir, { name: 'Erin', publicKey })).rejects.toThrow();
      expect(sql(dir, 'SELECT count(*) FROM entries')).toEqual([0]);
      sql(dir, 'DROP TRIGGER fail_tokens');
      const r = await addAuditor(dir, { name: 'Erin', publicKey });
      expect(r.receipt.index).toBe(0);
      expect(sql(dir, "SELECT subject FROM tokens WHERE role = 'auditor'")).toEqual([r.keyid]);
      expect((await verifyNotaryLog(dir)).ok).toBe(true);
    } finally {
      cleanup();
    }
  });

  it('through a running server: refused and not logged; the server rolls back and takes the retry', async () => {
    const n = await startTestNotary();
    try {
      const before = await sizeOf(n.url);
      sql(n.dir, FAIL_TOKENS);
      await expect(addTestAuditor(n.dir, 'Frank')).rejects.toMatchObject({ apiCode: 'UNAVAILABLE' });
      expect(await sizeOf(n.url)).toBe(before);
      expect(sql(n.dir, 'SELECT count(*) FROM entries')).toEqual([before]);
      sql(n.dir, 'DROP TRIGGER fail_tokens');
      await until(async () => (await fetch(`${n.url}/readyz`)).status === 200);
      const frank = await addTestAuditor(n.dir, 'Frank');
      const r = await post(`${n.url}/v1/submit`, randomAuditEnvelope(frank), frank.token);
      expect(r.status).toBe(200);
      expect(r.json.index).toBe(before + 1);
      expect((await verifyNotaryLog(n.dir)).ok).toBe(true);
    } finally {
      await n.close();
    }
  });
});

describe('a failed commit is rolled back and the server recovers by itself', () => {
  it('storage-layer failure (SQLite trigger on entries): 503, then accepted again without a restart', async () => {
    const n = await startTestNotary();
    try {
      const alice = await n.addAuditor('Alice');
      expect((await post(`${n.url}/v1/submit`, randomAuditEnvelope(alice), alice.token)).status).toBe(200);
      const size = await sizeOf(n.url);
      sql(n.dir, "CREATE TRIGGER fail_entries BEFORE INSERT ON entries BEGIN SELECT RAISE(ABORT, 'injected'); END");
      const failed = await post(`${n.url}/v1/submit`, randomAuditEnvelope(alice), alice.token);
      expect([failed.status, failed.json.error.code]).toEqual([503, 'UNAVAILABLE']);
      sql(n.dir, 'DROP TRIGGER fail_entries');
      await until(
        async () => (await post(`${n.url}/v1/submit`, randomAuditEnvelope(alice), alice.token)).status === 200,
      );
      expect(await sizeOf(n.url)).toBe(size + 1);
      expect((await verifyNotaryLog(n.dir)).ok).toBe(true);
    } finally {
      await n.close();
    }
  });

  const fs: Tmpfs | undefined = mountTmpfs(4096);
  if (fs === undefined) console.log(NO_MOUNT);
  afterAll(() => fs?.unmount());

  it.skipIf(fs === undefined)(
    'a real full disk (tmpfs): 503 and not ready while full, serving again once space returns',
    async () => {
      const dir = join(fs!.dir, 'data');
      initTestDataDir(dir, (c) => (c.sequencer.publishIntervalMs = 0));
      let running = await serveNotary(dir, { port: 0 });
      const url = running.url;
      try {
        const alice = await addTestAuditor(dir, 'Alice');
        expect((await post(`${url}/v1/submit`, randomAuditEnvelope(alice), alice.token)).status).toBe(200);
        const filler = fs!.fill();
        // A commit may still fit in the WAL's last allocated page: the disk is full once one fails.
        let refused;
        for (let i = 0; i < 20; i++) {
          refused = await post(`${url}/v1/submit`, randomAuditEnvelope(alice), alice.token);
          if (refused.status !== 200) break;
        }
        expect([refused?.status, refused?.json.error.code]).toEqual([503, 'UNAVAILABLE']);
        const ready = await fetch(`${url}/readyz`);
        expect(ready.status).toBe(503);
        expect(JSON.stringify(await ready.json())).toMatch(/storage/);
        const size = await sizeOf(url);
        const again = await post(`${url}/v1/submit`, randomAuditEnvelope(alice), alice.token);
        expect([again.status, await sizeOf(url)]).toEqual([503, size]);
        rmSync(filler);
        await until(async () => (await fetch(`${url}/readyz`)).status === 200);
        const ok = await post(`${url}/v1/submit`, randomAuditEnvelope(alice), alice.token);
        expect([ok.status, ok.json.index]).toEqual([200, size]);
      } finally {
        await running.close();
      }
      expect((await verifyNotaryLog(dir)).ok).toBe(true);
      // A restart serves the same log.
      running = await serveNotary(dir, { port: 0 });
      const restarted = await sizeOf(running.url);
      await running.close();
      expect(restarted).toBe((await verifyNotaryLog(dir)).latestSize);
    },
  );
});
