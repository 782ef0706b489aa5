/**
 * `inspectPypi`: fetch one release's source from the configured index, verify it against the
 * lockfile, and extract it safely into vet's content-addressed cache (trees/sha256-<hex>).
 * The sdist is preferred (what the author wrote), then a pure-Python wheel, then any wheel.
 * Bytes are verified in memory before they are written anywhere.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { VetError, type Integrity } from '@vet/core';
import { extractTarball, type ArchiveLimits, type SkippedEntry } from '../archive/index.js';
import { openCache, treeCachePath } from '../registry/cache.js';
import { createPypiClient, type PypiClient, type PypiClientOptions } from './client.js';
import type { PypiFile } from './simple-api.js';
import { lockHashesFor, verifyPypiBytes, type Verified } from './verify.js';
import { extractZip } from './zip.js';

export interface InspectPypiOptions extends PypiClientOptions {
  /** A client to reuse (else one is made from the options and closed afterwards). */
  client?: PypiClient;
  /** The lockfile's hashes for this package (PackageNode.integrity). */
  integrity?: readonly Integrity[];
  /** vet cache root (default: --cache-dir / $VET_CACHE_DIR / XDG cache). */
  cacheDir?: string;
  limits?: Partial<ArchiveLimits>;
  prefer?: 'sdist' | 'wheel';
}

export interface InspectPypiResult {
  name: string;
  version: string;
  /** The extracted tree. */
  dir: string;
  file: string;
  verified: Verified;
  /** PEP 592 yank reason, or false. */
  yanked: false | string;
  skipped: SkippedEntry[];
  /** True when the tree was already in the cache. */
  cached: boolean;
}

type ArchiveKind = 'tar' | 'zip-sdist' | 'wheel';

export function archiveKind(filename: string): ArchiveKind | undefined {
  if (/\.(tar\.gz|tgz)$/i.test(filename)) return 'tar';
  if (/\.whl$/i.test(filename)) return 'wheel';
  if (/\.zip$/i.test(filename)) return 'zip-sdist';
  return undefined; // .tar.bz2, .egg, .exe: not supported (lockfiles.md §14)
}

function rank(f: PypiFile, prefer: 'sdist' | 'wheel'): number {
  const kind = archiveKind(f.filename);
  const pure = /-(py2\.)?py3-none-any\.whl$/i.test(f.filename);
  const order =
    prefer === 'sdist'
      ? { tar: 0, 'zip-sdist': 1, wheel: pure ? 2 : 3 }
      : { tar: 2, 'zip-sdist': 3, wheel: pure ? 0 : 1 };
  return kind === undefined ? 99 : order[kind];
}

/** The file to inspect: one the lockfile names when it names files, best-ranked first. */
export function choosePypiFile(
  files: readonly PypiFile[],
  integrity: readonly Integrity[],
  prefer: 'sdist' | 'wheel' = 'sdist',
): PypiFile | undefined {
  const named = new Set(integrity.map((i) => i.file).filter((f): f is string => f !== undefined));
  const usable = files.filter((f) => archiveKind(f.filename) !== undefined);
  const locked = named.size > 0 ? usable.filter((f) => named.has(f.filename)) : usable;
  return [...locked].sort((a, b) => rank(a, prefer) - rank(b, prefer) || (a.filename < b.filename ? -1 : 1))[0];
}

/** Cache key known before download, if it is one the lockfile would accept. */
function cacheKeyBefore(file: PypiFile, integrity: readonly Integrity[]): string | undefined {
  const lock = lockHashesFor(file.filename, integrity).filter((i) => i.algo === 'sha256');
  const sha = file.hashes.sha256 ?? lock[0]?.digest;
  if (!sha) return undefined;
  const anyLock = lockHashesFor(file.filename, integrity).length > 0;
  return !anyLock || lock.some((i) => i.digest === sha) ? sha : undefined;
}

export async function inspectPypi(
  name: string,
  version: string,
  opts: InspectPypiOptions = {},
): Promise<InspectPypiResult> {
  const client = opts.client ?? (await createPypiClient(opts));
  try {
    const files = await client.release(name, version);
    const integrity = opts.integrity ?? [];
    const file = choosePypiFile(files, integrity, opts.prefer);
    if (!file) {
      throw new VetError(
        'NOT_FOUND',
        `${name} ${version}: no sdist or wheel on the index that vet can unpack${integrity.some((i) => i.file) ? ' among the files the lockfile names' : ''}`,
        {
          hint: 'vet reads .tar.gz / .zip sdists and .whl wheels',
        },
      );
    }
    const cache = openCache({
      ...(opts.cacheDir ? { cacheDir: opts.cacheDir } : {}),
      ...(opts.env ? { env: opts.env } : {}),
    });
    const yanked = files.every((f) => f.yanked !== false) ? (file.yanked === false ? '' : file.yanked) : false;
    const known = cacheKeyBefore(file, integrity);
    if (known && existsSync(treeCachePath(cache, `sha256-${known}`))) {
      const against = lockHashesFor(file.filename, integrity).length > 0 ? 'lockfile' : 'index';
      return {
        name,
        version,
        dir: treeCachePath(cache, `sha256-${known}`),
        file: file.filename,
        verified: { algo: 'sha256', digest: known, against },
        yanked,
        skipped: [],
        cached: true,
      };
    }
    const bytes = await client.download(file);
    const verified = verifyPypiBytes(bytes, file, integrity);
    const dest = treeCachePath(cache, `sha256-${createHash('sha256').update(bytes).digest('hex')}`);
    if (existsSync(dest))
      return { name, version, dir: dest, file: file.filename, verified, yanked, skipped: [], cached: true };
    const kind = archiveKind(file.filename);
    const res =
      kind === 'tar'
        ? await extractTarball(bytes, dest, { source: file.filename, ...(opts.limits ? { limits: opts.limits } : {}) })
        : await extractZip(bytes, dest, {
            source: file.filename,
            stripTopFolder: kind === 'zip-sdist',
            ...(opts.limits ? { limits: opts.limits } : {}),
          });
    return { name, version, dir: res.dir, file: file.filename, verified, yanked, skipped: res.skipped, cached: false };
  } finally {
    if (!opts.client) await client.close();
  }
}
