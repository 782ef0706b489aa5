/**
 * Checking downloaded bytes before anything else touches them (STYLE §9): the sha256 (or
 * sha384/sha512) of the exact bytes must equal a hash the lockfile recorded for that file.
 * Lockfiles that name files (uv, Poetry, pylock) are matched by file name; requirements and
 * Pipfile.lock list bare hashes, any of which may be the installed file. With no lockfile
 * hash the index's own sha256 is used, and a file with no hash at all is refused.
 */
import { createHash } from 'node:crypto';
import { VetError, type Integrity } from '@vet/core';
import type { PypiFile } from './simple-api.js';

const ALGOS = new Set(['sha256', 'sha384', 'sha512']);

export interface Verified {
  algo: string;
  digest: string;
  against: 'lockfile' | 'index';
}

/** Lockfile hashes that may describe `filename` (named for it, or unnamed). */
export function lockHashesFor(filename: string, integrity: readonly Integrity[]): Integrity[] {
  return integrity.filter(
    (i) => ALGOS.has(i.algo) && i.encoding === 'hex' && (i.file === undefined || i.file === filename),
  );
}

export function verifyPypiBytes(bytes: Uint8Array, file: PypiFile, integrity: readonly Integrity[]): Verified {
  const digest = (algo: string) => createHash(algo).update(bytes).digest('hex');
  const indexSha = file.hashes.sha256;
  // The index's own claim must hold too: a mismatch there means the bytes were swapped in transit.
  if (indexSha !== undefined && digest('sha256') !== indexSha)
    throw mismatch(file, 'sha256', indexSha, digest('sha256'), 'the index');
  const expected = lockHashesFor(file.filename, integrity);
  if (expected.length > 0) {
    for (const e of expected)
      if (digest(e.algo) === e.digest) return { algo: e.algo, digest: e.digest, against: 'lockfile' };
    const first = expected[0] as Integrity;
    throw mismatch(file, first.algo, expected.map((e) => e.digest).join(' | '), digest(first.algo), 'the lockfile');
  }
  if (indexSha !== undefined) return { algo: 'sha256', digest: indexSha, against: 'index' };
  throw new VetError(
    'INTEGRITY_MISMATCH',
    `${file.filename}: no hash to verify it against (neither the lockfile nor the index has one)`,
    {
      hint: 'vet does not use unverified archives; lock the package with hashes (pip-compile --generate-hashes, uv, poetry)',
    },
  );
}

function mismatch(file: PypiFile, algo: string, want: string, got: string, who: string): VetError {
  return new VetError('INTEGRITY_MISMATCH', `${file.filename}: ${algo} of the downloaded file does not match ${who}`, {
    hint: 'the download was discarded; someone may have replaced the file, or the lockfile is for a different file',
    details: { file: file.filename, algo, expected: want, actual: got },
  });
}
