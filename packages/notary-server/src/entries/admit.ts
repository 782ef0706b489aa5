/**
 * Admission of one submission: @vet/core's decodeNotaryEntry and admitNotaryEntry — the
 * state machine every client's replay runs — with the signature checked on a verifier
 * worker. The stored leaf is the body exactly as received; the dedupe key is SHA-256(PAE)
 * (spec/notary.md §10.6). A refusal is a NotaryError that names the rule.
 */
import {
  admitNotaryEntry,
  decodeNotaryEntry,
  hashLeaf,
  isRuleRefusal,
  notarySignatureCandidates,
  type AdmittedNotaryEntry,
  type DecodedDsse,
  type Ed25519VerifyPool,
  type NotaryLogState,
  type NotaryRule,
  type NotarySignatureResults,
} from '@vet/core';
import { hash } from 'node:crypto';
import { NotaryError, type NotaryApiCode } from '../errors.js';

export interface AdmittedEntry extends AdmittedNotaryEntry {
  leaf: Uint8Array;
  leafHashBytes: Uint8Array;
  /** Hex SHA-256 of the PAE. */
  dedupe: string;
}

export interface CheckedSubmission {
  entry: DecodedDsse;
  /** Signature checks done on the worker, by `sigIndex key-b64`. */
  verified: NotarySignatureResults;
}

/**
 * Decodes the body and checks, on `pool`, the signatures that the keys in force now would
 * be tried with. admitDecoded then runs the state machine synchronously against the state
 * as it is after the wait (keys may have changed meanwhile; what was not checked here is
 * verified there).
 */
export async function checkSubmission(
  body: Uint8Array,
  state: NotaryLogState,
  pool: Pick<Ed25519VerifyPool, 'verify'>,
): Promise<CheckedSubmission> {
  const entry = refusing(() => decodeNotaryEntry(body));
  const results = new Map<string, boolean>();
  for (const { sigIndex, key } of notarySignatureCandidates(entry, state)) {
    const ok = await pool.verify(key.key, entry.pae, entry.signatures[sigIndex]!.sig);
    results.set(`${sigIndex} ${key.b64}`, ok);
    if (ok) break;
  }
  return { entry, verified: (sigIndex, key) => results.get(`${sigIndex} ${key.b64}`) };
}

/** The synchronous half: the state machine over a decoded entry. */
export function admitDecoded(
  body: Uint8Array,
  entry: DecodedDsse,
  state: NotaryLogState,
  verified?: NotarySignatureResults,
): AdmittedEntry {
  const leafHashBytes = hashLeaf(body);
  const a = refusing(() => admitNotaryEntry(entry, state, { leafHash: leafHashBytes, ...(verified && { verified }) }));
  return { ...a, leaf: body, leafHashBytes, dedupe: hash('sha256', entry.pae, 'hex') };
}

/** Runs `fn`, turning a protocol refusal into the API error that names its rule. */
export function refusing<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (!isRuleRefusal(e)) throw e;
    throw new NotaryError(apiCode(e.rule as NotaryRule), e.message, { rule: e.rule, cause: e });
  }
}

function apiCode(rule: NotaryRule): NotaryApiCode {
  switch (rule) {
    case 'ENTRY_TOO_LARGE':
      return 'PAYLOAD_TOO_LARGE';
    case 'SIGNATURE_INVALID':
      return 'BAD_SIGNATURE';
    case 'SIGNER_UNKNOWN':
    case 'SIGNER_NOT_ALLOWED':
      return 'UNKNOWN_SIGNER';
    case 'REVOCATION_FORBIDDEN':
      return 'FORBIDDEN';
    case 'REVOCATION_TARGET':
    case 'REVOCATION_REPEATED':
    case 'AUDITOR_ACTIVE':
    case 'AUDITOR_NOT_ACTIVE':
    case 'AUDITOR_KEY_MISMATCH':
      return 'POLICY';
    default:
      return 'MALFORMED';
  }
}
