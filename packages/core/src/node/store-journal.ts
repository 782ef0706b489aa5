/**
 * All-or-nothing writes of several store files (see store-dir.ts for the protocol). A
 * transaction stages each new file as a fsynced temp file, then writes `.vet-journal` — the
 * commit point — listing the renames, renames, and deletes the journal. `recoverStore`, run
 * under the store lock, completes (rolls forward) the renames of a journal left by a killed
 * writer and deletes temp files no journal names (a write killed before its commit point).
 */
import { lstat, readdir, readFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { VetError } from '../errors.js';
import { AUDITS_TOML, CONFIG_TOML, IMPORTS_LOCK } from '../store/files.js';
import { stageFile, syncDir, writeFailed, writeFileAtomic } from './durable.js';
import { crashPoint } from './failpoint.js';
import { isProcessAlive } from './pid-lock.js';

export const STORE_JOURNAL = '.vet-journal';
const JOURNAL_FORMAT = 'vet-store-journal/v1';
const STORE_FILES: ReadonlySet<string> = new Set([CONFIG_TOML, AUDITS_TOML, IMPORTS_LOCK]);

/** A temp file of one of ours, as tempPathFor (durable.ts) names it: `.<name>.<pid>.<hex>.tmp`. */
const TEMP = /^\.(config\.toml|audits\.toml|imports\.lock|\.vet-journal)\.(\d+)\.[0-9a-f]{12}\.tmp$/;
/** The lock's temp file, or a lock moved aside while being broken (pid-lock.ts), by pid. */
const LOCK_TEMP = /^\.vet-lock\.(?:stale\.)?(\d+)\.[0-9a-f]{12}(?:\.tmp)?$/;

/** One staged file and the store file it replaces (basenames in the store directory). */
type Rename = readonly [staged: string, target: string];

/** Replace several store files at once: `files` maps a store file name to its new text. */
export async function writeStoreFiles(dir: string, files: ReadonlyMap<string, string>): Promise<void> {
  const renames: Rename[] = [];
  try {
    for (const [name, text] of files) {
      renames.push([path.basename(await stageFile(path.join(dir, name), text)), name]);
      crashPoint();
    }
    await syncDir(dir);
    crashPoint();
    await writeFileAtomic(path.join(dir, STORE_JOURNAL), journalText(renames));
  } catch (e) {
    await Promise.all(renames.map(([staged]) => unlink(path.join(dir, staged)).catch(() => undefined)));
    throw writeFailed(path.join(dir, renames[0]?.[1] ?? STORE_JOURNAL), e);
  }
  crashPoint();
  await rollForward(dir, renames);
}

function journalText(renames: readonly Rename[]): string {
  return JSON.stringify({ format: JOURNAL_FORMAT, renames }) + '\n';
}

/** Do the journal's renames (those not done yet), make them durable, delete the journal. */
async function rollForward(dir: string, renames: readonly Rename[]): Promise<void> {
  try {
    for (const [staged, target] of renames) {
      await rename(path.join(dir, staged), path.join(dir, target)).catch((e: unknown) => {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e; // ENOENT: renamed before
      });
      crashPoint();
    }
    await syncDir(dir);
    crashPoint();
    await unlink(path.join(dir, STORE_JOURNAL));
    crashPoint();
  } catch (e) {
    const failed = writeFailed(dir, e);
    throw new VetError('WRITE_FAILED', `${failed.message}; the update of the store is half done`, {
      file: path.join(dir, STORE_JOURNAL),
      hint: 'the next vet command that can write the store completes it',
    });
  }
}

/** Under the store lock: finish a journalled write, drop temp files nobody will rename. */
export async function recoverStore(dir: string): Promise<void> {
  const journal = await readJournal(dir);
  if (journal !== undefined) await rollForward(dir, journal);
  const named = new Set(journal?.map(([staged]) => staged));
  for (const name of await readdir(dir).catch(() => [])) {
    if (!named.has(name) && isLeftover(name)) await unlink(path.join(dir, name)).catch(() => undefined);
  }
}

/**
 * A temp file a dead writer left: under the lock every store temp file is one; the lock's
 * own temp files may belong to a live process trying to take the lock.
 */
function isLeftover(name: string): boolean {
  if (TEMP.test(name)) return true;
  const lock = LOCK_TEMP.exec(name);
  return lock !== null && !isProcessAlive(Number(lock[1]));
}

/** The journal's renames, or undefined when there is none. */
async function readJournal(dir: string): Promise<Rename[] | undefined> {
  const file = path.join(dir, STORE_JOURNAL);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new VetError('INVALID_STORE', `cannot read ${file}`, { file, cause: e });
  }
  const renames = parseJournal(text);
  if (renames !== undefined) return renames;
  throw new VetError('INVALID_STORE', `${file} is not a vet store journal`, {
    file,
    hint: `vet writes this file only for an instant; check config.toml, audits.toml and imports.lock, then delete it`,
  });
}

/** Only renames of our own temp files onto the store's three files are accepted. */
export function parseJournal(text: string): Rename[] | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const { format, renames } = (value ?? {}) as { format?: unknown; renames?: unknown };
  if (format !== JOURNAL_FORMAT || !Array.isArray(renames)) return undefined;
  const ok = renames.every(
    (r: unknown) =>
      Array.isArray(r) &&
      r.length === 2 &&
      typeof r[1] === 'string' &&
      STORE_FILES.has(r[1]) &&
      typeof r[0] === 'string' &&
      TEMP.exec(r[0])?.[1] === r[1],
  );
  return ok ? (renames as Rename[]) : undefined;
}

/** Is there a journal (an unfinished write) in `dir`? */
export async function hasJournal(dir: string): Promise<boolean> {
  return lstat(path.join(dir, STORE_JOURNAL)).then(
    () => true,
    (e: unknown) => (e as NodeJS.ErrnoException).code !== 'ENOENT',
  );
}
