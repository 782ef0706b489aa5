/**
 * Admission of one submission: exact bytes in, a verified and interpreted entry out, or a
 * NotaryError saying why not. Order follows "fetch first, then verify synchronously over
 * exact bytes" (STYLE §9): parse the envelope, verify a DSSE signature over the PAE with
 * node:crypto, and only then parse the statement the signature covers. The stored leaf is
 * the body exactly as received; the dedupe key is SHA-256(PAE) (spec/notary.md §10.6), so
 * re-encoding the same signed statement does not make a second entry.
 */
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { hashLeaf } from '@vet/core';
import { NotaryError } from '../errors.js';
import { interpretStatement } from './interpret.js';
import type { EntryClaim } from './model.js';

export const INTOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
const MAX_SIGNATURES = 8;
const fatalUtf8 = new TextDecoder('utf-8', { fatal: true });

export interface AdmittedEntry {
  leaf: Uint8Array;
  leafHash: Uint8Array;
  dedupe: string;
  signer: string;
  claim: EntryClaim;
}

export interface KeyLookup {
  /** Every key that may sign anything right now (auditors ∪ admin), by keyid. */
  candidates(): Map<string, Uint8Array>;
  /** Keys allowed to sign this claim type. */
  signersFor(claim: EntryClaim): Map<string, Uint8Array>;
}

/** DSSE v1 pre-authentication encoding (secure-systems-lab/dsse protocol.md). */
export function pae(payloadType: string, payload: Uint8Array): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([Buffer.from(`DSSEv1 ${type.length} `), type, Buffer.from(` ${payload.length} `), payload]);
}

export function admitEntry(body: Uint8Array, keys: KeyLookup, origin: string): AdmittedEntry {
  const env = parseEnvelope(body);
  const signed = pae(env.payloadType, env.payload);
  const candidates = keys.candidates();
  let signer: string | undefined;
  let knownButFailed = false;
  for (const s of env.signatures) {
    const pk = candidates.get(s.keyid);
    if (pk === undefined) continue;
    if (verifyEd25519(s.keyid, pk, signed, s.sig)) {
      signer = s.keyid;
      break;
    }
    knownButFailed = true;
  }
  if (signer === undefined) {
    if (knownButFailed) throw new NotaryError('BAD_SIGNATURE', 'the DSSE signature does not verify over the PAE with the named key');
    throw new NotaryError('UNKNOWN_SIGNER', `no signature by an active auditor or admin key (keyids: ${env.signatures.map((s) => s.keyid || '(none)').join(', ')})`);
  }
  const claim = interpretStatement(env.payload, origin);
  if (!keys.signersFor(claim).has(signer)) {
    const what = claim.type.startsWith('auditor-') ? 'the notary admin key' : 'an active auditor key';
    throw new NotaryError('UNKNOWN_SIGNER', `a ${claim.type} entry must be signed by ${what}`);
  }
  return {
    leaf: body,
    leafHash: hashLeaf(body),
    dedupe: createHash('sha256').update(signed).digest('hex'),
    signer,
    claim,
  };
}

interface Envelope {
  payloadType: string;
  payload: Uint8Array;
  signatures: { keyid: string; sig: Uint8Array }[];
}

function parseEnvelope(body: Uint8Array): Envelope {
  let raw: unknown;
  try {
    raw = JSON.parse(decodeUtf8(body, 'body'));
  } catch (e) {
    throw e instanceof NotaryError ? e : new NotaryError('MALFORMED', 'body is not JSON (expected a DSSE envelope)');
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new NotaryError('MALFORMED', 'body must be a DSSE envelope object');
  const o = raw as Record<string, unknown>;
  if (o.payloadType !== INTOTO_PAYLOAD_TYPE) throw new NotaryError('MALFORMED', `payloadType must be ${INTOTO_PAYLOAD_TYPE}`);
  if (typeof o.payload !== 'string') throw new NotaryError('MALFORMED', 'payload must be a base64 string');
  const payload = decodeB64(o.payload, 'payload');
  const sigs = o.signatures;
  if (!Array.isArray(sigs) || sigs.length === 0 || sigs.length > MAX_SIGNATURES) {
    throw new NotaryError('MALFORMED', `signatures must list 1–${MAX_SIGNATURES} signatures`);
  }
  const signatures = sigs.map((s, i) => {
    if (typeof s !== 'object' || s === null || typeof (s as { sig?: unknown }).sig !== 'string') {
      throw new NotaryError('MALFORMED', `signatures[${i}].sig must be a base64 string`);
    }
    const keyid = (s as { keyid?: unknown }).keyid;
    return { keyid: typeof keyid === 'string' ? keyid : '', sig: decodeB64((s as { sig: string }).sig, `signatures[${i}].sig`) };
  });
  return { payloadType: o.payloadType, payload, signatures };
}

/** Standard or URL-safe base64 (DSSE accepts both), canonical: must re-encode identically. */
function decodeB64(text: string, field: string): Buffer {
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(text)) throw new NotaryError('MALFORMED', `${field} is not base64`);
  const bytes = Buffer.from(text, 'base64');
  const std = text.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  if (bytes.toString('base64').replace(/=+$/, '') !== std) throw new NotaryError('MALFORMED', `${field} is not canonical base64`);
  return bytes;
}

function decodeUtf8(bytes: Uint8Array, field: string): string {
  try {
    return fatalUtf8.decode(bytes);
  } catch {
    throw new NotaryError('MALFORMED', `${field} is not valid UTF-8`);
  }
}

// KeyObjects are cached per (keyid, key): building one costs more than the verify itself.
const keyCache = new Map<string, { raw: Buffer; key: KeyObject }>();
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** Pure Ed25519 via OpenSSL, which also enforces S < L (RFC 8032 §5.1.7). */
function verifyEd25519(keyid: string, publicKey: Uint8Array, msg: Uint8Array, sig: Uint8Array): boolean {
  if (sig.length !== 64 || publicKey.length !== 32) return false;
  let cached = keyCache.get(keyid);
  if (cached === undefined || !cached.raw.equals(publicKey)) {
    const raw = Buffer.from(publicKey);
    cached = { raw, key: createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' }) };
    if (keyCache.size > 10_000) keyCache.clear();
    keyCache.set(keyid, cached);
  }
  return verify(null, msg, cached.key, sig);
}
