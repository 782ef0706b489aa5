/**
 * The store directory on disk (spec/cargo-vet-format.md §1): read the three files and commit
 * them back canonically — each file atomically, and only the ones whose bytes change.
 * Locking is the caller's (`withStoreLock`), so one command = one lock.
 */
import { mkdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
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

async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

function notFound(what: string, file: string): VetError {
  return new VetError('STORE_NOT_FOUND', `${what} not found: ${file}`, {
    file,
    hint: 'run `vet init` to create a store',
  });
}

export async function readStoreFiles(dir: string): Promise<StoreFiles> {
  const info = await stat(dir).catch(() => undefined);
  if (info === undefined || !info.isDirectory()) throw notFound('store directory', dir);
  const [config, audits, importsLock] = await Promise.all(
    [CONFIG_TOML, AUDITS_TOML, IMPORTS_LOCK].map((f) => readOptional(path.join(dir, f))),
  );
  if (config === undefined) throw notFound('store config', path.join(dir, CONFIG_TOML));
  if (audits === undefined) throw notFound('store audits file', path.join(dir, AUDITS_TOML));
  return { config, audits, importsLock };
}

export async function readStore(dir: string, opts: StoreReadOptions = {}): Promise<Store> {
  return parseStore(await readStoreFiles(dir), dir, opts);
}

export interface CommitOptions extends SerializeOptions {
  /** Create the store directory if it does not exist (for `init`). */
  create?: boolean;
}

/** Write every file whose canonical bytes differ from what is on disk; returns the files written. */
export async function commitStore(dir: string, store: Store, opts: CommitOptions = {}): Promise<string[]> {
  const info = await stat(dir).catch(() => undefined);
  if (info === undefined) {
    if (opts.create !== true) throw notFound('store directory', dir);
    await mkdir(dir, { recursive: true });
  }
  const next = serializeStore(store, opts);
  const written: string[] = [];
  for (const [key, name] of [
    ['config', CONFIG_TOML],
    ['audits', AUDITS_TOML],
    ['importsLock', IMPORTS_LOCK],
  ] as const) {
    const file = path.join(dir, name);
    const text = next[key]!;
    if ((await readOptional(file)) === text) continue;
    await writeFileAtomic(file, text);
    written.push(file);
  }
  return written;
}
