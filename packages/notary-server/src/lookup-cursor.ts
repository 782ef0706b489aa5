/**
 * The `/v1/lookup` page cursor: opaque to clients (they pass back what `next` said), so the
 * paging scheme can change without breaking them. Today it is the last log index of the
 * previous page, as base64url of `v1:<index>`; anything else is refused as MALFORMED.
 */
import { NotaryError } from './errors.js';

/** Most entries one lookup page returns (and the default). */
export const LOOKUP_MAX_PAGE = 100;

export function encodeCursor(lastIndex: number): string {
  return Buffer.from(`v1:${lastIndex}`).toString('base64url');
}

export function decodeCursor(cursor: string): number {
  const text = /^[A-Za-z0-9_-]{1,32}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('latin1') : '';
  const m = /^v1:(0|[1-9]\d{0,15})$/.exec(text);
  if (m === null || encodeCursor(Number(m[1])) !== cursor)
    throw new NotaryError('MALFORMED', 'cursor is not one this notary gave out (pass back the `next` of a page)');
  return Number(m[1]);
}
