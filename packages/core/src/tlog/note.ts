/**
 * C2SP signed-note v1.0.0 (notary.md §1.1): key IDs, verifier/signer key strings, signing
 * and strict opening of notes, with Ed25519 (type 0x01) and timestamped Ed25519
 * cosignatures (type 0x04, c2sp.org/tlog-cosignature v1).
 *
 * Layout: text (ends in "\n") ‖ "\n" ‖ one or more "— <name> <base64(keyID ‖ sig)>\n" lines;
 * the LAST "\n\n" splits text from signatures. Rules applied when opening: signatures whose
 * (name, key ID) match no verifier are ignored; a matching one that fails rejects the note;
 * no verified signature rejects the note.
 */
import { Buffer } from 'node:buffer';
import { VetError } from '../errors.js';
import { ed25519KeyPairFromSeed, ed25519Sign, ed25519Verify, generateEd25519KeyPair } from '../sig/ed25519.js';
import {
  bytesEqual,
  concatBytes,
  decodeBase64Strict,
  encodeBase64,
  hasLoneSurrogate,
  isBytes,
  toHex,
  utf8DecodeStrict,
  utf8Encode,
} from '../sig/bytes.js';
import { sha256 } from './merkle.js';

/** Signature type 0x01: Ed25519 over the note text. */
export const NOTE_ALG_ED25519 = 0x01;
/** Signature type 0x04: Ed25519 cosignature over "cosignature/v1\ntime <t>\n" ‖ text. */
export const NOTE_ALG_COSIGNATURE_V1 = 0x04;
/** Caps against endless data (notary.md §5); C2SP requires accepting at least 16 signatures. */
export const NOTE_MAX_BYTES = 128 * 1024;
export const NOTE_MAX_SIGNATURES = 100;

const EM_DASH = '\u2014';
const SIG_LINE = /^\u2014 (\S+) (\S+)$/u;
// eslint-disable-next-line no-control-regex -- the control characters are the point
const CONTROL = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/u;
const MAX_TIMESTAMP = 2n ** 63n - 1n;

export interface NoteVerifier {
  name: string;
  type: number;
  keyId: Uint8Array;
  /** 8 lowercase hex digits, as in the vkey. */
  keyIdHex: string;
  publicKey: Uint8Array;
  vkey: string;
}

export interface NoteSigner extends NoteVerifier {
  /** 64 bytes, tweetnacl layout (seed ‖ public key). */
  secretKey: Uint8Array;
}

export interface NoteKeyStrings {
  /** `PRIVATE+KEY+<name>+<hex id>+<base64(type ‖ seed)>` (golang.org/x/mod/sumdb/note format). */
  signerKey: string;
  /** `<name>+<hex id>+<base64(type ‖ public key)>`. */
  verifierKey: string;
}

export interface NoteSignatureInfo {
  name: string;
  /** 8 lowercase hex digits. */
  keyId: string;
  /** false = no verifier matched (name, key ID): the signature was ignored. */
  verified: boolean;
  /** Signature type, when verified. */
  type?: number;
  /** Cosignature time (POSIX seconds), for verified type-0x04 signatures. */
  timestamp?: number;
}

export interface OpenedNote {
  text: string;
  signatures: NoteSignatureInfo[];
}

/** A signature line split into its parts, before any verification. */
export interface RawNoteSignature {
  name: string;
  keyId: Uint8Array;
  /** The signature bytes after the 4-byte key ID (for type 0x04: timestamp ‖ signature). */
  sig: Uint8Array;
  line: string;
}

/** Key ID = SHA-256(name ‖ 0x0A ‖ type ‖ public key)[0:4]. */
export function noteKeyId(name: string, algByte: number, publicKey: Uint8Array): Uint8Array {
  return sha256(concatBytes(utf8Encode(name), Uint8Array.of(0x0a, algByte), publicKey)).slice(0, 4);
}

/** Key names: non-empty, no Unicode whitespace, no "+", no control characters. */
export function isValidNoteKeyName(name: string): boolean {
  return typeof name === 'string' && /^[^\s+]+$/u.test(name) && !CONTROL.test(name) && !hasLoneSurrogate(name);
}

/** A fresh key pair as signer/verifier strings. Type 0x04 makes a witness (cosigner) key. */
export function generateNoteSigner(name: string, type: number = NOTE_ALG_ED25519): NoteKeyStrings {
  return noteSignerFromSeed(name, generateEd25519KeyPair().secretKey.slice(0, 32), type);
}

/** Deterministic signer/verifier strings from a 32-byte seed. */
export function noteSignerFromSeed(name: string, seed: Uint8Array, type: number = NOTE_ALG_ED25519): NoteKeyStrings {
  if (!isValidNoteKeyName(name))
    throw new VetError('INVALID_ARGUMENT', `invalid note key name ${JSON.stringify(name)}`);
  requireSupportedType(type, 'INVALID_ARGUMENT');
  const { publicKey } = ed25519KeyPairFromSeed(seed);
  const id = toHex(noteKeyId(name, type, publicKey));
  return {
    signerKey: `PRIVATE+KEY+${name}+${id}+${encodeBase64(concatBytes(Uint8Array.of(type), seed))}`,
    verifierKey: `${name}+${id}+${encodeBase64(concatBytes(Uint8Array.of(type), publicKey))}`,
  };
}

/** Parses `<name>+<hex id>+<base64(type ‖ key)>`; the ID must match the key. Throws PARSE_ERROR. */
export function parseVerifierKey(vkey: string): NoteVerifier {
  const [name, idHex, keyB64] = splitKeyString(vkey, 'verifier key');
  const bytes = decodeBase64Strict(keyB64);
  const bad = (why: string): VetError =>
    new VetError('PARSE_ERROR', `invalid verifier key ${JSON.stringify(vkey)}: ${why}`);
  if (bytes === undefined || bytes.length !== 33) throw bad('key is not base64 of a type byte and 32 key bytes');
  const type = bytes[0]!;
  requireSupportedType(type, 'PARSE_ERROR');
  const publicKey = bytes.slice(1);
  if (toHex(noteKeyId(name, type, publicKey)) !== idHex) throw bad('key ID does not match the key');
  return { name, type, keyId: noteKeyId(name, type, publicKey), keyIdHex: idHex, publicKey, vkey };
}

/** Parses `PRIVATE+KEY+<name>+<hex id>+<base64(type ‖ seed)>`. Throws PARSE_ERROR. */
export function parseSignerKey(skey: string): NoteSigner {
  // Never echo the key itself in an error: it is secret.
  const bad = (why: string): VetError => new VetError('PARSE_ERROR', `invalid signer key: ${why}`);
  if (typeof skey !== 'string' || !skey.startsWith('PRIVATE+KEY+')) throw bad('must start with PRIVATE+KEY+');
  const [name, idHex, keyB64] = splitKeyString(skey.slice('PRIVATE+KEY+'.length), 'signer key', true);
  const bytes = decodeBase64Strict(keyB64);
  if (bytes === undefined || bytes.length !== 33) throw bad('key is not base64 of a type byte and a 32-byte seed');
  const type = bytes[0]!;
  requireSupportedType(type, 'PARSE_ERROR');
  const { publicKey, secretKey } = ed25519KeyPairFromSeed(bytes.slice(1));
  const keyId = noteKeyId(name, type, publicKey);
  if (toHex(keyId) !== idHex) throw bad('key ID does not match the key');
  const vkey = `${name}+${idHex}+${encodeBase64(concatBytes(Uint8Array.of(type), publicKey))}`;
  return { name, type, keyId, keyIdHex: idHex, publicKey, vkey, secretKey };
}

/** What a type-0x04 cosigner signs: "cosignature/v1\ntime <t>\n" ‖ text (tlog-cosignature v1). */
export function cosignatureMessage(text: string, timestamp: number | bigint): Uint8Array {
  const t = BigInt(timestamp);
  if (t < 0n || t > MAX_TIMESTAMP) throw new VetError('INVALID_ARGUMENT', 'cosignature time must be 0…2^63−1');
  return utf8Encode(`cosignature/v1\ntime ${t.toString()}\n${text}`);
}

/**
 * Signs `text` and returns the full note. Cosigner (type 0x04) keys need `timestamp`
 * (POSIX seconds): the clock is the caller's.
 */
export function signNote(
  text: string,
  signerKey: string | readonly string[],
  options: { timestamp?: number } = {},
): string {
  requireValidText(text, 'INVALID_ARGUMENT');
  const keys = typeof signerKey === 'string' ? [signerKey] : signerKey;
  if (keys.length === 0) throw new VetError('INVALID_ARGUMENT', 'signNote needs at least one signer key');
  const lines = keys.map((k) => noteSignatureLine(text, parseSignerKey(k), options.timestamp));
  return `${text}\n${lines.join('')}`;
}

/** One "— name base64\n" line signing `text` with a parsed signer. */
export function noteSignatureLine(text: string, signer: NoteSigner, timestamp?: number): string {
  let blob: Uint8Array;
  if (signer.type === NOTE_ALG_ED25519) {
    blob = ed25519Sign(utf8Encode(text), signer.secretKey);
  } else {
    if (timestamp === undefined || !Number.isSafeInteger(timestamp) || timestamp < 0) {
      throw new VetError('INVALID_ARGUMENT', 'a cosignature needs a non-negative integer timestamp');
    }
    const time = new Uint8Array(8);
    new DataView(time.buffer).setBigUint64(0, BigInt(timestamp));
    blob = concatBytes(time, ed25519Sign(cosignatureMessage(text, timestamp), signer.secretKey));
  }
  return `${EM_DASH} ${signer.name} ${encodeBase64(concatBytes(signer.keyId, blob))}\n`;
}

/**
 * Splits a note into text and signature lines, checking only the structure (UTF-8, no
 * control characters but "\n", size and count caps, line format). Duplicate lines are dropped.
 * Throws VetError PARSE_ERROR.
 */
export function parseNote(
  note: string | Uint8Array,
  options: { fileName?: string; maxSignatures?: number } = {},
): { text: string; signatures: RawNoteSignature[] } {
  const file = options.fileName;
  const bad = (why: string, line?: number): VetError =>
    new VetError('PARSE_ERROR', `malformed signed note: ${why}`, { file, line });
  const msg = noteString(note, bad);
  const control = CONTROL.exec(msg);
  if (control !== null)
    throw bad(
      `control character U+${control[0].charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}`,
      lineAt(msg, control.index),
    );
  const split = msg.lastIndexOf('\n\n');
  if (split < 0) throw bad('no blank line between text and signatures');
  const text = msg.slice(0, split + 1);
  const sigBlock = msg.slice(split + 2);
  if (!sigBlock.endsWith('\n')) throw bad('signature block must end with a newline', lineAt(msg, msg.length));
  const firstSigLine = lineAt(msg, split + 2);
  const lines = [...new Set(sigBlock.slice(0, -1).split('\n'))];
  const max = options.maxSignatures ?? NOTE_MAX_SIGNATURES;
  if (lines.length > max) throw bad(`more than ${max} signatures`);
  const signatures = lines.map((line, i) => {
    const sig = parseSignatureLine(line);
    if (sig === undefined) throw bad('bad signature line (want "— <name> <base64>")', firstSigLine + i);
    return sig;
  });
  return { text, signatures };
}

/** Parses one signature line (without its "\n"); undefined if malformed. */
export function parseSignatureLine(line: string): RawNoteSignature | undefined {
  const m = SIG_LINE.exec(line);
  if (m === null || !isValidNoteKeyName(m[1]!)) return undefined;
  const blob = decodeBase64Strict(m[2]!);
  if (blob === undefined || blob.length < 5) return undefined;
  return { name: m[1]!, keyId: blob.slice(0, 4), sig: blob.slice(4), line: `${line}\n` };
}

/**
 * Opens a signed note: strict parse, then verification against `verifiers` (vkey strings).
 * Throws PARSE_ERROR for malformed notes and SIGNATURE_INVALID when a known key's
 * signature fails or no known key signed.
 */
export function openNote(
  note: string | Uint8Array,
  verifiers: readonly string[],
  options: { fileName?: string; maxSignatures?: number } = {},
): OpenedNote {
  const keys = verifiers.map(parseVerifierKey);
  const { text, signatures: raw } = parseNote(note, options);
  const signatures = raw.map((sig): NoteSignatureInfo => {
    const matches = keys.filter((k) => k.name === sig.name && bytesEqual(k.keyId, sig.keyId));
    const info: NoteSignatureInfo = { name: sig.name, keyId: toHex(sig.keyId), verified: false };
    if (matches.length === 0) return info; // unknown (name, key ID): ignored, not an error
    const timestamp = matches.map((k) => verifySignature(text, sig, k)).find((t) => t !== undefined);
    if (timestamp === undefined) {
      throw new VetError('SIGNATURE_INVALID', `signature by ${sig.name} (${info.keyId}) does not verify`, {
        file: options.fileName,
      });
    }
    info.verified = true;
    info.type = matches[0]!.type;
    if (timestamp !== null) info.timestamp = timestamp;
    return info;
  });
  if (!signatures.some((s) => s.verified)) {
    throw new VetError('SIGNATURE_INVALID', 'note has no signature by a known key', {
      file: options.fileName,
      hint: `expected one of: ${keys.map((k) => k.name).join(', ') || '(no keys configured)'}`,
    });
  }
  return { text, signatures };
}

/** Adds signature lines (e.g. witness cosignatures) to a signed note, dropping duplicates. */
export function appendNoteSignatures(note: string, signatureLines: readonly string[]): string {
  const { signatures } = parseNote(note);
  const have = new Set(signatures.map((s) => s.line));
  let out = note;
  for (const raw of signatureLines) {
    const line = raw.endsWith('\n') ? raw : `${raw}\n`;
    if (parseSignatureLine(line.slice(0, -1)) === undefined) {
      throw new VetError('PARSE_ERROR', `bad signature line ${JSON.stringify(raw)}`);
    }
    if (!have.has(line)) out += line;
    have.add(line);
  }
  parseNote(out); // re-check caps
  return out;
}

/** undefined = bad signature; null = verified, no timestamp; number = verified cosignature time. */
function verifySignature(text: string, sig: RawNoteSignature, key: NoteVerifier): number | null | undefined {
  if (key.type === NOTE_ALG_ED25519) {
    return ed25519Verify(sig.sig, utf8Encode(text), key.publicKey) ? null : undefined;
  }
  if (sig.sig.length !== 8 + 64) return undefined;
  const time = new DataView(sig.sig.buffer, sig.sig.byteOffset, 8).getBigUint64(0);
  if (time > MAX_TIMESTAMP) return undefined;
  return ed25519Verify(sig.sig.subarray(8), cosignatureMessage(text, time), key.publicKey) ? Number(time) : undefined;
}

/** Checks note text for signing: valid Unicode, ends in "\n", no control characters but "\n". */
export function requireValidText(text: string, code: 'INVALID_ARGUMENT' | 'PARSE_ERROR'): void {
  if (typeof text !== 'string' || text.length === 0 || !text.endsWith('\n')) {
    throw new VetError(code, 'note text must be non-empty and end with a newline');
  }
  if (CONTROL.test(text) || hasLoneSurrogate(text)) {
    throw new VetError(code, 'note text must be valid UTF-8 without control characters other than newline');
  }
}

function noteString(note: string | Uint8Array, bad: (why: string) => VetError): string {
  if (typeof note === 'string') {
    if (hasLoneSurrogate(note)) throw bad('not valid UTF-8');
    if (Buffer.byteLength(note, 'utf8') > NOTE_MAX_BYTES) throw bad(`larger than ${NOTE_MAX_BYTES} bytes`);
    return note;
  }
  if (!isBytes(note)) throw bad('not text');
  if (note.length > NOTE_MAX_BYTES) throw bad(`larger than ${NOTE_MAX_BYTES} bytes`);
  const text = utf8DecodeStrict(note);
  if (text === undefined) throw bad('not valid UTF-8');
  return text;
}

function splitKeyString(s: string, what: string, secret = false): [string, string, string] {
  const shown = secret ? '' : ` ${JSON.stringify(s)}`;
  if (typeof s !== 'string') throw new VetError('PARSE_ERROR', `invalid ${what}: not a string`);
  // base64 contains "+": split at the first two separators only (notary.md §11).
  const i = s.indexOf('+');
  const j = i < 0 ? -1 : s.indexOf('+', i + 1);
  if (j < 0) throw new VetError('PARSE_ERROR', `invalid ${what}${shown}: want <name>+<hex id>+<base64 key>`);
  const name = s.slice(0, i);
  const idHex = s.slice(i + 1, j);
  if (!isValidNoteKeyName(name)) throw new VetError('PARSE_ERROR', `invalid ${what}${shown}: bad key name`);
  if (!/^[0-9a-f]{8}$/.test(idHex))
    throw new VetError('PARSE_ERROR', `invalid ${what}${shown}: key ID must be 8 lowercase hex digits`);
  return [name, idHex, s.slice(j + 1)];
}

function requireSupportedType(type: number, code: 'PARSE_ERROR' | 'INVALID_ARGUMENT'): void {
  if (type !== NOTE_ALG_ED25519 && type !== NOTE_ALG_COSIGNATURE_V1) {
    throw new VetError(
      code,
      `unsupported note key type 0x${type.toString(16).padStart(2, '0')} (want 0x01 Ed25519 or 0x04 cosignature)`,
    );
  }
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
