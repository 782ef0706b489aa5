/**
 * DSSE v1.0.2 (secure-systems-lab/dsse; notary.md §6): envelopes signed with pure Ed25519.
 *
 * The signature covers PAE(payloadType, payload), not the payload. Verification works on
 * the exact decoded payload bytes and hands those same bytes back — callers must never
 * re-serialise and re-parse. `keyid` is only a hint for picking the key; what counts is
 * which trusted key verified, each counted once.
 */
import { VetError } from '../errors.js';
import { concatBytes, decodeBase64Lenient, encodeBase64, isBytes, utf8DecodeStrict, utf8Encode } from './bytes.js';
import { ed25519Sign, ed25519Verify } from './ed25519.js';

export interface DsseSignature {
  keyid?: string;
  /** base64 of the raw 64-byte Ed25519 signature. */
  sig: string;
}

export interface DsseEnvelope {
  /** base64 of the payload bytes. */
  payload: string;
  payloadType: string;
  signatures: DsseSignature[];
}

export interface VerifiedDsse {
  /** The exact bytes whose signature verified. */
  payload: Uint8Array;
  payloadType: string;
  /** Distinct trusted key IDs (map keys) that verified. */
  keyids: string[];
}

/** Default cap on a serialised envelope (notary leaves are ≤ 16 KiB, notary.md §9). */
export const DSSE_MAX_ENVELOPE_BYTES = 64 * 1024;
export const DSSE_MAX_SIGNATURES = 16;

/** PAE = "DSSEv1" SP len(type) SP type SP len(body) SP body, lengths in UTF-8 bytes. */
export function dssePae(payloadType: string, payload: Uint8Array): Uint8Array {
  const type = utf8Encode(payloadType);
  return concatBytes(utf8Encode(`DSSEv1 ${type.length} `), type, utf8Encode(` ${payload.length} `), payload);
}

/** Signs `payload` into a one-signature envelope. */
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
 * Verifies an envelope against trusted keys (keyid → 32-byte Ed25519 public key). A
 * signature naming a known keyid is checked with that key only; one without a known keyid
 * is tried against every key. Throws SIGNATURE_INVALID unless at least `threshold`
 * (default 1) distinct keys verified.
 */
export function verifyDsse(
  envelope: DsseEnvelope,
  keys: ReadonlyMap<string, Uint8Array>,
  options: { threshold?: number } = {},
): VerifiedDsse {
  const threshold = options.threshold ?? 1;
  if (
    typeof envelope?.payload !== 'string' ||
    typeof envelope.payloadType !== 'string' ||
    !Array.isArray(envelope.signatures)
  ) {
    throw new VetError('PARSE_ERROR', 'not a DSSE envelope (use parseDsseEnvelope on untrusted bytes)');
  }
  const payload = decodeBase64Lenient(envelope.payload);
  if (payload === undefined) throw new VetError('PARSE_ERROR', 'DSSE payload is not base64');
  const pae = dssePae(envelope.payloadType, payload);
  const verified = new Set<string>();
  for (const s of envelope.signatures) {
    const sig = typeof s?.sig === 'string' ? decodeBase64Lenient(s.sig) : undefined;
    if (sig === undefined) continue;
    const named = s.keyid !== undefined && s.keyid !== '' && keys.has(s.keyid) ? [s.keyid] : [...keys.keys()];
    for (const keyid of named) {
      if (!verified.has(keyid) && ed25519Verify(sig, pae, keys.get(keyid)!)) verified.add(keyid);
    }
  }
  if (verified.size < Math.max(1, threshold)) {
    throw new VetError(
      'SIGNATURE_INVALID',
      `DSSE envelope has ${verified.size} valid signatures by trusted keys, need ${Math.max(1, threshold)}`,
    );
  }
  return { payload, payloadType: envelope.payloadType, keyids: [...verified] };
}

/**
 * Strict parse of a serialised envelope: size cap, UTF-8, JSON object with string `payload`
 * (base64), non-empty string `payloadType`, and 1–16 signatures each with a string `sig`
 * and optional string `keyid`. Unknown fields are ignored (DSSE rule). Throws PARSE_ERROR.
 */
export function parseDsseEnvelope(
  bytes: Uint8Array | string,
  options: { fileName?: string; maxBytes?: number } = {},
): DsseEnvelope {
  const bad = (why: string): VetError =>
    new VetError('PARSE_ERROR', `invalid DSSE envelope: ${why}`, { file: options.fileName });
  const max = options.maxBytes ?? DSSE_MAX_ENVELOPE_BYTES;
  const raw = typeof bytes === 'string' ? utf8Encode(bytes) : bytes;
  if (!isBytes(raw)) throw bad('not bytes');
  if (raw.length > max) throw bad(`larger than ${max} bytes`);
  const text = utf8DecodeStrict(raw);
  if (text === undefined) throw bad('not valid UTF-8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new VetError('PARSE_ERROR', `invalid DSSE envelope: not JSON (${(cause as Error).message})`, {
      file: options.fileName,
      cause,
    });
  }
  if (!isObject(json)) throw bad('not a JSON object');
  const { payload, payloadType, signatures } = json;
  if (typeof payload !== 'string' || decodeBase64Lenient(payload) === undefined)
    throw bad('payload must be a base64 string');
  if (typeof payloadType !== 'string' || payloadType.length === 0) throw bad('payloadType must be a non-empty string');
  if (!Array.isArray(signatures) || signatures.length === 0) throw bad('signatures must be a non-empty list');
  if (signatures.length > DSSE_MAX_SIGNATURES) throw bad(`more than ${DSSE_MAX_SIGNATURES} signatures`);
  return { payload, payloadType, signatures: signatures.map((s, i) => parseSignature(s, i, bad)) };
}

function parseSignature(s: unknown, i: number, bad: (why: string) => VetError): DsseSignature {
  if (!isObject(s)) throw bad(`signature ${i} is not an object`);
  if (typeof s.sig !== 'string' || decodeBase64Lenient(s.sig) === undefined)
    throw bad(`signature ${i} has no base64 sig`);
  if (s.keyid !== undefined && typeof s.keyid !== 'string') throw bad(`signature ${i} keyid must be a string`);
  return s.keyid === undefined ? { sig: s.sig } : { keyid: s.keyid, sig: s.sig };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
