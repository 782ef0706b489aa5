/**
 * Bearer tokens for submitters. A token is 32 random bytes shown once at issue time; only
 * its SHA-256 is stored (spec/notary.md §8), so a copy of the database cannot submit.
 * Tokens are scoped to one auditor (or the admin), can expire and be revoked.
 */
import { hash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { NotaryDb } from './db/open.js';

export type TokenRole = 'auditor' | 'admin';

export interface TokenInfo {
  /** Auditor key id (or "admin") the token acts for: a key id, never a display name. */
  subject: string;
  role: TokenRole;
  /** Hex of the token hash: the rate-limit key, never the token itself. */
  id: string;
}

const TOKEN_PREFIX = 'vetn_';
const TOKEN_RE = /^vetn_[A-Za-z0-9_-]{43}$/;

export function hashToken(token: string): Buffer {
  return hash('sha256', token, 'buffer');
}

/** A fresh token and the hex SHA-256 that is all the database ever holds of it. */
export function newToken(): { token: string; hash: string } {
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  return { token, hash: hashToken(token).toString('hex') };
}

export function issueToken(
  db: NotaryDb,
  subject: string,
  role: TokenRole,
  opts: { label?: string; now: number; expiresAt?: number },
): string {
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  db.prepare('INSERT INTO tokens (hash, subject, role, label, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)').run(
    hashToken(token),
    subject,
    role,
    opts.label ?? '',
    opts.now,
    opts.expiresAt ?? null,
  );
  return token;
}

/** Revokes every token of a subject; returns how many were active. */
export function revokeTokens(db: NotaryDb, subject: string, now: number): number {
  return db.prepare('UPDATE tokens SET revoked_at = ? WHERE subject = ? AND revoked_at IS NULL').run(now, subject)
    .changes;
}

export interface TokenRow {
  hash: Buffer;
  subject: string;
  role: TokenRole;
  expires_at: number | null;
  revoked_at: number | null;
}

/** Where token lookups read (SQLite statements, or PostgreSQL's in-memory copy). */
export interface TokenSource {
  /** Changes whenever any token changes (the `token_epoch` row). */
  epoch(): unknown;
  lookup(hash: Buffer): TokenRow | undefined;
}

export function makeTokenSource(db: NotaryDb): TokenSource {
  const stmt = db.prepare('SELECT hash, subject, role, expires_at, revoked_at FROM tokens WHERE hash = ?');
  const epochStmt = db.prepare('SELECT n FROM token_epoch WHERE id = 1').pluck();
  return { epoch: () => epochStmt.get(), lookup: (h) => stmt.get(h) as TokenRow | undefined };
}

/**
 * Looks a presented token up; undefined for unknown, malformed, expired or revoked tokens.
 * Valid lookups are cached by token: the SQLite lookup plus hash was ~6 % of the event loop
 * at concurrency 64. `token_epoch` (one row that triggers bump on any change to `tokens`) is
 * read once per turn of the event loop — the first check in a turn reads it, the rest of the
 * turn reuses it (the read was still ~3 % of the event loop when done per request) — so a
 * revocation by the CLI, or by anyone writing the database, is in force for every request
 * handled from the next turn on: requests in the turn that saw the old epoch were, in effect,
 * received before the revocation committed. Expiry is checked on every request.
 */
export function makeTokenChecker(source: TokenSource): (token: string, now: number) => TokenInfo | undefined {
  const cache = new Map<string, { info: TokenInfo; expiresAt: number | null }>();
  let cachedEpoch: unknown;
  let epochRead = false;
  return (token, now) => {
    if (!epochRead) {
      const epoch = source.epoch();
      if (epoch !== cachedEpoch) {
        cache.clear();
        cachedEpoch = epoch;
      }
      epochRead = true;
      setImmediate(() => (epochRead = false));
    }
    const hit = cache.get(token);
    if (hit !== undefined) return hit.expiresAt !== null && hit.expiresAt <= now ? undefined : hit.info;
    const row = lookupToken(source, token);
    if (row === undefined || row.revoked_at !== null) return undefined;
    if (row.expires_at !== null && row.expires_at <= now) return undefined;
    const info: TokenInfo = { subject: row.subject, role: row.role, id: row.hash.toString('hex') };
    if (cache.size >= MAX_CACHED_TOKENS) cache.clear(); // bounded: tokens are few, junk is never cached
    cache.set(token, { info, expiresAt: row.expires_at });
    return info;
  };
}

const MAX_CACHED_TOKENS = 10_000;

function lookupToken(source: TokenSource, token: string): TokenRow | undefined {
  if (!TOKEN_RE.test(token)) return undefined;
  const h = hashToken(token);
  const row = source.lookup(h);
  // The lookup is by hash, so timing reveals nothing about stored tokens; the explicit
  // constant-time compare keeps that true if the lookup ever changes.
  return row && timingSafeEqual(row.hash, h) ? row : undefined;
}

/** Extracts the token from an `Authorization: Bearer …` header. */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const m = /^Bearer ([^\s]+)$/i.exec(header.trim());
  return m?.[1];
}
