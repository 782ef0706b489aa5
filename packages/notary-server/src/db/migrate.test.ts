/**
 * Schema 1 → 2 at server start: a database of the old schema, whose auditor tokens name an
 * auditor by display name, keeps working — a name one auditor holds is rebound to its key
 * id, a name two auditors share is revoked (it cannot be resolved safely) — and is marked
 * schema 2. The old database is made the way schema 1 stored tokens: same tables, `subject`
 * holding the name, `meta.schema` = '1'.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../tokens.js';
import { paths } from '../datadir.js';
import { serveNotary, type RunningNotary } from '../server.js';
import {
  addTestAuditor,
  initTestDataDir,
  post,
  randomAuditEnvelope,
  tempDir,
  type TestAuditor,
} from '@vet/test-support/notary-harness';

const OLD_ALICE = 'vetn_' + 'A'.repeat(43);
const OLD_BOB = 'vetn_' + 'B'.repeat(43);

describe('schema 1 → 2: name-bound tokens', () => {
  const { dir, cleanup } = tempDir();
  let alice: TestAuditor;
  let bob1: TestAuditor;
  let running: RunningNotary;
  beforeAll(async () => {
    initTestDataDir(dir);
    alice = await addTestAuditor(dir, 'Alice');
    bob1 = await addTestAuditor(dir, 'Bob');
    await addTestAuditor(dir, 'Bob');
    const db = new Database(paths(dir).db);
    const insert = db.prepare(
      "INSERT INTO tokens (hash, subject, role, label, created_at, expires_at) VALUES (?, ?, 'auditor', 'old', 0, NULL)",
    );
    insert.run(hashToken(OLD_ALICE), 'Alice');
    insert.run(hashToken(OLD_BOB), 'Bob');
    db.prepare("UPDATE meta SET value = '1' WHERE key = 'schema'").run();
    db.close();
    running = await serveNotary(dir, { port: 0 });
  });
  afterAll(async () => {
    await running.close();
    cleanup();
  });

  it("rebinds a unique name's token to that auditor's key id: it submits her envelopes", async () => {
    const r = await post(`${running.url}/v1/submit`, randomAuditEnvelope(alice), OLD_ALICE);
    expect(r.status).toBe(200);
  });

  it("revokes a shared name's token: neither Bob can be impersonated by it", async () => {
    const r = await post(`${running.url}/v1/submit`, randomAuditEnvelope(bob1), OLD_BOB);
    expect([r.status, r.json.error.code]).toEqual([401, 'UNAUTHENTICATED']);
  });

  it('tokens issued by key id are untouched, and the database is now schema 2', async () => {
    expect((await post(`${running.url}/v1/submit`, randomAuditEnvelope(bob1), bob1.token)).status).toBe(200);
    const db = new Database(paths(dir).db, { readonly: true });
    try {
      expect(db.prepare("SELECT value FROM meta WHERE key = 'schema'").pluck().get()).toBe('2');
      const subjects = db.prepare('SELECT subject FROM tokens WHERE hash = ?').pluck();
      expect(subjects.get(hashToken(OLD_ALICE))).toBe(alice.keyid);
    } finally {
      db.close();
    }
  });
});
