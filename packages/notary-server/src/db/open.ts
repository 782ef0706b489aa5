/**
 * The notary's SQLite database (better-sqlite3, WAL). Schema after spec/notary.md §9:
 * entries hold the exact submitted bytes; node hashes are not stored — they are recomputed
 * from `leaf_hash` at start-up (2 hashes per entry) and every tile is derivable from them.
 * synchronous=FULL: a commit fsyncs the WAL, so "acknowledged" (receipt sent after commit)
 * means durable across a power cut, not only across a process crash.
 */
import Database from 'better-sqlite3';
import { VetError } from '@vet/core';
import { CURRENT_SCHEMA, migrate } from './migrate.js';

export type NotaryDb = Database.Database;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
CREATE TABLE IF NOT EXISTS entries (
  idx INTEGER PRIMARY KEY,
  leaf BLOB NOT NULL,
  leaf_hash BLOB NOT NULL,
  dedupe BLOB NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  signer TEXT NOT NULL,
  submitted_by TEXT NOT NULL,
  received_at INTEGER NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS checkpoints (size INTEGER PRIMARY KEY, note TEXT NOT NULL) STRICT;
CREATE TABLE IF NOT EXISTS latest (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  size INTEGER NOT NULL,
  note TEXT NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS tokens (
  hash BLOB PRIMARY KEY,
  subject TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('auditor', 'admin')),
  label TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER,
  revoked_at INTEGER
) STRICT;
-- Bumped by every change to tokens, whoever makes it (the CLI, a running server, sqlite3):
-- the server caches token lookups and re-reads only this one row per request, so a
-- revocation is still refused from the next request on.
CREATE TABLE IF NOT EXISTS token_epoch (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL) STRICT;
INSERT OR IGNORE INTO token_epoch (id, n) VALUES (1, 0);
CREATE TRIGGER IF NOT EXISTS tokens_epoch_insert AFTER INSERT ON tokens BEGIN UPDATE token_epoch SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER IF NOT EXISTS tokens_epoch_update AFTER UPDATE ON tokens BEGIN UPDATE token_epoch SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER IF NOT EXISTS tokens_epoch_delete AFTER DELETE ON tokens BEGIN UPDATE token_epoch SET n = n + 1 WHERE id = 1; END;
`;

export const SCHEMA_VERSION = CURRENT_SCHEMA;
/** Versions this build opens: older ones are migrated at open (db/migrate.ts). */
const READABLE = new Set(['1', CURRENT_SCHEMA]);

export function openNotaryDb(path: string, options: { readonly?: boolean } = {}): NotaryDb {
  let db: NotaryDb;
  try {
    db = new Database(path, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  } catch (cause) {
    throw new VetError('NOT_FOUND', `cannot open notary database ${path}`, { file: path, cause });
  }
  db.pragma('busy_timeout = 5000');
  if (!options.readonly) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec(SCHEMA);
    db.prepare("INSERT OR IGNORE INTO meta (key, value) VALUES ('schema', ?)").run(SCHEMA_VERSION);
  }
  let version = (db.prepare("SELECT value FROM meta WHERE key = 'schema'").get() as { value: string } | undefined)
    ?.value;
  if (version !== undefined && version !== SCHEMA_VERSION && READABLE.has(version) && !options.readonly) {
    migrate(db, version, Date.now());
    version = SCHEMA_VERSION;
  }
  if (version === undefined || !READABLE.has(version) || (version !== SCHEMA_VERSION && !options.readonly)) {
    db.close();
    throw new VetError('INVALID_ARGUMENT', `${path}: unsupported notary schema version ${String(version)}`, {
      file: path,
    });
  }
  return db;
}

export function getMeta(db: NotaryDb, key: string): string | undefined {
  return (db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;
}

export function setMeta(db: NotaryDb, key: string, value: string): void {
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(
    key,
    value,
  );
}
