/**
 * Re-reading an entry that is already in the log (start-up replay, verify). Its signature
 * was checked on admission and the leaf hash binds it to a signed checkpoint, so only the
 * statement is interpreted here; `vet-notary verify` re-checks signatures separately.
 */
import { NotaryError } from '../errors.js';
import { interpretStatement } from './interpret.js';
import type { EntryClaim } from './model.js';

export function interpretStored(leaf: Uint8Array, origin: string): EntryClaim {
  const env = JSON.parse(Buffer.from(leaf).toString('utf8')) as { payload?: unknown };
  if (typeof env.payload !== 'string') throw new NotaryError('MALFORMED', 'stored entry has no payload');
  const payload = Buffer.from(env.payload.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return interpretStatement(payload, origin);
}
