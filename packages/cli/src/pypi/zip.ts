/**
 * Safe extraction of wheels (and zip sdists) with yauzl (lockfiles.md §14), the zip twin of
 * archive/tar.ts and under the same rules: a bad name (absolute, `..`, backslash, drive
 * letter), a symlink pointing outside, a device/FIFO entry, or too many entries / bytes
 * refuses the whole archive; links that stay inside are skipped and reported. Everything is
 * written into a fresh temp folder renamed into place on success and deleted on refusal.
 */
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { VetError } from '@vet/core';
import {
  DEFAULT_ARCHIVE_LIMITS,
  safeArchivePath,
  symlinkTargetInside,
  type ArchiveLimits,
  type ExtractResult,
  type SkippedEntry,
} from '../archive/index.js';

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;

export interface ZipExtractOptions {
  /** Name for messages (the file name of the wheel). */
  source: string;
  limits?: Partial<ArchiveLimits>;
  /** Drop the first path segment (zip sdists have `name-version/`; wheels do not). */
  stripTopFolder?: boolean;
}

function unsafe(source: string, message: string, entry?: string): VetError {
  return new VetError(
    'UNSAFE_ARCHIVE',
    `${source}: ${message}${entry === undefined ? '' : ` (entry ${JSON.stringify(entry)})`}`,
    {
      file: source,
      hint: 'the archive was refused and nothing was extracted; report the package to its index if this is unexpected',
      details: entry === undefined ? {} : { entry },
    },
  );
}

function openZip(bytes: Uint8Array, source: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    const opts = {
      lazyEntries: true,
      decodeStrings: true,
      validateEntrySizes: true,
      strictFileNames: true,
    } as yauzl.Options;
    yauzl.fromBuffer(Buffer.from(bytes), opts, (err, zip) => {
      // yauzl refuses `../x`, `/x` and `\` names itself ("invalid relative path"): a refusal, not a crash.
      if (err || !zip) reject(unsafe(source, `not a safe zip archive: ${err?.message ?? 'unreadable'}`));
      else resolve(zip);
    });
  });
}

function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, cap: number, source: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (err, stream?: Readable) => {
      if (err || !stream)
        return reject(unsafe(source, `cannot read entry: ${err?.message ?? 'no stream'}`, entry.fileName));
      const chunks: Buffer[] = [];
      let n = 0;
      stream.on('data', (c: Buffer) => {
        n += c.length;
        // Count real bytes: the sizes in the zip directory are the archive's claim, not a fact.
        if (n > cap) stream.destroy(unsafe(source, `entry larger than the ${cap}-byte limit`, entry.fileName));
        else chunks.push(c);
      });
      stream.on('error', (e) =>
        reject(e instanceof VetError ? e : unsafe(source, `corrupt entry: ${e.message}`, entry.fileName)),
      );
      stream.on('end', () => resolve(Buffer.concat(chunks, n)));
    });
  });
}

interface State {
  entries: number;
  bytes: number;
  files: number;
  skipped: SkippedEntry[];
}

async function handleEntry(
  zip: yauzl.ZipFile,
  entry: yauzl.Entry,
  root: string,
  o: Required<Omit<ZipExtractOptions, 'limits'>> & { limits: ArchiveLimits },
  st: State,
): Promise<void> {
  const { source, limits } = o;
  if (++st.entries > limits.maxEntries) throw unsafe(source, `more than ${limits.maxEntries} entries`);
  // safeArchivePath drops the first segment; give wheels a dummy one so nothing real is lost.
  const safe = safeArchivePath(o.stripTopFolder ? entry.fileName : `_/${entry.fileName}`, limits.maxDepth + 1);
  if (!safe.ok) throw unsafe(source, safe.reason, entry.fileName);
  const rel = safe.path;
  const madeByUnix = entry.versionMadeBy >> 8 === 3;
  const mode = madeByUnix ? entry.externalFileAttributes >>> 16 : 0;
  const type = mode & S_IFMT;
  if (entry.fileName.endsWith('/') || type === S_IFDIR) {
    if (rel !== '') mkdirSync(join(root, rel), { recursive: true, mode: 0o700 });
    return;
  }
  if (type === S_IFLNK) {
    const target = (await readEntry(zip, entry, 4096, source)).toString('utf8');
    if (symlinkTargetInside(rel, target) === undefined)
      throw unsafe(source, `symbolic link pointing outside the package to ${JSON.stringify(target)}`, entry.fileName);
    st.skipped.push({ path: rel, reason: `symbolic link to ${target} (not extracted)` });
    return;
  }
  if (type !== 0 && type !== S_IFREG)
    throw unsafe(source, `special file (mode ${type.toString(8)}) in the archive`, entry.fileName);
  if (rel === '') throw unsafe(source, 'file entry at the archive root', entry.fileName);
  const data = await readEntry(zip, entry, limits.maxFileBytes, source);
  st.bytes += data.length;
  if (st.bytes > limits.maxTotalBytes) throw unsafe(source, `unpacks to more than ${limits.maxTotalBytes} bytes`);
  if (
    data.length > 0 &&
    entry.compressedSize > 0 &&
    data.length / entry.compressedSize > limits.maxDecompressionRatio
  ) {
    throw unsafe(source, `compression ratio above ${limits.maxDecompressionRatio} (zip bomb?)`, entry.fileName);
  }
  const dest = join(root, rel);
  mkdirSync(dirname(dest), { recursive: true, mode: 0o700 });
  // 'wx': never overwrite, so a duplicate name cannot replace an earlier file.
  writeFileSync(dest, data, { flag: 'wx', mode: 0o600 });
  st.files++;
}

async function unpack(
  bytes: Uint8Array,
  root: string,
  o: Required<Omit<ZipExtractOptions, 'limits'>> & { limits: ArchiveLimits },
): Promise<State> {
  const zip = await openZip(bytes, o.source);
  const st: State = { entries: 0, bytes: 0, files: 0, skipped: [] };
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', (e: Error) => reject(unsafe(o.source, `corrupt zip: ${e.message}`)));
      zip.on('end', () => resolve());
      zip.on('entry', (entry: yauzl.Entry) => {
        handleEntry(zip, entry, root, o, st).then(() => zip.readEntry(), reject);
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
  return st;
}

/** Extract a zip into `destDir` (which must not exist yet) or refuse it leaving nothing behind. */
export async function extractZip(
  bytes: Uint8Array,
  destDir: string,
  options: ZipExtractOptions,
): Promise<ExtractResult> {
  const limits = { ...DEFAULT_ARCHIVE_LIMITS, ...options.limits };
  mkdirSync(dirname(destDir), { recursive: true, mode: 0o700 });
  const temp = mkdtempSync(join(dirname(destDir), `.${basename(destDir)}.extract-`));
  try {
    const st = await unpack(bytes, temp, {
      source: options.source,
      stripTopFolder: options.stripTopFolder ?? false,
      limits,
    });
    renameSync(temp, destDir);
    return { dir: destDir, files: st.files, bytes: st.bytes, skipped: st.skipped };
  } catch (e) {
    rmSync(temp, { recursive: true, force: true });
    throw e;
  }
}
