/**
 * A crate release as an auditor sees it: downloaded from the configured registry, its sha256
 * checked against Cargo.lock's checksum (and the index's `cksum`) before a byte is unpacked,
 * then extracted safely (the npm tarball rules: no traversal, no links out, no devices, size
 * caps) into the content-addressed cache (trees/sha256-<hex>).
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { VetError, type Integrity } from '@vet/core';
import { extractTarball, type ArchiveLimits } from '../archive/index.js';
import { treeCachePath, type VetCache } from '../registry/cache.js';
import type { CratesClient } from './client.js';

export interface CrateTree {
  dir: string;
  /** `sha256-<hex>` of the .crate. */
  key: string;
  cached: boolean;
}

/** The sha256 Cargo.lock records for the crate, if any. */
function lockedChecksum(integrity: readonly Integrity[] | undefined): string | undefined {
  return integrity?.find((i) => i.algo === 'sha256' && i.encoding === 'hex')?.digest;
}

function mismatch(subject: string, expected: string, actual: string, where: string): VetError {
  return new VetError(
    'INTEGRITY_MISMATCH',
    `${subject}: the downloaded .crate has sha256 ${actual}, but ${where} says ${expected}; refusing to use it`,
    {
      hint: 'the registry or something between it and you served different bytes; do not audit or trust them',
      details: { expected, actual },
    },
  );
}

export async function fetchCrateTree(
  name: string,
  version: string,
  opts: { client: CratesClient; cache: VetCache; integrity?: readonly Integrity[]; limits?: Partial<ArchiveLimits> },
): Promise<CrateTree> {
  const locked = lockedChecksum(opts.integrity);
  if (locked) {
    const dir = treeCachePath(opts.cache, `sha256-${locked}`);
    if (existsSync(dir)) return { dir, key: `sha256-${locked}`, cached: true };
  }
  const subject = `${name} ${version}`;
  const release = await opts.client.release(name, version, locked);
  if (locked && release.cksum !== locked) {
    throw new VetError(
      'INTEGRITY_MISMATCH',
      `${subject}: the registry index lists sha256 ${release.cksum}, but Cargo.lock says ${locked}`,
      {
        hint: 'the lockfile and the registry disagree about this release; find out why before auditing it',
        details: { expected: locked, actual: release.cksum },
      },
    );
  }
  const bytes = await opts.client.download(release);
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (actual !== release.cksum)
    throw mismatch(subject, release.cksum, actual, locked ? 'Cargo.lock' : 'the registry index');
  const key = `sha256-${actual}`;
  const dir = treeCachePath(opts.cache, key);
  if (existsSync(dir)) return { dir, key, cached: true };
  await extractTarball(bytes, dir, { source: `${subject} .crate`, limits: opts.limits });
  return { dir, key, cached: false };
}
