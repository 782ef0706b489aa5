/**
 * Subresource-Integrity strings (npm `integrity`, `dist.integrity`) and checks over exact bytes.
 * Compare base64 digests; use the strongest algorithm both sides have (lockfiles.md §1, §17).
 * Verification happens before bytes are cached or extracted (STYLE §9).
 */
import { createHash } from 'node:crypto';
import { VetError, type Integrity } from '@vet/core';

/** One expected digest, base64, for a hash algorithm node:crypto knows. */
export interface SriHash {
  algo: 'sha512' | 'sha384' | 'sha256' | 'sha1';
  /** base64 digest. */
  digest: string;
}

const STRENGTH: Record<SriHash['algo'], number> = { sha1: 1, sha256: 2, sha384: 3, sha512: 4 };

function isAlgo(a: string): a is SriHash['algo'] {
  return Object.hasOwn(STRENGTH, a);
}

/** Parse an SRI string ("sha512-… sha1-…"); unknown algorithms and `?options` are dropped. */
export function parseSri(text: string): SriHash[] {
  const out: SriHash[] = [];
  for (const token of text.trim().split(/\s+/)) {
    const dash = token.indexOf('-');
    if (dash <= 0) continue;
    const algo = token.slice(0, dash).toLowerCase();
    const digest = token.slice(dash + 1).split('?')[0] ?? '';
    if (isAlgo(algo) && /^[A-Za-z0-9+/]+={0,2}$/.test(digest)) out.push({ algo, digest });
  }
  return out;
}

/** Lockfile Integrity records (core graph) covering the npm tarball → SRI hashes. */
export function sriFromIntegrity(list: readonly Integrity[]): SriHash[] {
  const out: SriHash[] = [];
  for (const i of list) {
    const algo = i.algo.toLowerCase();
    if (i.covers !== 'npm-tarball' || !isAlgo(algo)) continue;
    const digest = i.encoding === 'hex' ? Buffer.from(i.digest, 'hex').toString('base64') : i.digest;
    out.push({ algo, digest });
  }
  return out;
}

/** `dist.shasum` (sha1 hex) as an SRI hash. */
export function sriFromShasum(hex: string): SriHash | undefined {
  return /^[0-9a-f]{40}$/i.test(hex) ? { algo: 'sha1', digest: Buffer.from(hex, 'hex').toString('base64') } : undefined;
}

export function strongest(hashes: readonly SriHash[]): SriHash | undefined {
  let best: SriHash | undefined;
  for (const h of hashes) if (!best || STRENGTH[h.algo] > STRENGTH[best.algo]) best = h;
  return best;
}

export function formatSri(h: SriHash): string {
  return `${h.algo}-${h.digest}`;
}

/** Is sha1 the best we have? Such packages are "weakly" verified (lockfiles.md §15 item 7). */
export function isWeak(hashes: readonly SriHash[]): boolean {
  const best = strongest(hashes);
  return best === undefined || best.algo === 'sha1';
}

export function digestOf(bytes: Uint8Array, algo: SriHash['algo']): string {
  return createHash(algo).update(bytes).digest('base64');
}

/**
 * Check `bytes` against every expected hash (each algorithm computed once), so a lockfile sha1
 * plus a registry sha512 are both enforced. Throws INTEGRITY_MISMATCH naming both digests;
 * returns the strongest hash, which names the verified bytes from then on.
 */
export function verifyIntegrity(bytes: Uint8Array, expected: readonly SriHash[], subject: string): SriHash {
  const best = strongest(expected);
  if (!best) throw new VetError('INTERNAL', `no usable integrity for ${subject}`);
  const computed = new Map<SriHash['algo'], string>();
  for (const h of [best, ...expected]) {
    const actual = computed.get(h.algo) ?? digestOf(bytes, h.algo);
    computed.set(h.algo, actual);
    if (h.digest !== actual) {
      throw new VetError(
        'INTEGRITY_MISMATCH',
        `integrity mismatch for ${subject}: expected ${formatSri(h)}, got ${h.algo}-${actual}`,
        {
          hint: 'the downloaded tarball is not the one the lockfile (or registry) recorded; it was not used. Check the registry configuration and the lockfile',
          details: { expected: formatSri(h), actual: `${h.algo}-${actual}` },
        },
      );
    }
  }
  return best;
}

/** Filesystem-safe cache key for a hash: `<algo>-<hex>` (base64 has `/`). */
export function integrityKey(h: SriHash): string {
  return `${h.algo}-${Buffer.from(h.digest, 'base64').toString('hex')}`;
}
