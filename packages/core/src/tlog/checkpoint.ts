/**
 * C2SP tlog-checkpoint v1.0.0 and tlog-cosignature v1 (notary.md §1.2, §1.4, §1.7).
 *
 * Checkpoint text = origin line, tree size (decimal, no leading zeros), base64 root hash,
 * then optional extension lines; every line non-empty and "\n"-terminated. A checkpoint is
 * only used after its log signature verified, and its size and root are only meaningful
 * together (an inclusion proof does not bind the size).
 */
import { VetError } from '../errors.js';
import { bytesEqual, decodeBase64Strict, encodeBase64, isBytes } from '../sig/bytes.js';
import { EMPTY_TREE_ROOT, MERKLE_HASH_BYTES } from './merkle.js';
import {
  NOTE_ALG_COSIGNATURE_V1,
  NOTE_ALG_ED25519,
  noteSignatureLine,
  openNote,
  parseSignatureLine,
  parseSignerKey,
  parseVerifierKey,
  requireValidText,
  type NoteSignatureInfo,
} from './note.js';

export interface Checkpoint {
  origin: string;
  size: number;
  rootHash: Uint8Array;
  /** Opaque extension lines after the root hash (NOT RECOMMENDED by the spec, but allowed). */
  extensions: string[];
}

export interface VerifiedCheckpoint extends Checkpoint {
  /** The exact signed text (what cosignatures and consistency checks refer to). */
  text: string;
  /** Every signature line of the note; witnesses' are verified only if their keys were given. */
  signatures: NoteSignatureInfo[];
}

export interface WitnessCosignature {
  name: string;
  keyId: string;
  /** POSIX seconds the witness signed at. */
  timestamp: number;
}

/** Formats checkpoint text (unsigned); sign it with signNote. */
export function formatCheckpoint(cp: {
  origin: string;
  size: number;
  rootHash: Uint8Array;
  extensions?: readonly string[];
}): string {
  if (!isOriginLine(cp.origin))
    throw new VetError('INVALID_ARGUMENT', `invalid checkpoint origin ${JSON.stringify(cp.origin)}`);
  if (!Number.isSafeInteger(cp.size) || cp.size < 0)
    throw new VetError('INVALID_ARGUMENT', `invalid tree size ${String(cp.size)}`);
  if (!isBytes(cp.rootHash, MERKLE_HASH_BYTES)) throw new VetError('INVALID_ARGUMENT', 'root hash must be 32 bytes');
  if (cp.size === 0 && !bytesEqual(cp.rootHash, EMPTY_TREE_ROOT)) {
    throw new VetError('INVALID_ARGUMENT', 'an empty tree has root SHA-256("")');
  }
  const extensions = cp.extensions ?? [];
  for (const e of extensions) {
    if (!isOriginLine(e))
      throw new VetError('INVALID_ARGUMENT', `invalid checkpoint extension line ${JSON.stringify(e)}`);
  }
  const text = [cp.origin, String(cp.size), encodeBase64(cp.rootHash), ...extensions].map((l) => `${l}\n`).join('');
  requireValidText(text, 'INVALID_ARGUMENT');
  return text;
}

/** Strict parse of checkpoint text (the note text, not the signed note). Throws PARSE_ERROR. */
export function parseCheckpoint(text: string, fileName?: string): Checkpoint {
  const bad = (why: string, line?: number): VetError =>
    new VetError('PARSE_ERROR', `malformed checkpoint: ${why}`, { file: fileName, line });
  if (typeof text !== 'string' || !text.endsWith('\n')) throw bad('text must end with a newline');
  requireValidText(text, 'PARSE_ERROR');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) throw bad('want origin, size and root hash lines');
  const emptyAt = lines.findIndex((l) => l.length === 0);
  if (emptyAt >= 0) throw bad('empty line', emptyAt + 1);
  const [origin, sizeText, rootText, ...extensions] = lines as [string, string, string, ...string[]];
  if (!/^(0|[1-9][0-9]*)$/.test(sizeText)) throw bad('tree size must be decimal without leading zeros', 2);
  const size = Number(sizeText);
  if (!Number.isSafeInteger(size)) throw bad(`tree size above ${Number.MAX_SAFE_INTEGER} is not supported`, 2);
  const rootHash = decodeBase64Strict(rootText);
  if (rootHash === undefined || rootHash.length !== MERKLE_HASH_BYTES)
    throw bad('root hash must be base64 of 32 bytes', 3);
  if (size === 0 && !bytesEqual(rootHash, EMPTY_TREE_ROOT)) throw bad('size 0 with a root other than SHA-256("")', 3);
  return { origin, size, rootHash, extensions };
}

/**
 * Opens a signed checkpoint with the log's verifier key and parses it. The origin must equal
 * `options.origin`, or the key name when no origin is given (our logs name keys after the
 * origin; pass the origin explicitly for logs like sum.golang.org that do not).
 * Throws PARSE_ERROR or SIGNATURE_INVALID.
 */
export function verifyCheckpoint(
  note: string | Uint8Array,
  verifierKey: string,
  options: { origin?: string; fileName?: string } = {},
): VerifiedCheckpoint {
  const key = parseVerifierKey(verifierKey);
  if (key.type !== NOTE_ALG_ED25519)
    throw new VetError('INVALID_ARGUMENT', 'a log key must be an Ed25519 (type 0x01) key');
  const opened = openNote(note, [verifierKey], { fileName: options.fileName });
  const checkpoint = parseCheckpoint(opened.text, options.fileName);
  const origin = options.origin ?? key.name;
  if (checkpoint.origin !== origin) {
    throw new VetError(
      'SIGNATURE_INVALID',
      `checkpoint is for origin ${JSON.stringify(checkpoint.origin)}, expected ${JSON.stringify(origin)}`,
      {
        file: options.fileName,
      },
    );
  }
  return { ...checkpoint, text: opened.text, signatures: opened.signatures };
}

/** A witness's cosignature line (type 0x04 key) over checkpoint text, at `timestamp` seconds. */
export function signCosignature(checkpointText: string, cosignerKey: string, timestamp: number): string {
  const signer = parseSignerKey(cosignerKey);
  if (signer.type !== NOTE_ALG_COSIGNATURE_V1)
    throw new VetError('INVALID_ARGUMENT', 'a cosigner key must have type 0x04');
  requireValidText(checkpointText, 'INVALID_ARGUMENT');
  return noteSignatureLine(checkpointText, signer, timestamp);
}

/**
 * Verifies one cosignature line (e.g. a witness's add-checkpoint response) against the
 * witness's vkey. Throws SIGNATURE_INVALID if the line is not by that key or does not verify.
 */
export function verifyCosignature(
  checkpointText: string,
  signatureLine: string,
  cosignerVkey: string,
): WitnessCosignature {
  const key = parseVerifierKey(cosignerVkey);
  if (key.type !== NOTE_ALG_COSIGNATURE_V1)
    throw new VetError('INVALID_ARGUMENT', 'a cosigner key must have type 0x04');
  const line = signatureLine.endsWith('\n') ? signatureLine.slice(0, -1) : signatureLine;
  const sig = parseSignatureLine(line);
  if (sig === undefined) throw new VetError('PARSE_ERROR', 'malformed cosignature line');
  if (sig.name !== key.name || !bytesEqual(sig.keyId, key.keyId)) {
    throw new VetError('SIGNATURE_INVALID', `cosignature is not by ${key.name}+${key.keyIdHex}`);
  }
  requireValidText(checkpointText, 'PARSE_ERROR');
  const opened = openNote(`${checkpointText}\n${line}\n`, [cosignerVkey]);
  const info = opened.signatures[0]!;
  return { name: info.name, keyId: info.keyId, timestamp: info.timestamp! };
}

export interface WitnessPolicy {
  /** The log's verifier key (type 0x01). */
  logKey: string;
  /** Expected origin; defaults to the log key's name. */
  origin?: string;
  /** Witness verifier keys (type 0x04). */
  witnesses: readonly string[];
  /** How many distinct witnesses must have cosigned (k of n). */
  quorum: number;
  /** Current time, POSIX seconds (the caller's clock). */
  now: number;
  /** Tolerated clock skew for future timestamps; default 60 s. */
  maxSkewSeconds?: number;
  /** Cosignatures older than this do not count (freeze defence); default: no limit. */
  maxAgeSeconds?: number;
  fileName?: string;
}

/**
 * Verifies the log signature and counts fresh cosignatures of distinct configured witnesses
 * (notary.md §1.7 step 3). Any configured key whose signature fails rejects the note.
 * Throws SIGNATURE_INVALID when the quorum is not met, CHECKPOINT_STALE when it would be met
 * but for too-old (or future) cosignatures.
 */
export function verifyWitnessQuorum(
  note: string | Uint8Array,
  policy: WitnessPolicy,
): { checkpoint: VerifiedCheckpoint; witnesses: WitnessCosignature[] } {
  const witnessKeys = policy.witnesses.map(parseVerifierKey);
  if (witnessKeys.some((k) => k.type !== NOTE_ALG_COSIGNATURE_V1)) {
    throw new VetError('INVALID_ARGUMENT', 'witness keys must have type 0x04 (timestamped cosignatures)');
  }
  if (!Number.isInteger(policy.quorum) || policy.quorum < 0 || policy.quorum > witnessKeys.length) {
    throw new VetError('INVALID_ARGUMENT', `quorum ${policy.quorum} is not between 0 and ${witnessKeys.length}`);
  }
  const checkpoint = verifyCheckpoint(note, policy.logKey, { origin: policy.origin, fileName: policy.fileName });
  const opened = openNote(note, [policy.logKey, ...policy.witnesses], { fileName: policy.fileName });
  const skew = policy.maxSkewSeconds ?? 60;
  const fresh: WitnessCosignature[] = [];
  const counted = new Set<string>();
  let stale = 0;
  for (const sig of opened.signatures) {
    const key = witnessKeys.find((k) => k.name === sig.name && k.keyIdHex === sig.keyId);
    if (!sig.verified || key === undefined || sig.timestamp === undefined) continue;
    const id = encodeBase64(key.publicKey); // one key = one witness, whatever its names
    if (counted.has(id)) continue;
    const tooNew = sig.timestamp > policy.now + skew;
    const tooOld = policy.maxAgeSeconds !== undefined && sig.timestamp < policy.now - policy.maxAgeSeconds;
    if (tooNew || tooOld) {
      stale++;
      continue;
    }
    counted.add(id);
    fresh.push({ name: sig.name, keyId: sig.keyId, timestamp: sig.timestamp });
  }
  if (fresh.length < policy.quorum) {
    const code = fresh.length + stale >= policy.quorum ? 'CHECKPOINT_STALE' : 'SIGNATURE_INVALID';
    throw new VetError(code, `checkpoint has ${fresh.length} valid witness cosignatures, need ${policy.quorum}`, {
      file: policy.fileName,
      details: { fresh: fresh.length, stale, quorum: policy.quorum },
    });
  }
  return { checkpoint, witnesses: fresh };
}

function isOriginLine(line: unknown): line is string {
  return typeof line === 'string' && line.length > 0 && !line.includes('\n');
}
