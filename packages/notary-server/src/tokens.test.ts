import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openNotaryDb, type NotaryDb } from './db/open.js';
import { issueToken, makeTokenChecker, makeTokenSource, revokeTokens } from './tokens.js';

/** The next turn of the event loop: when the checker re-reads token_epoch. */
const nextTurn = () => new Promise<void>((r) => setImmediate(r));

describe('token checker (cached lookups, revocation in force from the next turn)', () => {
  let dir: string;
  let db: NotaryDb;
  let other: NotaryDb;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vet-notary-tokens-'));
    db = openNotaryDb(join(dir, 'notary.db'));
    // A second connection plays the operator CLI writing while the server runs.
    other = openNotaryDb(join(dir, 'notary.db'));
  });
  afterEach(() => {
    db.close();
    other.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('accepts a valid token repeatedly and refuses it from the next turn after a revocation elsewhere', async () => {
    const check = makeTokenChecker(makeTokenSource(db));
    const token = issueToken(other, 'alice', 'auditor', { now: 1 });
    const keep = issueToken(other, 'bob', 'auditor', { now: 1 });
    expect(check(token, 2)).toMatchObject({ subject: 'alice', role: 'auditor' });
    expect(check(token, 3)).toMatchObject({ subject: 'alice' }); // served from the cache
    expect(check(keep, 3)).toMatchObject({ subject: 'bob' });
    expect(revokeTokens(other, 'alice', 4)).toBe(1);
    await nextTurn();
    expect(check(token, 5)).toBeUndefined();
    expect(check(keep, 5)).toMatchObject({ subject: 'bob' });
  });

  it('notices a change made with plain SQL, not only through revokeTokens', async () => {
    const check = makeTokenChecker(makeTokenSource(db));
    const token = issueToken(other, 'alice', 'auditor', { now: 1 });
    expect(check(token, 2)).toBeDefined();
    other.prepare('DELETE FROM tokens').run();
    expect(check(token, 3)).toBeDefined(); // same turn: the epoch read at its start still stands
    await nextTurn();
    expect(check(token, 3)).toBeUndefined();
  });

  it('refuses a cached token once it expires', () => {
    const check = makeTokenChecker(makeTokenSource(db));
    const token = issueToken(other, 'alice', 'auditor', { now: 1, expiresAt: 100 });
    expect(check(token, 99)).toBeDefined();
    expect(check(token, 100)).toBeUndefined();
  });

  it('refuses unknown and malformed tokens', () => {
    const check = makeTokenChecker(makeTokenSource(db));
    expect(check('vetn_' + 'A'.repeat(43), 1)).toBeUndefined();
    expect(check('not-a-token', 1)).toBeUndefined();
  });
});
