/**
 * The store directory on disk (spec/cargo-vet-format.md §1): read the three files and commit
 * them back canonically, only the ones whose bytes change. A kill at any instant leaves the
 * store entirely old or entirely new:
 *
 * - Writers (`commitStore`) hold the store lock (store-lock.ts; re-entrant, so a command
 *   that holds it already keeps it). Under it they first recover (store-journal.ts): roll
 *   forward the renames of a `.vet-journal` a killed writer left, delete temp files no
 *   journal names. One changed file is replaced by the durable writer (one rename is
 *   atomic); several are staged as fsynced temp files, the directory is fsynced, the journal
 *   listing the renames is written atomically (the commit point), the renames are done and
 *   fsynced, and the journal is deleted. Killed before the journal exists: the old state
 *   (its temp files are removed later). After: the new state, once anyone recovers.
 * - Readers (`readStoreFiles`) take no lock, so a read-only checkout can be checked. A
 *   journal means an unfinished write: they take the lock (waiting for a live writer) and
 *   recover first. Otherwise they open and read the files, then confirm that no journal
 *   appeared and that each path still names the file they read (same inode, or still
 *   absent); every rename of a write changes one of those, so a read overlapping a write is
 *   retried, and after a few tries done under the lock.
 */
import { mkdir, open, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { VetError } from '../errors.js';
import type { Store } from '../store/model.js';
import {
  AUDITS_TOML,
  CONFIG_TOML,
  IMPORTS_LOCK,
  parseStore,
  serializeStore,
  type StoreFiles,
  type StoreReadOptions,
} from '../store/files.js';
import type { SerializeOptions } from '../store/serialize-audits.js';
import { writeFileAtomic } from './durable.js';
import { crashPoint } from './failpoint.js';
import { hasJournal, recoverStore, STORE_JOURNAL, writeStoreFiles } from './store-journal.js';
import { withStoreLock } from './store-lock.js';

const NAMES = [CONFIG_TOML, AUDITS_TOML, IMPORTS_LOCK] as const;
/** Lock-free read attempts before reading under the lock. */
const OPTIMISTIC_READS = 5;

function notFound(what: string, file: string): VetError {
  return new VetError('STORE_NOT_FOUND', `${what} not found: ${file}`, {
    file,
    hint: 'run `vet init` to create a store',
  });
}

async function isDirectory(dir: string): Promise<boolean> {
  return stat(dir).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

export async function readStoreFiles(dir: string): Promise<StoreFiles> {
  if (!(await isDirectory(dir))) throw notFound('store directory', dir);
  for (let attempt = 0; attempt < OPTIMISTIC_READS; attempt++) {
    if (await hasJournal(dir)) await recoverForReader(dir);
    const files = await readConsistent(dir);
    if (files !== undefined) return checkPresent(dir, files);
    await sleep(attempt * 5);
  }
  return withStoreLock(dir, async () => {
    await recoverStore(dir);
    return checkPresent(dir, await readUnderLock(dir));
  });
}

export async function readStore(dir: string, opts: StoreReadOptions = {}): Promise<Store> {
  return parseStore(await readStoreFiles(dir), dir, opts);
}

function checkPresent(dir: string, files: FileTexts): StoreFiles {
  const { [CONFIG_TOML]: config, [AUDITS_TOML]: audits, [IMPORTS_LOCK]: importsLock } = files;
  if (config === undefined) throw notFound('store config', path.join(dir, CONFIG_TOML));
  if (audits === undefined) throw notFound('store audits file', path.join(dir, AUDITS_TOML));
  return { config, audits, importsLock };
}

/** An unfinished write found by a reader: complete it under the lock. */
async function recoverForReader(dir: string): Promise<void> {
  try {
    await withStoreLock(dir, () => recoverStore(dir));
  } catch (e) {
    if (!(e instanceof VetError) || e.code !== 'WRITE_FAILED') throw e;
    throw new VetError('WRITE_FAILED', `an interrupted update of the store in ${dir} must be completed first`, {
      file: path.join(dir, STORE_JOURNAL),
      hint: `run vet once with write access to ${dir}; it completes the update (${e.message})`,
    });
  }
}

type FileTexts = Partial<Record<(typeof NAMES)[number], string>>;

/**
 * The files' text, if no write overlapped the read: afterwards there is no journal and
 * every path still names the file that was read (or is still absent). Undefined otherwise.
 */
async function readConsistent(dir: string): Promise<FileTexts | undefined> {
  const handles = await Promise.all(NAMES.map((n) => openOptional(path.join(dir, n))));
  try {
    const texts = await Promise.all(
      handles.map(async (h, i) =>
        h?.readFile('utf8').catch((e: unknown) => {
          // A file handle's error names no path; say which file it was.
          if (e instanceof Error) Object.assign(e, { path: path.join(dir, NAMES[i]!) });
          throw e;
        }),
      ),
    );
    const inodes = await Promise.all(handles.map(async (h) => (await h?.stat({ bigint: true }))?.ino));
    const now = await Promise.all(NAMES.map((n) => inodeOf(path.join(dir, n))));
    if (now.some((ino, i) => ino !== inodes[i]) || (await hasJournal(dir))) return undefined;
    return Object.fromEntries(NAMES.map((n, i) => [n, texts[i]]));
  } finally {
    await Promise.all(handles.map(async (h) => h?.close()));
  }
}

/** Under the lock no vet writes; only a hand edit at that very instant could overlap. */
async function readUnderLock(dir: string): Promise<FileTexts> {
  for (let attempt = 0; ; attempt++) {
    const files = await readConsistent(dir);
    if (files !== undefined) return files;
    if (attempt === OPTIMISTIC_READS) {
      throw new VetError('LOCK_HELD', `the store in ${dir} keeps changing while it is read`, {
        file: dir,
        hint: 'is another program (not vet) writing to it?',
      });
    }
    await sleep(10);
  }
}

async function openOptional(file: string): Promise<FileHandle | undefined> {
  try {
    return await open(file, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

async function inodeOf(file: string): Promise<bigint | undefined> {
  return stat(file, { bigint: true }).then(
    (s) => s.ino,
    (e: unknown) => {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    },
  );
}

export interface CommitOptions extends SerializeOptions {
  /** Create the store directory if it does not exist (for `init`). */
  create?: boolean;
}

/**
 * Write every file whose canonical bytes differ from what is on disk, all or nothing, under
 * the store lock (taken here unless the caller holds it); returns the files written.
 */
export async function commitStore(dir: string, store: Store, opts: CommitOptions = {}): Promise<string[]> {
  if (!(await isDirectory(dir))) {
    if (opts.create !== true) throw notFound('store directory', dir);
    await mkdir(dir, { recursive: true });
  }
  const next = serializeStore(store, opts);
  return withStoreLock(dir, async () => {
    await recoverStore(dir);
    const current = await readUnderLock(dir);
    const changed = new Map<string, string>();
    for (const [name, text] of [
      [CONFIG_TOML, next.config],
      [AUDITS_TOML, next.audits],
      [IMPORTS_LOCK, next.importsLock!],
    ] as const) {
      if (current[name] !== text) changed.set(name, text);
    }
    await writeChanged(dir, changed);
    return [...changed.keys()].map((name) => path.join(dir, name));
  });
}

async function writeChanged(dir: string, changed: ReadonlyMap<string, string>): Promise<void> {
  crashPoint();
  if (changed.size > 1) return writeStoreFiles(dir, changed);
  for (const [name, text] of changed) {
    await writeFileAtomic(path.join(dir, name), text);
    crashPoint();
  }
}
