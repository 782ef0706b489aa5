/**
 * The cache's size limit (issue 12): `<cache>/<kind>/<entry>` entries (a tarball, an extracted
 * tree, a packument, a diffstat, a parsed lockfile, …) are evicted least recently used first
 * once the cache is over its limit. An entry's modification time is its last use: readers touch
 * what they use. Sizes are disk usage (blocks), as `du` counts them.
 *
 * The limit: `--cache-max` > `$VET_CACHE_MAX` > `cache-max` in `$XDG_CONFIG_HOME/vet/config.toml`
 * > 2 GiB. A command that added to a cache trims it once, when the process is about to exit.
 */
import { lstatSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync, type Stats } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { VetError, parseTomlText } from '@vet/core';

export const DEFAULT_CACHE_MAX = 2 * 1024 ** 3;

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1e3, kb: 1e3, kib: 1024, m: 1e6, mb: 1e6, mib: 1024 ** 2 };
Object.assign(UNITS, { g: 1e9, gb: 1e9, gib: 1024 ** 3, t: 1e12, tb: 1e12, tib: 1024 ** 4 });

/** "500MB", "2GiB", "1.5g", "1048576" → bytes; throws INVALID_ARGUMENT otherwise. */
export function parseSize(text: string, what = 'cache size'): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = m && Object.hasOwn(UNITS, m[2]!.toLowerCase()) ? UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined)
    throw new VetError('INVALID_ARGUMENT', `invalid ${what} ${JSON.stringify(text)}`, {
      hint: 'write a number of bytes with an optional unit: 500MB, 2GiB, 1.5G',
    });
  return Math.floor(Number(m[1]) * unit);
}

export function formatSize(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

let flag: string | undefined;

/** `--cache-max` from the command line (validated here, so a bad value fails before any work). */
export function setCacheMaxFlag(value: string | undefined): void {
  if (value !== undefined) parseSize(value, '--cache-max');
  flag = value;
}

/** The limit in force and where it came from. */
export function cacheLimit(env: NodeJS.ProcessEnv = process.env): { bytes: number; from: string } {
  if (flag !== undefined) return { bytes: parseSize(flag, '--cache-max'), from: '--cache-max' };
  const fromEnv = env['VET_CACHE_MAX'];
  if (fromEnv) return { bytes: parseSize(fromEnv, 'VET_CACHE_MAX'), from: 'VET_CACHE_MAX' };
  const file = join(env['XDG_CONFIG_HOME'] || join(env['HOME'] ?? homedir(), '.config'), 'vet', 'config.toml');
  const configured = configuredMax(file);
  if (configured !== undefined) return { bytes: parseSize(configured, `cache-max in ${file}`), from: file };
  return { bytes: DEFAULT_CACHE_MAX, from: 'default' };
}

function configuredMax(file: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  // core's one TOML parser (smol-toml): file and line on a syntax error, no prototype writes.
  const v = parseTomlText(text, file)['cache-max'];
  return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
}

export interface CacheEntry {
  kind: string;
  path: string;
  bytes: number;
  /** Last use (modification time), ms since the epoch. */
  used: number;
}

function diskBytes(s: Stats): number {
  return s.blocks > 0 ? s.blocks * 512 : s.size;
}

function treeBytes(path: string): number {
  let total = 0;
  for (const e of readdirSync(path, { withFileTypes: true })) {
    const p = join(path, e.name);
    const s = lstatSync(p);
    total += diskBytes(s) + (e.isDirectory() ? treeBytes(p) : 0);
  }
  return total;
}

/** Every entry of the cache at `root` (nothing when it does not exist). */
export function cacheEntries(root: string): CacheEntry[] {
  const out: CacheEntry[] = [];
  for (const kind of safeList(root)) {
    const dir = join(root, kind);
    if (!isDir(dir)) continue;
    for (const name of safeList(dir)) {
      const path = join(dir, name);
      try {
        const s = lstatSync(path);
        const bytes = diskBytes(s) + (s.isDirectory() ? treeBytes(path) : 0);
        out.push({ kind, path, bytes, used: s.mtimeMs });
      } catch {
        // Removed while we looked (another vet evicting): nothing to count.
      }
    }
  }
  return out;
}

function isDir(path: string): boolean {
  try {
    return lstatSync(path).isDirectory();
  } catch {
    return false;
  }
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** Removes least recently used entries until the cache is at most `max` bytes. */
export function evict(root: string, max: number): { removed: CacheEntry[]; bytes: number } {
  const entries = cacheEntries(root).sort((a, b) => a.used - b.used || (a.path < b.path ? -1 : 1));
  let total = entries.reduce((n, e) => n + e.bytes, 0);
  const removed: CacheEntry[] = [];
  for (const e of entries) {
    if (total <= max) break;
    rmSync(e.path, { recursive: true, force: true });
    total -= e.bytes;
    removed.push(e);
  }
  return { removed, bytes: total };
}

/** Removes every entry (empty marks too, which a size limit never needs to evict). */
export function clearCache(root: string): CacheEntry[] {
  const entries = cacheEntries(root);
  for (const e of entries) rmSync(e.path, { recursive: true, force: true });
  return entries;
}

/** Marks an entry used now (its place in the eviction order). */
export function touch(path: string): void {
  const now = new Date();
  try {
    utimesSync(path, now, now);
  } catch {
    // Gone or read-only: it only ages.
  }
}

/** Bytes added per cache root during this process. */
const grown = new Map<string, number>();
const USAGE = '.usage';

/**
 * A write added `bytes` to the cache at `root`. Before the process exits, the running total in
 * `<root>/.usage` grows by what was added, and only when it passes the limit is the cache
 * measured for real and trimmed (so a command on a big cache does not walk it every time).
 */
export function noteGrowth(root: string, bytes: number): void {
  if (grown.size === 0) process.once('beforeExit', trimGrown);
  grown.set(root, (grown.get(root) ?? 0) + bytes);
}

/** Disk usage of a tree just written (for `noteGrowth`). */
export function bytesOf(path: string): number {
  try {
    const s = lstatSync(path);
    return diskBytes(s) + (s.isDirectory() ? treeBytes(path) : 0);
  } catch {
    return 0;
  }
}

function readUsage(root: string): number | undefined {
  try {
    const n = Number(readFileSync(join(root, USAGE), 'utf8'));
    return Number.isFinite(n) && n >= 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

function writeUsage(root: string, bytes: number): void {
  try {
    writeFileSync(join(root, USAGE), `${Math.round(bytes)}\n`);
  } catch {
    // Then the next command measures for real.
  }
}

/** Trim one root if its (estimated) usage is over `max`; returns the usage after. */
export function trim(root: string, added: number, max: number): number {
  const estimate = readUsage(root);
  if (estimate !== undefined && estimate + added <= max) {
    writeUsage(root, estimate + added);
    return estimate + added;
  }
  const after = evict(root, max).bytes;
  writeUsage(root, after);
  return after;
}

/**
 * Trims the caches this process added to, now: `vet`'s entry point calls it before it exits
 * explicitly (process.exit skips 'beforeExit', which covers in-process callers).
 */
export function trimGrown(): void {
  if (grown.size === 0) return;
  try {
    const { bytes } = cacheLimit();
    for (const [root, added] of grown) trim(root, added, bytes);
  } catch {
    // A limit we cannot read or a cache we cannot trim must not change a command's outcome.
  }
  grown.clear();
}
