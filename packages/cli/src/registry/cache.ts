/**
 * vet's download cache: `--cache-dir` > `$VET_CACHE_DIR` > `$XDG_CACHE_HOME/vet` > `~/.cache/vet`.
 * Content-addressed: archives and extracted trees are keyed by their verified integrity
 * (`<algo>-<hex>`), so a key names exact bytes and never needs invalidating. Every write is
 * temp file/folder + rename, so a crash or refusal never leaves a half-written entry.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { writeFileAtomicSync } from '@vet/core/node';
import { bytesOf, noteGrowth, touch } from './cache-limit.js';
import type { EnvLike } from './npmrc.js';

export interface VetCache {
  root: string;
}

export interface CacheDirOptions {
  /** `--cache-dir` from the CLI; wins over everything. */
  cacheDir?: string;
  env?: EnvLike;
  home?: string;
}

export function resolveCacheDir(options: CacheDirOptions = {}): string {
  const env = options.env ?? process.env;
  if (options.cacheDir) return resolve(options.cacheDir);
  if (env.VET_CACHE_DIR) return resolve(env.VET_CACHE_DIR);
  // XDG Base Directory spec: a relative XDG_CACHE_HOME is invalid and must be ignored.
  const xdg = env.XDG_CACHE_HOME;
  if (xdg && isAbsolute(xdg)) return join(xdg, 'vet');
  return join(options.home ?? homedir(), '.cache', 'vet');
}

export function openCache(options: CacheDirOptions = {}): VetCache {
  return { root: resolveCacheDir(options) };
}

const KEY = /^[a-z0-9]+-[0-9a-f]+$/;

function checkedKey(key: string): string {
  // Keys become path segments; refuse anything that is not `<algo>-<hex>`.
  if (!KEY.test(key)) throw new Error(`invalid cache key ${JSON.stringify(key)}`);
  return key;
}

export function tarballCachePath(cache: VetCache, key: string): string {
  return join(cache.root, 'tarballs', checkedKey(key));
}

export function treeCachePath(cache: VetCache, key: string): string {
  const path = join(cache.root, 'trees', checkedKey(key));
  touch(path); // asked for = used (eviction order)
  return path;
}

/** A unique sibling name for a temp file/folder (same filesystem, so rename is atomic). */
export function tempSibling(path: string): string {
  return `${path}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
}

/** Write a cache file (0600, folders 0700) with the one durable writer. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  // Cache entries are re-fetched when missing: atomic, not fsynced (durable.ts).
  writeFileAtomicSync(path, data, { mode: 0o600, mkdirMode: 0o700, durable: false });
  noteGrowth(dirname(dirname(path)), data.length + 4096);
}

/**
 * Move a finished temp folder into place. If another process got there first the existing
 * folder wins (same key ⇒ same content) and ours is removed.
 */
export function installDirAtomic(tempDir: string, finalDir: string): void {
  mkdirSync(dirname(finalDir), { recursive: true, mode: 0o700 });
  try {
    renameSync(tempDir, finalDir);
    noteGrowth(dirname(dirname(finalDir)), bytesOf(finalDir));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    rmSync(tempDir, { recursive: true, force: true });
    if (code !== 'EEXIST' && code !== 'ENOTEMPTY') throw e;
  }
}

export function readCachedFile(path: string): Buffer | undefined {
  try {
    const bytes = readFileSync(path);
    touch(path);
    return bytes;
  } catch {
    return undefined;
  }
}

/** Small JSON records (diffstats) under `<root>/<kind>/<name>.json`; unreadable = absent. */
export function readCacheJson(cache: VetCache, kind: string, name: string): unknown {
  const buf = readCachedFile(join(cache.root, kind, `${name}.json`));
  if (!buf) return undefined;
  try {
    return JSON.parse(buf.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

export function writeCacheJson(cache: VetCache, kind: string, name: string, value: unknown): void {
  writeFileAtomic(join(cache.root, kind, `${name}.json`), `${JSON.stringify(value)}\n`);
}
