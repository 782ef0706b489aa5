/**
 * Errors of the notary server. Every refusal the HTTP API gives is a NotaryError: a stable
 * API code (what clients branch on, written into the JSON body), the HTTP status, and the
 * @vet/core VetError code it maps to so the CLI's single error mapping still applies.
 */
import { VetError, type VetErrorCode, type VetErrorOptions } from '@vet/core';

export type NotaryApiCode =
  | 'UNAUTHENTICATED' // missing/unknown/expired bearer token
  | 'FORBIDDEN' // token valid but not allowed to do this
  | 'PAYLOAD_TOO_LARGE'
  | 'MALFORMED' // not JSON, not a DSSE envelope, not a statement we understand
  | 'BAD_SIGNATURE' // DSSE signature does not verify under an active key
  | 'UNKNOWN_SIGNER' // no active auditor (or admin) key with that keyid
  | 'DUPLICATE' // same statement (SHA-256 of the PAE) already logged
  | 'POLICY' // criteria not offered, cooldown, ...
  | 'NOT_APPROVED' // an artifact upload for a release no effective approval of this auditor names
  | 'DIGEST_MISMATCH' // artifact bytes do not hash to the approved digest (nothing is kept)
  | 'QUOTA_EXCEEDED' // the auditor's archive quota would be exceeded
  | 'RATE_LIMITED'
  | 'OVERLOADED' // sequencer pool full
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'UNAVAILABLE' // shutting down / storage failure
  | 'INTERNAL';

const STATUS: Record<NotaryApiCode, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  PAYLOAD_TOO_LARGE: 413,
  MALFORMED: 400,
  BAD_SIGNATURE: 422,
  UNKNOWN_SIGNER: 422,
  DUPLICATE: 409,
  POLICY: 422,
  NOT_APPROVED: 422,
  DIGEST_MISMATCH: 422,
  QUOTA_EXCEEDED: 413,
  RATE_LIMITED: 429,
  OVERLOADED: 429,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

const VET_CODE: Partial<Record<NotaryApiCode, VetErrorCode>> = {
  BAD_SIGNATURE: 'SIGNATURE_INVALID',
  UNKNOWN_SIGNER: 'SIGNATURE_INVALID',
  MALFORMED: 'PARSE_ERROR',
  POLICY: 'POLICY_ERROR',
  NOT_APPROVED: 'POLICY_ERROR',
  DIGEST_MISMATCH: 'INTEGRITY_MISMATCH',
  NOT_FOUND: 'NOT_FOUND',
  INTERNAL: 'INTERNAL',
};

export class NotaryError extends VetError {
  readonly apiCode: NotaryApiCode;
  readonly status: number;
  /** Seconds, for 429/503 answers. */
  readonly retryAfter: number | undefined;
  /** The protocol rule an entry broke (@vet/core NotaryRule), for refusals of entries. */
  readonly rule: string | undefined;

  constructor(
    apiCode: NotaryApiCode,
    message: string,
    options: VetErrorOptions & { retryAfter?: number; rule?: string } = {},
  ) {
    super(VET_CODE[apiCode] ?? 'HTTP_ERROR', message, options);
    this.rule = options.rule;
    this.name = 'NotaryError';
    this.apiCode = apiCode;
    this.status = STATUS[apiCode];
    this.retryAfter = options.retryAfter;
  }
}

export function isNotaryApiCode(code: string): code is NotaryApiCode {
  return Object.hasOwn(STATUS, code);
}

export function isNotaryError(e: unknown): e is NotaryError {
  return e instanceof NotaryError;
}
