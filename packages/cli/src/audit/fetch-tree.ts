/**
 * `vet inspect` / `vet diff` sources: the verified, extracted tree of name@version in the cache
 * (`<cache>/trees/<sha512-hex>`). With a strong lockfile integrity a cached tree is used without
 * touching the network; otherwise the tarball is fetched, verified, then extracted safely.
 */
import { existsSync } from 'node:fs';
import type { Integrity } from '@vet/core';
import { extractTarball, type ArchiveLimits, type SkippedEntry } from '../archive/index.js';
import { readCacheJson, treeCachePath, writeCacheJson } from '../registry/cache.js';
import { integrityKey, isWeak, strongest } from '../registry/integrity.js';
import { lockfileHashes, type NpmRegistry } from '../registry/npm-registry.js';
import { isVetError } from '@vet/core';

export interface PackageTree {
  name: string;
  version: string;
  dir: string;
  /** Content key (verified integrity) of the tarball the tree came from. */
  key: string;
  /** Archive entries deliberately not extracted (links, unknown types). */
  skipped: SkippedEntry[];
}

export interface FetchTreeOptions {
  /** Lockfile `resolved` URL, when known. */
  resolved?: string;
  limits?: Partial<ArchiveLimits>;
}

const META = 'trees-meta';

function cachedTree(registry: NpmRegistry, name: string, version: string, key: string): PackageTree | undefined {
  const dir = treeCachePath(registry.cache, key);
  if (!existsSync(dir)) return undefined;
  const meta = readCacheJson(registry.cache, META, key) as { skipped?: SkippedEntry[] } | undefined;
  return { name, version, dir, key, skipped: Array.isArray(meta?.skipped) ? meta.skipped : [] };
}

export async function fetchPackageTree(
  name: string,
  version: string,
  integrity: string | readonly Integrity[] | undefined,
  registry: NpmRegistry,
  options: FetchTreeOptions = {},
): Promise<PackageTree> {
  const locked = lockfileHashes(integrity);
  const best = strongest(locked);
  if (best && !isWeak(locked)) {
    const hit = cachedTree(registry, name, version, integrityKey(best));
    if (hit) return hit;
  }
  const tar = await registry.tarball({ name, version, integrity, resolved: options.resolved });
  const existing = cachedTree(registry, name, version, tar.key);
  if (existing) return existing;
  const dir = treeCachePath(registry.cache, tar.key);
  try {
    const res = await extractTarball(tar.bytes, dir, { source: `${name}@${version} tarball`, limits: options.limits });
    // Most trees skip nothing; writing no record then saves a file per package (absent = none).
    if (res.skipped.length > 0) writeCacheJson(registry.cache, META, tar.key, { skipped: res.skipped });
    return { name, version, dir, key: tar.key, skipped: res.skipped };
  } catch (e) {
    // Another vet process extracted the same bytes first: same key, same content.
    const raced =
      isVetError(e) && e.code === 'INVALID_ARGUMENT' ? cachedTree(registry, name, version, tar.key) : undefined;
    if (raced) return raced;
    throw e;
  }
}
