/**
 * Admission of one submission: exact bytes in, a verified and interpreted entry out, or a
 * NotaryError saying why not. Order follows "fetch first, then verify synchronously over
 * exact bytes" (STYLE §9): parse the envelope, verify a DSSE signature over the PAE with
 * node:crypto, and only then parse the statement the signature covers. The stored leaf is
 * the body exactly as received; the dedupe key is SHA-256(PAE) (spec/notary.md §10.6), so
 * re-encoding the same signed statement does not make a second entry.
 */
import { hash } from 'node:crypto';
import { NotaryError } from '../errors.js';
import { interpretStatement } from './interpret.js';
import type { EntryClaim } from './model.js';
import { verifyEd25519Sync, type SignatureVerifier } from './verifier.js';

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
  /** The key with this keyid if it may sign anything right now (auditors ∪ admin). */
  keyFor(keyid: string): Uint8Array | undefined;
  /** Whether this keyid may sign this claim type. */
  maySign(claim: EntryClaim, keyid: string): boolean;
}

/** DSSE v1 pre-authentication encoding (secure-systems-lab/dsse protocol.md). */
export function pae(payloadType: string, payload: Uint8Array): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([Buffer.from(`DSSEv1 ${type.length} `), type, Buffer.from(` ${payload.length} `), payload]);
}

/** Admission with the signature checked on this thread (CLI `verify`, tests), by `check` (default: the default engine). */
export function admitEntry(
  body: Uint8Array,
  keys: KeyLookup,
  origin: string,
  check: (pk: Uint8Array, msg: Uint8Array, sig: Uint8Array) => boolean = verifyEd25519Sync,
): AdmittedEntry {
  const c = candidateSignatures(body, keys);
  const signer = c.tries.find((t) => check(t.publicKey, c.signed, t.sig))?.keyid;
  return finishAdmission(body, c, signer, keys, origin);
}

/** The same admission with the signature checked by `verifier` (the server: a worker). */
export async function admitEntryAsync(
  body: Uint8Array,
  keys: KeyLookup,
  origin: string,
  verifier: SignatureVerifier,
): Promise<AdmittedEntry> {
  const c = candidateSignatures(body, keys);
  let signer: string | undefined;
  for (const t of c.tries) {
    if (await verifier.verify(t.publicKey, c.signed, t.sig)) {
      signer = t.keyid;
      break;
    }
  }
  // The registry may have changed while we waited: finishAdmission checks the signer
  // against the keys allowed now, and the key must be the one that was verified.
  const verified = c.tries.find((t) => t.keyid === signer)?.publicKey;
  const current = signer === undefined ? undefined : keys.keyFor(signer);
  if (verified !== undefined && (current === undefined || !Buffer.from(current).equals(verified))) {
    throw new NotaryError(
      'UNKNOWN_SIGNER',
      `key ${signer ?? ''} was removed or replaced while the submission was checked`,
    );
  }
  return finishAdmission(body, c, signer, keys, origin);
}

interface Candidates {
  env: Envelope;
  /** The DSSE PAE: what the signatures cover. */
  signed: Buffer;
  /** Signatures by keys that may sign something, in envelope order. */
  tries: { keyid: string; publicKey: Uint8Array; sig: Uint8Array }[];
}

function candidateSignatures(body: Uint8Array, keys: KeyLookup): Candidates {
  const env = parseEnvelope(body);
  const signed = pae(env.payloadType, env.payload);
  const tries = [];
  for (const s of env.signatures) {
    const publicKey = keys.keyFor(s.keyid);
    if (publicKey !== undefined) tries.push({ keyid: s.keyid, publicKey, sig: s.sig });
  }
  return { env, signed, tries };
}

function finishAdmission(
  body: Uint8Array,
  c: Candidates,
  signer: string | undefined,
  keys: KeyLookup,
  origin: string,
): AdmittedEntry {
  if (signer === undefined) {
    if (c.tries.length > 0)
      throw new NotaryError('BAD_SIGNATURE', 'the DSSE signature does not verify over the PAE with the named key');
    throw new NotaryError(
      'UNKNOWN_SIGNER',
      `no signature by an active auditor or admin key (keyids: ${c.env.signatures.map((s) => s.keyid || '(none)').join(', ')})`,
    );
  }
  const claim = interpretStatement(c.env.payload, origin);
  if (!keys.maySign(claim, signer)) {
    const what = claim.type.startsWith('auditor-') ? 'the notary admin key' : 'an active auditor key';
    throw new NotaryError('UNKNOWN_SIGNER', `a ${claim.type} entry must be signed by ${what}`);
  }
  return {
    leaf: body,
    leafHash: leafHashOf(body),
    dedupe: hash('sha256', c.signed, 'hex'),
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
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new NotaryError('MALFORMED', 'body must be a DSSE envelope object');
  const o = raw as Record<string, unknown>;
  if (o.payloadType !== INTOTO_PAYLOAD_TYPE)
    throw new NotaryError('MALFORMED', `payloadType must be ${INTOTO_PAYLOAD_TYPE}`);
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
    return {
      keyid: typeof keyid === 'string' ? keyid : '',
      sig: decodeB64((s as { sig: string }).sig, `signatures[${i}].sig`),
    };
  });
  return { payloadType: o.payloadType, payload, signatures };
}

/** Standard or URL-safe base64 (DSSE accepts both), canonical: must re-encode identically. */
function decodeB64(text: string, field: string): Buffer {
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(text)) throw new NotaryError('MALFORMED', `${field} is not base64`);
  const bytes = Buffer.from(text, 'base64');
  const std = text.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  if (bytes.toString('base64').replace(/=+$/, '') !== std)
    throw new NotaryError('MALFORMED', `${field} is not canonical base64`);
  return bytes;
}

function decodeUtf8(bytes: Uint8Array, field: string): string {
  try {
    return fatalUtf8.decode(bytes);
  } catch {
    throw new NotaryError('MALFORMED', `${field} is not valid UTF-8`);
  }
}

const LEAF_PREFIX = Buffer.of(0);

/**
 * RFC 6962 leaf hash SHA-256(0x00 ‖ entry), the same bytes as @vet/core's hashLeaf, via the
 * one-shot crypto.hash: a Hash object per call costs more than hashing a 1 KiB entry.
 */
export function leafHashOf(entry: Uint8Array): Buffer {
  return hash('sha256', Buffer.concat([LEAF_PREFIX, entry]), 'buffer');
}
