/**
 * The notary's keys, as files under `<data>/keys/` (mode 0600, never logged):
 *   log/<keyid>.key   C2SP note signer keys (Go `PRIVATE+KEY+…` format). Every key present
 *                     signs each checkpoint, which is how rotation dual-signs (spec §8).
 *   admin.key         JSON {keyid, seed}: the Ed25519 key that signs auditor add/remove
 *                     entries. Kept separate so the online log key cannot mint auditors.
 * readNotaryKeys only reads; generate/rotate are the operator's commands.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import {
  VetError,
  ed25519KeyPairFromSeed,
  generateEd25519KeyPair,
  generateNoteSigner,
  parseSignerKey,
} from '@vet/core';
import { writeFileAtomicSync } from '@vet/core/node';

export interface AdminKey {
  keyid: string;
  publicKey: Uint8Array;
  /** 64-byte tweetnacl-layout secret key. */
  secretKey: Uint8Array;
}

export interface NotaryKeys {
  /** Note signer key strings, oldest first. */
  logSigners: string[];
  /** Matching verifier keys (vkeys), published at /v1/keys. */
  logVerifiers: string[];
  admin: AdminKey;
}

export const keysDir = (dataDir: string) => join(dataDir, 'keys');
const logKeysDir = (dataDir: string) => join(keysDir(dataDir), 'log');
const adminKeyPath = (dataDir: string) => join(keysDir(dataDir), 'admin.key');

export function adminKeyId(publicKey: Uint8Array): string {
  return `vet-notary-admin:${createHash('sha256').update(publicKey).digest('hex').slice(0, 16)}`;
}

export function readNotaryKeys(dataDir: string): NotaryKeys {
  const dir = logKeysDir(dataDir);
  let files: string[];
  try {
    files = readdirSync(dir)
      .filter((f) => f.endsWith('.key'))
      .sort();
  } catch (cause) {
    throw new VetError('NOT_FOUND', `no log keys in ${dir}`, { cause, hint: 'run `vet-notary init` first' });
  }
  if (files.length === 0) throw new VetError('NOT_FOUND', `no log keys in ${dir}`);
  // Sorted by file name = `<seq>-<keyid>.key`, so oldest first.
  const logSigners = files.map((f) => readFileSync(join(dir, f), 'utf8').trim());
  const logVerifiers = logSigners.map((s) => parseSignerKey(s).vkey);
  return { logSigners, logVerifiers, admin: readAdminKey(dataDir) };
}

function readAdminKey(dataDir: string): AdminKey {
  const path = adminKeyPath(dataDir);
  let raw: { keyid?: unknown; seed?: unknown };
  try {
    raw = JSON.parse(readFileSync(path, 'utf8')) as typeof raw;
  } catch (cause) {
    throw new VetError('PARSE_ERROR', `cannot read admin key ${path}`, { file: path, cause });
  }
  if (typeof raw.seed !== 'string' || !/^[0-9a-f]{64}$/.test(raw.seed))
    throw new VetError('PARSE_ERROR', `${path}: seed must be 64 hex digits`, { file: path });
  const pair = ed25519KeyPairFromSeed(new Uint8Array(Buffer.from(raw.seed, 'hex')));
  const keyid = adminKeyId(pair.publicKey);
  if (raw.keyid !== keyid) throw new VetError('PARSE_ERROR', `${path}: keyid does not match the key`, { file: path });
  return { keyid, publicKey: pair.publicKey, secretKey: pair.secretKey };
}

function writeSecret(path: string, text: string): void {
  writeFileAtomicSync(path, text, { mode: 0o600 });
}

/** Adds a new log key; existing keys stay (dual-signing) until retired. Returns its vkey. */
export function addLogKey(dataDir: string, origin: string): string {
  const dir = logKeysDir(dataDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const seqs = readdirSync(dir)
    .filter((f) => f.endsWith('.key'))
    .map((f) => Number.parseInt(f, 10))
    .filter(Number.isFinite);
  const seq = seqs.length === 0 ? 0 : Math.max(...seqs) + 1;
  const { signerKey, verifierKey } = generateNoteSigner(origin);
  const id = verifierKey.split('+')[1] ?? 'key';
  writeSecret(join(dir, `${String(seq).padStart(4, '0')}-${id}.key`), signerKey + '\n');
  return verifierKey;
}

/** Removes every log key but the newest (end of a rotation). Returns the retired vkeys. */
export function retireOldLogKeys(dataDir: string, archiveDir: string): string[] {
  const dir = logKeysDir(dataDir);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.key'))
    .sort();
  mkdirSync(archiveDir, { recursive: true, mode: 0o700 });
  const retired: string[] = [];
  for (const f of files.slice(0, -1)) {
    retired.push(parseSignerKey(readFileSync(join(dir, f), 'utf8').trim()).vkey);
    renameSync(join(dir, f), join(archiveDir, f));
  }
  return retired;
}

export function createAdminKey(dataDir: string): AdminKey {
  const path = adminKeyPath(dataDir);
  if (existsSync(path)) throw new VetError('STORE_EXISTS', `${path} already exists`);
  mkdirSync(keysDir(dataDir), { recursive: true, mode: 0o700 });
  const pair = generateEd25519KeyPair();
  const keyid = adminKeyId(pair.publicKey);
  writeSecret(path, JSON.stringify({ keyid, seed: Buffer.from(pair.secretKey.slice(0, 32)).toString('hex') }) + '\n');
  return { keyid, publicKey: pair.publicKey, secretKey: pair.secretKey };
}
