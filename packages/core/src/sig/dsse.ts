/**
 * DSSE v1.0.2 (secure-systems-lab/dsse; notary.md §6): the one envelope codec and the one
 * PAE of vet. Notary admission, the notary's start-up, `vet-notary verify` and every
 * client's replay decode log entries here, so they all read the same bytes the same way.
 *
 * Decoding never normalises: the bytes must be well-formed UTF-8 without a byte-order mark
 * (a BOM-stripping decoder would read what a strict one refuses), base64 must be canonical
 * (decodeBase64Dsse), every field has the type it must have. The signature covers
 * PAE(payloadType, payload), not the payload; the decoded payload is handed on as the exact
 * bytes whose signature is checked — callers never re-serialise and re-parse. `keyid` is
 * only a hint for picking the key; what counts is which trusted key verified.
 */
import { Buffer } from 'node:buffer';
import { VetError } from '../errors.js';
import { decodeBase64Dsse, encodeBase64, isBytes, isUtf8Bytes } from './bytes.js';
import { ed25519Sign, ed25519Verify } from './ed25519.js';
import { RuleRefusal } from './refusal.js';

/** The serialised form: what JSON.parse gives for an envelope. */
export interface DsseSignature {
  keyid?: string;
  /** base64 of the raw signature. */
  sig: string;
}

export interface DsseEnvelope {
  /** base64 of the payload bytes. */
  payload: string;
  payloadType: string;
  signatures: DsseSignature[];
}

/** An envelope decoded once: payload and signatures as bytes, and the PAE they sign. */
export interface DecodedDsse {
  payloadType: string;
  payload: Uint8Array;
  signatures: { keyid?: string; sig: Uint8Array }[];
  /** PAE(payloadType, payload): what every signature covers. */
  pae: Uint8Array;
}

export interface VerifiedDsse {
  /** The exact bytes whose signature verified. */
  payload: Uint8Array;
  payloadType: string;
  /** Distinct trusted key IDs (map keys) that verified. */
  keyids: string[];
}

/** How an envelope breaks the encoding (the notary's JSON error names the rule). */
export type DsseRule =
  | 'ENTRY_TOO_LARGE'
  | 'ENTRY_BOM'
  | 'ENTRY_NOT_UTF8'
  | 'ENTRY_NOT_JSON'
  | 'ENVELOPE_NOT_OBJECT'
  | 'ENVELOPE_PAYLOAD_TYPE'
  | 'ENVELOPE_PAYLOAD'
  | 'ENVELOPE_SIGNATURES'
  | 'ENVELOPE_SIG'
  | 'ENVELOPE_KEYID';

export interface DsseLimits {
  /** Largest serialised envelope (default 65,535: one tlog-tiles entry). */
  maxBytes?: number;
  /** Most signatures (default 16). */
  maxSignatures?: number;
  /** The only payloadType accepted, when set. */
  payloadType?: string;
  /** Exact decoded length of every `sig`, when set (64 for Ed25519). */
  sigBytes?: number;
  /** Named in errors. */
  fileName?: string;
}

export const DSSE_MAX_ENVELOPE_BYTES = 65_535;
export const DSSE_MAX_SIGNATURES = 16;
export const DSSE_MAX_KEYID_CHARS = 256;

/** PAE = "DSSEv1" SP len(type) SP type SP len(body) SP body, lengths in UTF-8 bytes; one buffer. */
export function dssePae(payloadType: string, payload: Uint8Array): Uint8Array {
  const head = `DSSEv1 ${Buffer.byteLength(payloadType)} ${payloadType} ${payload.length} `;
  const headBytes = Buffer.byteLength(head);
  const out = Buffer.allocUnsafe(headBytes + payload.length);
  out.write(head, 0, 'utf8');
  out.set(payload, headBytes);
  return out;
}

/** Signs `payload` into a one-signature envelope (pure Ed25519). */
export function signDsse(
  payload: Uint8Array,
  payloadType: string,
  key: { keyid?: string; secretKey: Uint8Array },
): DsseEnvelope {
  if (!isBytes(payload)) throw new VetError('INVALID_ARGUMENT', 'DSSE payload must be bytes');
  if (typeof payloadType !== 'string' || payloadType.length === 0) {
    throw new VetError('INVALID_ARGUMENT', 'DSSE payloadType must be a non-empty string');
  }
  const sig = encodeBase64(ed25519Sign(dssePae(payloadType, payload), key.secretKey));
  return {
    payload: encodeBase64(payload),
    payloadType,
    signatures: [key.keyid === undefined ? { sig } : { keyid: key.keyid, sig }],
  };
}

/**
 * Decodes a serialised envelope: size cap, no BOM, well-formed UTF-8, a JSON object, then
 * decodeDsseObject. Unknown fields are ignored (DSSE rule). Throws RuleRefusal PARSE_ERROR.
 */
export function decodeDsseEnvelope(bytes: Uint8Array | string, limits: DsseLimits = {}): DecodedDsse {
  const raw = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  const max = limits.maxBytes ?? DSSE_MAX_ENVELOPE_BYTES;
  const bad = refuse(limits.fileName);
  if (!isBytes(raw)) throw bad('ENVELOPE_NOT_OBJECT', 'not bytes');
  if (raw.length > max) throw bad('ENTRY_TOO_LARGE', `larger than ${max} bytes`);
  if (raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf)
    throw bad('ENTRY_BOM', 'starts with a UTF-8 byte-order mark');
  if (!isUtf8Bytes(raw)) throw bad('ENTRY_NOT_UTF8', 'not well-formed UTF-8');
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(raw.buffer, raw.byteOffset, raw.length).toString('utf8'));
  } catch {
    throw bad('ENTRY_NOT_JSON', 'not JSON');
  }
  return decodeDsseObject(json, limits);
}

/** The field rules of an envelope already parsed from JSON (or built in memory). */
export function decodeDsseObject(json: unknown, limits: DsseLimits = {}): DecodedDsse {
  const bad = refuse(limits.fileName);
  if (!isObject(json)) throw bad('ENVELOPE_NOT_OBJECT', 'not a JSON object');
  const { payload, payloadType, signatures } = json;
  if (typeof payloadType !== 'string' || payloadType.length === 0)
    throw bad('ENVELOPE_PAYLOAD_TYPE', 'payloadType must be a non-empty string');
  if (limits.payloadType !== undefined && payloadType !== limits.payloadType)
    throw bad('ENVELOPE_PAYLOAD_TYPE', `payloadType must be ${limits.payloadType}`);
  const body = typeof payload === 'string' ? decodeBase64Dsse(payload) : undefined;
  if (body === undefined) throw bad('ENVELOPE_PAYLOAD', 'payload must be a canonical base64 string');
  const max = limits.maxSignatures ?? DSSE_MAX_SIGNATURES;
  if (!Array.isArray(signatures) || signatures.length === 0 || signatures.length > max)
    throw bad('ENVELOPE_SIGNATURES', `signatures must list 1–${max} signatures`);
  const sigs = signatures.map((s: unknown, i) => decodeSignature(s, i, limits, bad));
  return { payloadType, payload: body, signatures: sigs, pae: dssePae(payloadType, body) };
}

function decodeSignature(
  s: unknown,
  i: number,
  limits: DsseLimits,
  bad: ReturnType<typeof refuse>,
): { keyid?: string; sig: Uint8Array } {
  if (!isObject(s)) throw bad('ENVELOPE_SIG', `signatures[${i}] is not an object`);
  const sig = typeof s.sig === 'string' ? decodeBase64Dsse(s.sig) : undefined;
  if (sig === undefined) throw bad('ENVELOPE_SIG', `signatures[${i}].sig must be a canonical base64 string`);
  if (limits.sigBytes !== undefined && sig.length !== limits.sigBytes)
    throw bad('ENVELOPE_SIG', `signatures[${i}].sig must be ${limits.sigBytes} bytes, not ${sig.length}`);
  const { keyid } = s;
  if (keyid === undefined || keyid === '') return { sig };
  if (typeof keyid !== 'string' || keyid.length > DSSE_MAX_KEYID_CHARS || /[\p{Cc}\p{Cs}]/u.test(keyid))
    throw bad('ENVELOPE_KEYID', `signatures[${i}].keyid must be a string of printable characters`);
  return { keyid, sig };
}

/**
 * Verifies an envelope against trusted keys (keyid → 32-byte Ed25519 public key). A
 * signature naming a known keyid is checked with that key only; one without a known keyid
 * is tried against every key. Throws SIGNATURE_INVALID unless at least `threshold`
 * (default 1) distinct keys verified.
 */
export function verifyDsse(
  envelope: DsseEnvelope | DecodedDsse,
  keys: ReadonlyMap<string, Uint8Array>,
  options: { threshold?: number } = {},
): VerifiedDsse {
  const threshold = Math.max(1, options.threshold ?? 1);
  const d = isDecoded(envelope) ? envelope : decodeDsseObject(envelope);
  const verified = new Set<string>();
  for (const s of d.signatures) {
    const named = s.keyid !== undefined && keys.has(s.keyid) ? [s.keyid] : [...keys.keys()];
    for (const keyid of named) {
      if (!verified.has(keyid) && ed25519Verify(s.sig, d.pae, keys.get(keyid)!)) verified.add(keyid);
    }
  }
  if (verified.size < threshold) {
    throw new VetError(
      'SIGNATURE_INVALID',
      `DSSE envelope has ${verified.size} valid signatures by trusted keys, need ${threshold}`,
    );
  }
  return { payload: d.payload, payloadType: d.payloadType, keyids: [...verified] };
}

function isDecoded(e: DsseEnvelope | DecodedDsse): e is DecodedDsse {
  return isObject(e) && isBytes((e as { pae?: unknown }).pae);
}

function refuse(file: string | undefined) {
  return (rule: DsseRule, why: string): RuleRefusal<DsseRule> =>
    new RuleRefusal('PARSE_ERROR', rule, `invalid DSSE envelope: ${why}`, file === undefined ? {} : { file });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
