/**
 * The data directory: one place for everything a notary owns.
 *   notary.json   config          notary.db   SQLite (WAL)       static/   tlog-tiles files
 *   keys/         log and admin keys, admin.token (0600)          sequencer.lock
 * `initDataDir` refuses to create a log where one existed (Sunlight's inception guard):
 * recreating an empty log over a lost one would be a fork nobody could tell from an attack.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { VetError } from '@vet/core';
import { isProcessAlive, writeFileAtomicSync } from '@vet/core/node';
import { defaultNotaryConfig, formatNotaryConfig, readNotaryConfig, type NotaryConfig } from './config.js';
import { openNotaryDb, setMeta, type NotaryDb } from './db/open.js';
import { addLogKey, createAdminKey, keysDir, readNotaryKeys, type NotaryKeys } from './keys.js';
import { createNotary } from './notary.js';
import { issueToken } from './tokens.js';

export const paths = (dataDir: string) => ({
  config: join(dataDir, 'notary.json'),
  db: join(dataDir, 'notary.db'),
  static: join(dataDir, 'static'),
  lock: join(dataDir, 'sequencer.lock'),
  adminToken: join(keysDir(dataDir), 'admin.token'),
});

export interface InitResult {
  config: NotaryConfig;
  logVerifierKey: string;
  adminKeyId: string;
  adminToken: string;
}

export function initDataDir(
  dataDir: string,
  origin: string,
  overrides: Partial<Pick<NotaryConfig, 'listen'>> = {},
): InitResult {
  const p = paths(dataDir);
  for (const existing of [p.config, p.db, join(p.static, 'checkpoint'), keysDir(dataDir)]) {
    if (existsSync(existing)) {
      throw new VetError('STORE_EXISTS', `${existing} exists: refusing to create a new log over an existing one`, {
        hint: 'restore the old log from backup instead, or start a new origin in an empty directory',
      });
    }
  }
  const config = { ...defaultNotaryConfig(origin), ...overrides };
  if (!/^[^\s+]+$/u.test(origin))
    throw new VetError('INVALID_ARGUMENT', `origin "${origin}" must not contain spaces or "+"`);
  mkdirSync(dataDir, { recursive: true });
  // The one durable writer: temp file, fsync, rename, fsync of the folder.
  writeFileAtomicSync(p.config, formatNotaryConfig(config), { noReplace: true });
  const logVerifierKey = addLogKey(dataDir, origin);
  const admin = createAdminKey(dataDir);
  const db = openNotaryDb(p.db);
  try {
    setMeta(db, 'origin', origin);
    const notary = createNotary({ db, keys: readNotaryKeys(dataDir), config, staticDir: p.static });
    void notary.close();
    const adminToken = issueToken(db, 'admin', 'admin', { label: 'operator CLI', now: Date.now() });
    writeFileAtomicSync(p.adminToken, adminToken + '\n', { mode: 0o600, noReplace: true });
    return { config, logVerifierKey, adminKeyId: admin.keyid, adminToken };
  } finally {
    db.close();
  }
}

export interface OpenedDataDir {
  config: NotaryConfig;
  keys: NotaryKeys;
  db: NotaryDb;
  paths: ReturnType<typeof paths>;
}

export function openDataDir(dataDir: string): OpenedDataDir {
  const p = paths(dataDir);
  const config = readNotaryConfig(p.config);
  if (!existsSync(p.db))
    throw new VetError('NOT_FOUND', `${p.db} is missing`, {
      hint: 'restore it from a backup; `init` refuses to recreate a log',
    });
  const keys = readNotaryKeys(dataDir);
  return { config, keys, db: openNotaryDb(p.db), paths: p };
}

/** PID of a live process holding the sequencer lock, if any. */
export function lockHolder(dataDir: string): number | undefined {
  let pid: number;
  try {
    pid = Number(readFileSync(paths(dataDir).lock, 'utf8').trim());
  } catch {
    return undefined;
  }
  if (!Number.isSafeInteger(pid) || pid <= 0) return undefined;
  return isProcessAlive(pid) ? pid : undefined;
}

/**
 * Takes the single-sequencer lock (one writer per log, spec §10.9). A lock left by a
 * killed process (its PID no longer runs) is taken over. Returns the release function.
 */
export function acquireSequencerLock(dataDir: string): () => void {
  const path = paths(dataDir).lock;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return () => {
        try {
          if (readFileSync(path, 'utf8').trim() === String(process.pid)) unlinkSync(path);
        } catch {
          /* already gone */
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = lockHolder(dataDir);
      if (holder !== undefined)
        throw new VetError('LOCK_HELD', `another sequencer (pid ${holder}) is running on ${dataDir}`);
      unlinkSync(path);
    }
  }
  throw new VetError('LOCK_HELD', `could not take ${path}`);
}
