/**
 * Safe extraction of npm `.tgz` (and other tar.gz) archives with tar@7's streaming Parser
 * (lockfiles.md §14). We parse, judge and write every entry ourselves instead of using
 * `tar.x`, because `tar.x` strips the top folder *before* its checks and would promote
 * `package/../x` or `../x` into the tree.
 *
 * Decisions:
 * - Names: absolute, drive-letter, backslash, NUL or `..` anywhere ⇒ refuse the whole archive.
 * - Links are never created. A symlink or hard link whose target leaves the root ⇒ refuse;
 *   one that stays inside is skipped and reported (npm publish never produces links, and not
 *   materialising them means no write can ever follow one).
 * - Character/block devices and FIFOs ⇒ refuse. Unknown entry types are skipped and reported
 *   (node-tar, which npm installs with, ignores them too).
 * - Caps on entry count, per-file size, total unpacked size and gzip ratio (bombs) ⇒ refuse.
 * - Everything lands in a fresh temp folder next to the destination and is renamed into place
 *   only on success; on refusal the temp folder is deleted, so nothing is left.
 */
import { closeSync, mkdirSync, mkdtempSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Parser, type ReadEntry } from 'tar';
import { VetError } from '@vet/core';
import { safeArchivePath, symlinkTargetInside } from './safe-path.js';

export interface ArchiveLimits {
  maxEntries: number;
  maxFileBytes: number;
  maxTotalBytes: number;
  maxDepth: number;
  /** Largest allowed unpacked/packed ratio (gzip bomb guard). */
  maxDecompressionRatio: number;
}

export const DEFAULT_ARCHIVE_LIMITS: Readonly<ArchiveLimits> = {
  maxEntries: 50_000,
  maxFileBytes: 256 * 1024 * 1024,
  maxTotalBytes: 512 * 1024 * 1024,
  maxDepth: 64,
  maxDecompressionRatio: 1000,
};

export interface SkippedEntry {
  path: string;
  reason: string;
}

export interface ExtractResult {
  dir: string;
  files: number;
  bytes: number;
  /** Entries deliberately not extracted (links inside the root, unknown types). */
  skipped: SkippedEntry[];
}

const FEED_CHUNK = 16 * 1024;

function unsafe(source: string, message: string, entry?: string): VetError {
  return new VetError(
    'UNSAFE_ARCHIVE',
    `${source}: ${message}${entry === undefined ? '' : ` (entry ${JSON.stringify(entry)})`}`,
    {
      file: source,
      hint: 'the archive was refused and nothing was extracted; report the package to its registry if this is unexpected',
      details: entry === undefined ? {} : { entry },
    },
  );
}

/** Extraction state shared by the entry handlers of one archive. */
interface Unpack {
  root: string;
  source: string;
  limits: ArchiveLimits;
  entries: number;
  bytes: number;
  files: number;
  skipped: SkippedEntry[];
  failure: VetError | undefined;
  /** Descriptors of file entries being written. */
  open: Set<number>;
}

function fail(u: Unpack, message: string, entry?: string): void {
  u.failure ??= unsafe(u.source, message, entry);
}

function onEntry(u: Unpack, entry: ReadEntry): void {
  entry.on('error', () => undefined);
  const fileTarget = u.failure ? undefined : judge(u, entry);
  if (fileTarget === undefined) entry.resume();
  else readFile(u, entry, fileTarget);
}

/**
 * Decide what to do with one entry: returns the stripped path when it is a file to read;
 * otherwise records a refusal (fail) or a skip, or creates a folder, and returns undefined.
 */
function judge(u: Unpack, entry: ReadEntry): string | undefined {
  if (++u.entries > u.limits.maxEntries) return void fail(u, `more than ${u.limits.maxEntries} entries`);
  const safe = safeArchivePath(entry.path, u.limits.maxDepth);
  if (!safe.ok) return void fail(u, safe.reason, entry.path);
  const rel = safe.path;
  switch (entry.type) {
    case 'File':
    case 'OldFile':
    case 'ContiguousFile':
      if (rel === '') return void fail(u, 'file entry at the archive root', entry.path);
      return checkFileSize(u, entry) ? rel : undefined;
    case 'Directory':
    case 'GNUDumpDir':
      if (rel !== '') mkdirIn(u, rel, entry.path);
      return undefined;
    case 'SymbolicLink':
      if (symlinkTargetInside(rel, entry.linkpath ?? '') === undefined) {
        return void fail(
          u,
          `symbolic link pointing outside the package to ${JSON.stringify(entry.linkpath)}`,
          entry.path,
        );
      }
      return void u.skipped.push({ path: rel, reason: `symbolic link to ${entry.linkpath ?? ''} (not extracted)` });
    case 'Link': {
      const target = safeArchivePath(entry.linkpath ?? '', u.limits.maxDepth);
      if (!target.ok)
        return void fail(u, `hard link pointing outside the package to ${JSON.stringify(entry.linkpath)}`, entry.path);
      return void u.skipped.push({ path: rel, reason: `hard link to ${target.path} (not extracted)` });
    }
    case 'CharacterDevice':
    case 'BlockDevice':
    case 'FIFO':
      return void fail(u, `${entry.type} entries are not allowed`, entry.path);
    default:
      return void u.skipped.push({ path: rel, reason: `unsupported entry type ${entry.type} (not extracted)` });
  }
}

/** The declared size is checked before any byte is read (it is also counted while reading). */
function checkFileSize(u: Unpack, entry: ReadEntry): boolean {
  const { limits } = u;
  if (entry.size > limits.maxFileBytes) fail(u, `file larger than ${limits.maxFileBytes} bytes`, entry.path);
  else if (u.bytes + entry.size > limits.maxTotalBytes)
    fail(u, `unpacked size exceeds ${limits.maxTotalBytes} bytes`, entry.path);
  return !u.failure;
}

function mkdirIn(u: Unpack, rel: string, raw: string): void {
  try {
    mkdirSync(join(u.root, rel), { recursive: true, mode: 0o755 });
  } catch {
    fail(u, 'a folder entry collides with a file entry', raw);
  }
}

/**
 * Streams one file entry to disk as its chunks arrive: a 100 MB native binary costs a 16 KB
 * chunk of memory, not its size twice over. The descriptor is tracked in `u.open` so that an
 * archive refused mid-entry still closes it.
 */
function readFile(u: Unpack, entry: ReadEntry, rel: string): void {
  const { limits } = u;
  const target = join(u.root, rel);
  let fd: number;
  try {
    mkdirSync(dirname(target), { recursive: true, mode: 0o755 });
    // Only the executable bit is kept; owners, setuid and odd modes from the archive are not.
    fd = openSync(target, 'w', (entry.mode ?? 0) & 0o111 ? 0o755 : 0o644);
  } catch (e) {
    fail(u, `could not write entry: ${(e as Error).message}`, entry.path);
    entry.resume();
    return;
  }
  u.open.add(fd);
  entry.on('data', (c: Buffer) => {
    u.bytes += c.length;
    if (u.bytes > limits.maxTotalBytes) fail(u, `unpacked size exceeds ${limits.maxTotalBytes} bytes`, entry.path);
    if (u.failure) return;
    try {
      writeSync(fd, c);
    } catch (e) {
      fail(u, `could not write entry: ${(e as Error).message}`, entry.path);
    }
  });
  entry.on('end', () => {
    u.open.delete(fd);
    closeSync(fd);
    if (!u.failure) u.files++;
  });
}

/** Parse `bytes` into `root` (which must be a fresh empty folder). Throws VetError on refusal. */
async function unpackInto(bytes: Uint8Array, root: string, source: string, limits: ArchiveLimits): Promise<Unpack> {
  const u: Unpack = {
    root,
    source,
    limits,
    entries: 0,
    bytes: 0,
    files: 0,
    skipped: [],
    failure: undefined,
    open: new Set(),
  };
  const parser = new Parser({ strict: true, maxDecompressionRatio: limits.maxDecompressionRatio });
  const done = new Promise<void>((resolve, reject) => {
    parser.on('entry', (e: ReadEntry) => onEntry(u, e));
    parser.on('ignoredEntry', (e: ReadEntry) =>
      u.skipped.push({ path: e.path, reason: `unsupported entry type ${e.type} (not extracted)` }),
    );
    parser.on('error', (e: Error) => reject(e));
    parser.on('abort', (e: Error) => reject(e));
    parser.on('end', () => resolve());
  });
  done.catch(() => undefined);
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    for (let off = 0; off < buf.length && !u.failure; off += FEED_CHUNK)
      parser.write(buf.subarray(off, off + FEED_CHUNK));
    if (!u.failure) {
      parser.end();
      await done;
    }
  } catch (cause) {
    u.failure ??= malformed(source, cause);
  }
  for (const fd of u.open) closeSync(fd); // entries cut short by a refusal
  u.open.clear();
  if (u.failure) throw u.failure;
  return u;
}

function malformed(source: string, cause: unknown): VetError {
  const msg = cause instanceof Error ? cause.message : String(cause);
  if (/decompression ratio/.test(msg)) return unsafe(source, `refused: ${msg} (decompression bomb?)`);
  return new VetError('UNSAFE_ARCHIVE', `${source}: not a valid tar.gz archive: ${msg}`, { file: source, cause });
}

/**
 * Safely extract a tar(.gz) archive into `destDir`, stripping the first path segment.
 * `destDir` must not exist yet; it appears only when the whole archive was accepted.
 */
export async function extractTarball(
  bytes: Uint8Array,
  destDir: string,
  options: { source: string; limits?: Partial<ArchiveLimits> },
): Promise<ExtractResult> {
  const limits = { ...DEFAULT_ARCHIVE_LIMITS, ...options.limits };
  mkdirSync(dirname(destDir), { recursive: true, mode: 0o700 });
  const temp = mkdtempSync(join(dirname(destDir), `.${basename(destDir)}.extract-`));
  try {
    const u = await unpackInto(bytes, temp, options.source, limits);
    renameIntoPlace(temp, destDir);
    return { dir: destDir, files: u.files, bytes: u.bytes, skipped: u.skipped };
  } catch (e) {
    rmSync(temp, { recursive: true, force: true });
    throw e;
  }
}

function renameIntoPlace(temp: string, destDir: string): void {
  try {
    // rename onto an existing non-empty folder fails (ENOTEMPTY/EEXIST): we never merge trees.
    renameSync(temp, destDir);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const exists = code === 'ENOTEMPTY' || code === 'EEXIST';
    throw new VetError(
      exists ? 'INVALID_ARGUMENT' : 'INTERNAL',
      `could not move the extracted archive into ${destDir}${exists ? ': it already exists' : ''}`,
      { cause },
    );
  }
}
