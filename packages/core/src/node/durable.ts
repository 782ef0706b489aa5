/**
 * The one durable writer (STYLE §5; sunlight's internal/durable): every file vet replaces —
 * the store, the download cache, the notary mirror, the notary's static tiles, --output-file
 * — goes through here. A write puts the bytes in a temp file in the same directory, fsyncs
 * it, renames it over the target, then fsyncs the directory so the rename itself survives a
 * power cut. A reader (or a kill at any instant) sees the old bytes or the new, never a mix;
 * a failed write removes its temp file and fails with WRITE_FAILED naming the target.
 * Async and sync forms share the steps. The lower-level steps (stageFile, syncDir) are for
 * the store's multi-file transaction (store-dir.ts).
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { link, mkdir, open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { VetError } from '../errors.js';

export interface DurableWriteOptions {
  /** Mode of the new file, before the umask (default 0o666, as for fs.writeFile). */
  mode?: number;
  /** Create missing parent directories with this mode; by default the directory must exist. */
  mkdirMode?: number;
  /** Never replace an existing file (link instead of rename): fails WRITE_FAILED, errno EEXIST. */
  noReplace?: boolean;
  /**
   * false: still atomic (temp + rename, so a reader or a kill sees old or new bytes), but not
   * fsynced — for caches whose entries can be fetched again, where an fsync per entry costs
   * more than the entry (15–20 ms each on a loaded VM). Default true.
   */
  durable?: boolean;
}

/** Replace `file` with `data`, durably and atomically. */
export async function writeFileAtomic(
  file: string,
  data: string | Uint8Array,
  opts: DurableWriteOptions = {},
): Promise<void> {
  const dir = path.dirname(file);
  try {
    if (opts.mkdirMode !== undefined) await mkdir(dir, { recursive: true, mode: opts.mkdirMode });
    const durable = opts.durable !== false;
    await place(await stageFile(file, data, opts.mode, durable), file, opts.noReplace === true);
    if (durable) await syncDir(dir);
  } catch (e) {
    throw writeFailed(file, e);
  }
}

/** The synchronous form of writeFileAtomic, for callers that cannot await. */
export function writeFileAtomicSync(file: string, data: string | Uint8Array, opts: DurableWriteOptions = {}): void {
  const dir = path.dirname(file);
  try {
    if (opts.mkdirMode !== undefined) mkdirSync(dir, { recursive: true, mode: opts.mkdirMode });
    const durable = opts.durable !== false;
    placeSync(stageFileSync(file, data, opts.mode, durable), file, opts.noReplace === true);
    if (durable) syncDirSync(dir);
  } catch (e) {
    throw writeFailed(file, e);
  }
}

/** Move the staged temp file to `file` (a link when it must not replace one); no temp file remains. */
async function place(tmp: string, file: string, noReplace: boolean): Promise<void> {
  try {
    if (noReplace) await link(tmp, file);
    else await rename(tmp, file);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
  if (noReplace) await unlink(tmp).catch(() => undefined);
}

function placeSync(tmp: string, file: string, noReplace: boolean): void {
  try {
    if (noReplace) linkSync(tmp, file);
    else renameSync(tmp, file);
  } catch (e) {
    unlinkQuietSync(tmp);
    throw e;
  }
  if (noReplace) unlinkQuietSync(tmp);
}

/** A fresh temp name beside `file`: `.<name>.<pid>.<random>.tmp`. */
export function tempPathFor(file: string): string {
  const name = `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  return path.join(path.dirname(file), name);
}

/**
 * Write `data` to a new temp file beside `file` and fsync it; returns its path. On failure
 * the temp file is gone. Raw Node errors: callers wrap them (writeFailed).
 */
export async function stageFile(
  file: string,
  data: string | Uint8Array,
  mode = 0o666,
  durable = true,
): Promise<string> {
  const tmp = tempPathFor(file);
  const fh = await open(tmp, 'wx', mode);
  try {
    try {
      await fh.writeFile(data);
      if (durable) await fh.sync();
    } finally {
      await fh.close();
    }
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
  return tmp;
}

function stageFileSync(file: string, data: string | Uint8Array, mode = 0o666, durable = true): string {
  const tmp = tempPathFor(file);
  const fd = openSync(tmp, 'wx', mode);
  try {
    try {
      const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      for (let off = 0; off < bytes.length;) off += writeSync(fd, bytes, off, bytes.length - off);
      if (durable) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    unlinkQuietSync(tmp);
    throw e;
  }
  return tmp;
}

function unlinkQuietSync(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // already gone
  }
}

/**
 * Make the directory's entries (creates, renames, unlinks) durable. Platforms and file
 * systems that cannot fsync a directory (Windows; EINVAL on some network mounts) skip it:
 * the data itself was synced before the rename.
 */
export async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  try {
    const d = await open(dir, 'r');
    try {
      await d.sync();
    } finally {
      await d.close();
    }
  } catch (e) {
    if (!cannotSyncDir(e)) throw e;
  }
}

function syncDirSync(dir: string): void {
  if (process.platform === 'win32') return;
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    if (!cannotSyncDir(e)) throw e;
  }
}

function cannotSyncDir(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'EINVAL' || code === 'ENOTSUP' || code === 'EISDIR' || code === 'EPERM' || code === 'EBADF';
}

const REASONS: Readonly<Record<string, string>> = Object.assign(Object.create(null) as Record<string, string>, {
  ENOENT: 'its directory does not exist',
  ENOTDIR: 'a parent in its path is not a directory',
  EISDIR: 'it is a directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is exhausted',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
  EIO: 'an input/output error from the device',
  EEXIST: 'it already exists',
});

/** A clear VetError naming the target (never the temp file) for a failed write. */
export function writeFailed(file: string, e: unknown): VetError {
  if (e instanceof VetError) return e;
  const code = (e as NodeJS.ErrnoException).code ?? '';
  const reason = REASONS[code] ?? (e instanceof Error ? e.message : String(e));
  // No `cause`: its message names the temp file, which means nothing to the user.
  const hint = hintFor(code, file);
  return new VetError('WRITE_FAILED', `cannot write ${file}: ${reason}${code ? ` (${code})` : ''}`, {
    file,
    ...(code ? { details: { errno: code } } : {}),
    ...(hint === undefined ? {} : { hint }),
  });
}

function hintFor(code: string, file: string): string | undefined {
  if (code === 'ENOENT' || code === 'ENOTDIR') return `create ${path.dirname(file)} first, or choose another path`;
  if (code === 'EISDIR') return 'name a file, not a directory';
  if (code === 'ENOSPC' || code === 'EDQUOT') return 'free some space and run the command again; nothing was changed';
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS')
    return `check that ${path.dirname(file)} is writable by you`;
  return undefined;
}
