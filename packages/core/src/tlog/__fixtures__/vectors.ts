/**
 * Test-only loader for the shared known-answer vectors in ../shared/vectors (read-only,
 * outside the repo). Tests use `describe.skipIf(!HAVE_VECTORS)` and say so when skipped.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// VET_VECTORS_DIR overrides the location (e.g. to check that the skip path works).
export const VECTORS_DIR =
  process.env.VET_VECTORS_DIR ?? fileURLToPath(new URL('../../../../../../shared/vectors/', import.meta.url));
export const HAVE_VECTORS = existsSync(VECTORS_DIR);

if (!HAVE_VECTORS) {
  console.warn(`[vectors] ${VECTORS_DIR} is absent: known-answer vector tests are SKIPPED`);
}

export function loadVectors<T = any>(relPath: string): T {
  return JSON.parse(readFileSync(join(VECTORS_DIR, relPath), 'utf8')) as T;
}

export const fromHexStr = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));
export const toHexStr = (b: Uint8Array): string => Buffer.from(b).toString('hex');
