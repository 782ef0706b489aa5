/**
 * What an operator does to a notary, as functions the CLI (and tests) call: add/remove
 * auditors, issue/revoke tokens. Auditor changes are log entries signed with the admin key
 * (spec/notary.md §8), so they go through the one sequencer: to the running server over
 * HTTP with the admin token when one holds the lock, else through an in-process sequencer
 * under the same lock.
 */
import { readFileSync } from 'node:fs';
import {
  IN_TOTO_PAYLOAD_TYPE,
  VetError,
  decodeNotaryEntry,
  makeAuditorStatement,
  parseAuditorStatement,
  signDsse,
} from '@vet/core';
import { acquireSequencerLock, lockHolder, openDataDir, paths } from './datadir.js';
import { createNotary } from './notary.js';
import { NotaryError, isNotaryApiCode } from './errors.js';
import type { Receipt } from './log/proofs.js';
import type { TokenGrant } from './log/commit.js';
import { issueToken, newToken, revokeTokens } from './tokens.js';
import { readNotaryKeys } from './keys.js';
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { readNotaryConfig } from './config.js';
import type { NotaryDb } from './db/open.js';
import { connectPg, issuePgToken, openPgNotary, revokePgTokens } from './pg/open.js';

export function serverUrlFile(dataDir: string): string {
  return `${paths(dataDir).lock}.url`;
}

/** Appends an admin-signed envelope through whichever sequencer owns the log. */
export async function appendAdminEntry(dataDir: string, envelope: Uint8Array, grant?: TokenGrant): Promise<Receipt> {
  if (lockHolder(dataDir) !== undefined) return submitToRunningServer(dataDir, envelope, grant);
  const release = acquireSequencerLock(dataDir);
  const cfg = readNotaryConfig(paths(dataDir).config);
  if (cfg.database !== undefined) {
    try {
      const pgn = await openPgNotary(cfg.database.url, {
        config: cfg,
        keys: readNotaryKeys(dataDir),
        staticDir: paths(dataDir).static,
      });
      try {
        return await pgn.notary.submit(envelope, { subject: 'admin', role: 'admin', id: 'operator-cli' }, grant);
      } finally {
        await pgn.close();
      }
    } finally {
      release();
    }
  }
  let opened;
  try {
    opened = openDataDir(dataDir);
  } catch (e) {
    release();
    throw e;
  }
  const { db, config, keys, paths: p } = opened;
  try {
    const notary = createNotary({ db, config, keys, staticDir: p.static });
    try {
      return await notary.submit(envelope, { subject: 'admin', role: 'admin', id: 'operator-cli' }, grant);
    } finally {
      await notary.close();
    }
  } finally {
    db.close();
    release();
  }
}

async function submitToRunningServer(dataDir: string, envelope: Uint8Array, grant?: TokenGrant): Promise<Receipt> {
  let url: string;
  let token: string;
  try {
    url = readFileSync(serverUrlFile(dataDir), 'utf8').trim();
    token = readFileSync(paths(dataDir).adminToken, 'utf8').trim();
  } catch (cause) {
    throw new VetError('LOCK_HELD', 'a notary server is running but its URL or the admin token is unknown', { cause });
  }
  const res = await fetch(`${url}/v1/submit`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      ...(grant && { 'vet-token-grant': grant.hash }),
      ...(grant?.expiresAt != null && { 'vet-token-expires': String(grant.expiresAt) }),
    },
    body: envelope,
  });
  const body = (await res.json()) as Receipt & { error?: { code: string; rule?: string; message: string } };
  if (res.ok) return body;
  // The running server's refusal, as the in-process path would have thrown it (code and rule).
  const code = body.error?.code;
  if (code !== undefined && isNotaryApiCode(code))
    throw new NotaryError(code, body.error?.message ?? '', { rule: body.error?.rule });
  throw new VetError('HTTP_ERROR', `notary refused the entry: ${code ?? res.status}: ${body.error?.message ?? ''}`);
}

/** Default auditor keyid: name-independent fingerprint of the key. */
export function auditorKeyId(publicKey: Uint8Array): string {
  return `vet-auditor:${createHash('sha256').update(publicKey).digest('hex').slice(0, 16)}`;
}

export function signedAuditorEntry(
  dataDir: string,
  action: 'add' | 'remove',
  name: string,
  publicKey: Uint8Array,
  keyid: string,
): Uint8Array {
  const { admin } = readNotaryKeys(dataDir);
  const payload = makeAuditorStatement({ action, keyid, publicKey, name });
  const env = signDsse(payload, IN_TOTO_PAYLOAD_TYPE, { keyid: admin.keyid, secretKey: admin.secretKey });
  return Buffer.from(JSON.stringify(env));
}

export async function addAuditor(
  dataDir: string,
  opts: { name: string; publicKey: Uint8Array; keyid?: string; tokenExpiresAt?: number; now?: number },
): Promise<{ keyid: string; token: string; receipt: Receipt }> {
  const keyid = opts.keyid ?? auditorKeyId(opts.publicKey);
  // The token is stored in the transaction that logs the entry, or neither is; the notary
  // binds it to the key id, not the name: two auditors named alike stay apart.
  const { token, hash } = newToken();
  const grant: TokenGrant = { hash, subject: keyid, label: 'auditor add', expiresAt: opts.tokenExpiresAt ?? null };
  const entry = signedAuditorEntry(dataDir, 'add', opts.name, opts.publicKey, keyid);
  const receipt = await appendAdminEntry(dataDir, entry, grant);
  return { keyid, token, receipt };
}

export async function removeAuditor(
  dataDir: string,
  opts: { name: string; publicKey: Uint8Array; keyid?: string },
): Promise<{ receipt: Receipt; tokensRevoked: number }> {
  const keyid = opts.keyid ?? auditorKeyId(opts.publicKey);
  const receipt = await appendAdminEntry(
    dataDir,
    signedAuditorEntry(dataDir, 'remove', opts.name, opts.publicKey, keyid),
  );
  return { receipt, tokensRevoked: await revokeAuditorTokens(dataDir, keyid) };
}

/** Runs against the data dir's database: its SQLite file, or the PostgreSQL its config names. */
async function withDatabase<T>(
  dataDir: string,
  onSqlite: (db: NotaryDb) => T,
  onPg: (pool: pg.Pool) => Promise<T>,
): Promise<T> {
  const cfg = readNotaryConfig(paths(dataDir).config);
  if (cfg.database !== undefined) {
    const pool = await connectPg(cfg.database.url);
    try {
      return await onPg(pool);
    } finally {
      await pool.end();
    }
  }
  const { db } = openDataDir(dataDir);
  try {
    return onSqlite(db);
  } finally {
    db.close();
  }
}

/** Issues a token for the auditor with key id `keyid` (tokens act for a key id, not a name). */
export function issueAuditorToken(
  dataDir: string,
  keyid: string,
  opts: { expiresAt?: number; now: number; label?: string },
): Promise<string> {
  return withDatabase(
    dataDir,
    (db) => issueToken(db, keyid, 'auditor', opts),
    async (pool) => {
      const { token } = newToken();
      await issuePgToken(pool, token, keyid, 'auditor', opts);
      return token;
    },
  );
}

export function revokeAuditorTokens(dataDir: string, keyid: string): Promise<number> {
  return withDatabase(
    dataDir,
    (db) => revokeTokens(db, keyid, Date.now()),
    (pool) => revokePgTokens(pool, keyid, Date.now()),
  );
}

/**
 * The key id an operator means: `keyid` as given, or the one auditor registered under
 * `name` (from the log's auditor entries). Two auditors of that name: ask for --keyid.
 */
export async function resolveAuditorKeyid(dataDir: string, who: { keyid?: string; name?: string }): Promise<string> {
  if (who.keyid !== undefined) return who.keyid;
  const named = new Set<string>();
  const leaves = await withDatabase(
    dataDir,
    (db) => db.prepare("SELECT leaf FROM entries WHERE kind = 'auditor-add' ORDER BY idx").pluck().all() as Buffer[],
    async (pool) =>
      (await pool.query<{ leaf: Buffer }>("SELECT leaf FROM entries WHERE kind = 'auditor-add' ORDER BY idx")).rows.map(
        (r) => r.leaf,
      ),
  );
  for (const leaf of leaves) {
    try {
      const a = parseAuditorStatement(decodeNotaryEntry(leaf).payload);
      if (a.name === who.name) named.add(a.keyid);
    } catch {
      /* not interpretable: `vet-notary verify` reports it */
    }
  }
  if (named.size === 1) return [...named][0]!;
  throw new VetError(
    'INVALID_ARGUMENT',
    named.size === 0
      ? `no auditor named ${JSON.stringify(who.name)} was ever added`
      : `${named.size} auditors are named ${JSON.stringify(who.name)}: name one with --keyid`,
  );
}
