/**
 * `vet-notary backup`: an online, consistent copy of the database via SQLite's backup API
 * (better-sqlite3 `db.backup`), plus the config. Keys are copied only when asked: they are
 * secrets and usually belong in a different vault than the data. Static tiles are not
 * copied — they are derivable and rebuilt on start. The artifact archive is copied (not
 * derivable: the registry may have lost the bytes). Restoring is only safe if the restored
 * log extends the last *published* checkpoint (spec/notary.md §8); `serve` refuses a
 * database whose entries do not hash to its own latest checkpoint.
 */
import { copyFileSync, cpSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { VetError } from '@vet/core';
import { openNotaryDb } from './db/open.js';
import { paths } from './datadir.js';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readNotaryConfig } from './config.js';
import { keysDir } from './keys.js';
import { redactUrl } from './pg/connect.js';
import { archiveDir } from './archive/store.js';

/** The durable writer's temp files (`.<name>.<pid>.<random>.tmp`, core's tempPathFor). */
const isTemp = (p: string) => /\/\.[^/]*\.tmp$/.test(p);

export async function backupNotary(
  dataDir: string,
  destDir: string,
  opts: { includeKeys?: boolean } = {},
): Promise<{ files: string[] }> {
  if (existsSync(join(destDir, 'notary.db')) || existsSync(join(destDir, PG_DUMP)))
    throw new VetError('STORE_EXISTS', `${destDir} already holds a backup`);
  mkdirSync(destDir, { recursive: true });
  const p = paths(dataDir);
  const database = readNotaryConfig(p.config).database;
  let dbFile: string;
  if (database === undefined) {
    const db = openNotaryDb(p.db, { readonly: true });
    try {
      await db.backup(join(destDir, 'notary.db'));
    } finally {
      db.close();
    }
    dbFile = 'notary.db';
  } else {
    await pgDump(database.url, join(destDir, PG_DUMP));
    dbFile = PG_DUMP;
  }
  copyFileSync(p.config, join(destDir, 'notary.json'));
  const files = [dbFile, 'notary.json'];
  // Archived files are immutable and written before their record: copying the records
  // last means every record copied has its bytes (a record written meanwhile is skipped).
  const archive = archiveDir(dataDir);
  if (existsSync(archive)) {
    const dest = join(destDir, 'archive');
    cpSync(archive, dest, { recursive: true, filter: (src) => !src.endsWith('.json') && !isTemp(src) });
    cpSync(archive, dest, { recursive: true, filter: (src) => !isTemp(src) });
    files.push('archive/');
  }
  if (opts.includeKeys) {
    cpSync(keysDir(dataDir), join(destDir, 'keys'), { recursive: true, filter: (src) => !src.endsWith('admin.token') });
    files.push('keys/');
  }
  return { files };
}

const PG_DUMP = 'notary.pgdump';

/** PostgreSQL's own consistent snapshot (`pg_dump --format=custom`; restore with pg_restore). */
async function pgDump(url: string, file: string): Promise<void> {
  try {
    await promisify(execFile)('pg_dump', ['--format=custom', '--no-owner', `--file=${file}`, `--dbname=${url}`]);
  } catch (cause) {
    throw new VetError('NETWORK_ERROR', `pg_dump of ${redactUrl(url)} failed: ${(cause as Error).message}`, {
      cause,
      hint: 'install the PostgreSQL client tools (pg_dump) matching the server, and check the database URL',
    });
  }
}
