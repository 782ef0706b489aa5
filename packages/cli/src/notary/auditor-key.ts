/**
 * An auditor's personal Ed25519 signing key (notary.md §10.5: auditors sign audits, the log
 * only signs checkpoints). File format, one JSON object, mode 0600:
 *   {"format":"vet-auditor-key/v1","keyid":"vet-auditor:<16 hex>","publicKey":"<base64>","seed":"<64 hex>"}
 * keyid = "vet-auditor:" + the first 16 hex digits of SHA-256(public key), the form the
 * notary operator registers by default. parseAuditorKey is pure; the rest is file I/O.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { VetError, ed25519KeyPairFromSeed, generateEd25519KeyPair, type Ed25519KeyPair } from '@vet/core';
import { writeFileAtomic } from '@vet/core/node';

export const AUDITOR_KEY_FORMAT = 'vet-auditor-key/v1';

export interface AuditorKey extends Ed25519KeyPair {
  keyid: string;
}

export function auditorKeyIdFor(publicKey: Uint8Array): string {
  return `vet-auditor:${createHash('sha256').update(publicKey).digest('hex').slice(0, 16)}`;
}

export function defaultAuditorKeyPath(env: NodeJS.ProcessEnv): string {
  const base = env['XDG_CONFIG_HOME'] || path.join(env['HOME'] ?? os.homedir(), '.config');
  return path.join(base, 'vet', 'auditor.key');
}

export function formatAuditorKey(key: AuditorKey): string {
  const seed = Buffer.from(key.secretKey.subarray(0, 32)).toString('hex');
  return (
    JSON.stringify({
      format: AUDITOR_KEY_FORMAT,
      keyid: key.keyid,
      publicKey: Buffer.from(key.publicKey).toString('base64'),
      seed,
    }) + '\n'
  );
}

/** Pure. Never echoes the secret in an error. */
export function parseAuditorKey(text: string, fileName: string): AuditorKey {
  const bad = (why: string) =>
    new VetError('PARSE_ERROR', `invalid auditor key file: ${why}`, {
      file: fileName,
      hint: 'create one with `vet auditor keygen`',
    });
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw bad('not JSON');
  }
  if (raw?.format !== AUDITOR_KEY_FORMAT) throw bad(`format is not ${AUDITOR_KEY_FORMAT}`);
  if (typeof raw.seed !== 'string' || !/^[0-9a-f]{64}$/.test(raw.seed))
    throw bad('seed must be 64 lowercase hex digits');
  const pair = ed25519KeyPairFromSeed(new Uint8Array(Buffer.from(raw.seed, 'hex')));
  const keyid = auditorKeyIdFor(pair.publicKey);
  if (raw.keyid !== keyid || raw.publicKey !== Buffer.from(pair.publicKey).toString('base64'))
    throw bad('keyid or publicKey does not match the seed');
  return { ...pair, keyid };
}

export async function readAuditorKey(file: string): Promise<AuditorKey> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new VetError('INVALID_ARGUMENT', `cannot read the auditor key ${file}`, {
      file,
      cause,
      hint: 'create one with `vet auditor keygen`, or pass --key-file',
    });
  }
  return parseAuditorKey(text, file);
}

/** Creates a new key file (0600) at `file`; refuses to overwrite an existing one. */
export async function writeNewAuditorKey(file: string): Promise<AuditorKey> {
  const pair = generateEd25519KeyPair();
  const key: AuditorKey = { ...pair, keyid: auditorKeyIdFor(pair.publicKey) };
  try {
    await writeFileAtomic(file, formatAuditorKey(key), { mode: 0o600, mkdirMode: 0o700, noReplace: true });
  } catch (e) {
    if (e instanceof VetError && e.details?.['errno'] === 'EEXIST') {
      throw new VetError('INVALID_ARGUMENT', `${file} already exists; refusing to overwrite an auditor key`, {
        file,
        hint: 'pass --out with another path',
      });
    }
    throw e;
  }
  return key;
}
