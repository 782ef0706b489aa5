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
import { issueToken, newToken } from './tokens.js';
import { DEFAULT_SESSION_TIMEOUT_MS } from './config.js';
import { connectPg, initPgLog, issuePgToken } from './pg/open.js';

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
  const { config, logVerifierKey, adminKeyId } = prepareDataDir(dataDir, origin, overrides, false);
  const p = paths(dataDir);
  const db = openNotaryDb(p.db);
  try {
    setMeta(db, 'origin', origin);
    const notary = createNotary({ db, keys: readNotaryKeys(dataDir), config, staticDir: p.static });
    void notary.close();
    const adminToken = issueToken(db, 'admin', 'admin', { label: 'operator CLI', now: Date.now() });
    writeFileAtomicSync(p.adminToken, adminToken + '\n', { mode: 0o600, noReplace: true });
    return { config, logVerifierKey, adminKeyId, adminToken };
  } finally {
    db.close();
  }
}

/**
 * `init` for a log kept in PostgreSQL: the data dir holds the config (with `database.url`)
 * and keys; the database gets the schema, the size-0 checkpoint and the admin token. Other
 * instances get a copy of this data dir (same keys, same config).
 */
export async function initPgDataDir(
  dataDir: string,
  origin: string,
  url: string,
  overrides: Partial<Pick<NotaryConfig, 'listen'>> = {},
): Promise<InitResult> {
  const pool = await connectPg(url);
  try {
    const { rows } = await pool.query<{ value: string }>("SELECT value FROM meta WHERE key = 'origin'");
    if (rows.length > 0)
      throw new VetError('STORE_EXISTS', `the database already holds the log "${rows[0]!.value}"`, {
        hint: 'use an empty database for a new log, or serve the existing one',
      });
    const prepared = prepareDataDir(
      dataDir,
      origin,
      { ...overrides, database: { url, sessionTimeoutMs: DEFAULT_SESSION_TIMEOUT_MS } },
      true,
    );
    await initPgLog(pool, origin, readNotaryKeys(dataDir));
    const adminToken = newToken().token;
    await issuePgToken(pool, adminToken, 'admin', 'admin', { label: 'operator CLI', now: Date.now() });
    writeFileAtomicSync(paths(dataDir).adminToken, adminToken + '\n', { mode: 0o600, noReplace: true });
    return { ...prepared, adminToken };
  } finally {
    await pool.end();
  }
}

/** The inception guard, config and keys: what every new data dir gets. */
function prepareDataDir(
  dataDir: string,
  origin: string,
  overrides: Partial<Pick<NotaryConfig, 'listen' | 'database'>>,
  postgres: boolean,
): Omit<InitResult, 'adminToken'> {
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
  if (postgres && config.database === undefined) throw new Error('postgres init without a database');
  mkdirSync(dataDir, { recursive: true });
  // The one durable writer: temp file, fsync, rename, fsync of the folder.
  writeFileAtomicSync(p.config, formatNotaryConfig(config), { noReplace: true });
  const logVerifierKey = addLogKey(dataDir, origin);
  const admin = createAdminKey(dataDir);
  return { config, logVerifierKey, adminKeyId: admin.keyid };
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
