/**
 * `vet-notary backup`: an online, consistent copy of the database via SQLite's backup API
 * (better-sqlite3 `db.backup`), plus the config. Keys are copied only when asked: they are
 * secrets and usually belong in a different vault than the data. Static tiles are not
 * copied — they are derivable and rebuilt on start. Restoring is only safe if the restored
 * log extends the last *published* checkpoint (spec/notary.md §8); `serve` refuses a
 * database whose entries do not hash to its own latest checkpoint.
 */
import { copyFileSync, cpSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { VetError } from '@vet/core';
import { openNotaryDb } from './db/open.js';
import { paths } from './datadir.js';
import { keysDir } from './keys.js';

export async function backupNotary(
  dataDir: string,
  destDir: string,
  opts: { includeKeys?: boolean } = {},
): Promise<{ files: string[] }> {
  if (existsSync(join(destDir, 'notary.db'))) throw new VetError('STORE_EXISTS', `${destDir} already holds a backup`);
  mkdirSync(destDir, { recursive: true });
  const p = paths(dataDir);
  const db = openNotaryDb(p.db, { readonly: true });
  try {
    await db.backup(join(destDir, 'notary.db'));
  } finally {
    db.close();
  }
  copyFileSync(p.config, join(destDir, 'notary.json'));
  const files = ['notary.db', 'notary.json'];
  if (opts.includeKeys) {
    cpSync(keysDir(dataDir), join(destDir, 'keys'), { recursive: true, filter: (src) => !src.endsWith('admin.token') });
    files.push('keys/');
  }
  return { files };
}
