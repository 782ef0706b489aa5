/**
 * What an operator does to a notary, as functions the CLI (and tests) call: add/remove
 * auditors, issue/revoke tokens. Auditor changes are log entries signed with the admin key
 * (spec/notary.md §8), so they go through the one sequencer: to the running server over
 * HTTP with the admin token when one holds the lock, else through an in-process sequencer
 * under the same lock.
 */
import { readFileSync } from 'node:fs';
import { IN_TOTO_PAYLOAD_TYPE, VetError, makeAuditorStatement, signDsse } from '@vet/core';
import { acquireSequencerLock, lockHolder, openDataDir, paths } from './datadir.js';
import { createNotary } from './notary.js';
import type { Receipt } from './log/proofs.js';
import { issueToken, revokeTokens } from './tokens.js';
import { readNotaryKeys } from './keys.js';
import { createHash } from 'node:crypto';

export function serverUrlFile(dataDir: string): string {
  return `${paths(dataDir).lock}.url`;
}

/** Appends an admin-signed envelope through whichever sequencer owns the log. */
export async function appendAdminEntry(dataDir: string, envelope: Uint8Array): Promise<Receipt> {
  if (lockHolder(dataDir) !== undefined) return submitToRunningServer(dataDir, envelope);
  const release = acquireSequencerLock(dataDir);
  const { db, config, keys, paths: p } = openDataDir(dataDir);
  try {
    const notary = createNotary({ db, config, keys, staticDir: p.static });
    try {
      return await notary.submit(envelope, { subject: 'admin', role: 'admin', id: 'operator-cli' });
    } finally {
      await notary.close();
    }
  } finally {
    db.close();
    release();
  }
}

async function submitToRunningServer(dataDir: string, envelope: Uint8Array): Promise<Receipt> {
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
    headers: { authorization: `Bearer ${token}` },
    body: envelope,
  });
  const body = (await res.json()) as Receipt & { error?: { code: string; message: string } };
  if (!res.ok)
    throw new VetError(
      'HTTP_ERROR',
      `notary refused the entry: ${body.error?.code ?? res.status}: ${body.error?.message ?? ''}`,
    );
  return body;
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
  const receipt = await appendAdminEntry(dataDir, signedAuditorEntry(dataDir, 'add', opts.name, opts.publicKey, keyid));
  const token = issueAuditorToken(dataDir, opts.name, {
    ...(opts.tokenExpiresAt !== undefined && { expiresAt: opts.tokenExpiresAt }),
    now: opts.now ?? Date.now(),
  });
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
  return { receipt, tokensRevoked: revokeAuditorTokens(dataDir, opts.name) };
}

export function issueAuditorToken(
  dataDir: string,
  name: string,
  opts: { expiresAt?: number; now: number; label?: string },
): string {
  const { db } = openDataDir(dataDir);
  try {
    return issueToken(db, name, 'auditor', opts);
  } finally {
    db.close();
  }
}

export function revokeAuditorTokens(dataDir: string, name: string): number {
  const { db } = openDataDir(dataDir);
  try {
    return revokeTokens(db, name, Date.now());
  } finally {
    db.close();
  }
}
