/**
 * Log key rotation (spec/notary.md §8, §10.10): step 1 adds a new key and every checkpoint
 * is then signed by old and new (clients ignore signatures by keys they do not know, so
 * nobody breaks); once clients trust the new vkey, step 2 (`--finish`) retires the old keys
 * to keys/retired/. A running server picks the change up on restart.
 */
import { join } from 'node:path';
import { readNotaryConfig } from './config.js';
import { paths } from './datadir.js';
import { addLogKey, keysDir, readNotaryKeys, retireOldLogKeys } from './keys.js';

export function rotateLogKey(
  dataDir: string,
  opts: { finish?: boolean } = {},
): { active: string[]; added?: string; retired?: string[] } {
  if (opts.finish) {
    const retired = retireOldLogKeys(dataDir, join(keysDir(dataDir), 'retired'));
    return { active: readNotaryKeys(dataDir).logVerifiers, retired };
  }
  const { origin } = readNotaryConfig(paths(dataDir).config);
  const added = addLogKey(dataDir, origin);
  return { active: readNotaryKeys(dataDir).logVerifiers, added };
}
