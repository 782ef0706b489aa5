/**
 * Lockfile hashes as Integrity records (spec lockfiles.md §1 "Hash", §4, §15.2).
 * SRI strings cover the registry tarball; a Berry `checksum` covers Yarn's zip repack and must
 * never be compared with a tarball hash, so it gets `covers: 'yarn-zip'`.
 */
import type { Integrity } from '../../graph.js';

const ALGO = /^(sha1|sha256|sha384|sha512)$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** `sha512-<b64> sha1-<b64>?opts` → one record per well-formed hash; malformed tokens are skipped. */
export function parseSri(value: unknown): Integrity[] {
  if (typeof value !== 'string') return [];
  const out: Integrity[] = [];
  const text = value.trim();
  // Usually one token: no regex split for it.
  for (const token of /\s/.test(text) ? text.split(/\s+/) : [text]) {
    const dash = token.indexOf('-');
    if (dash <= 0) continue;
    const algo = token.slice(0, dash).toLowerCase();
    const query = token.indexOf('?', dash + 1);
    const digest = query < 0 ? token.slice(dash + 1) : token.slice(dash + 1, query);
    if (!ALGO.test(algo) || !BASE64.test(digest)) continue;
    out.push({ algo, digest, encoding: 'base64', covers: 'npm-tarball' });
  }
  return out;
}

/** Yarn classic appends `#<sha1 hex>` of the tarball to `resolved`. */
export function sha1FromResolvedFragment(resolved: string | undefined): Integrity | undefined {
  const hash = resolved?.split('#')[1];
  if (hash === undefined || !/^[0-9a-f]{40}$/i.test(hash)) return undefined;
  return { algo: 'sha1', digest: hash.toLowerCase(), encoding: 'hex', covers: 'npm-tarball' };
}

/** Berry `checksum`: `<cacheKey>/<sha512 hex>` (or bare hex with `__metadata.version` ≤ 6). */
export function parseBerryChecksum(value: unknown): Integrity[] {
  if (typeof value !== 'string') return [];
  const hex = value.slice(value.lastIndexOf('/') + 1);
  if (!/^[0-9a-f]{128}$/i.test(hex)) return [];
  return [{ algo: 'sha512', digest: hex.toLowerCase(), encoding: 'hex', covers: 'yarn-zip' }];
}
