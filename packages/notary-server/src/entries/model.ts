/**
 * What a log entry means to the notary: the claim types of @vet/core's notary state machine
 * (the one every client replays with), plus where an entry stands in this log.
 */
import type { NotaryEntryClaim } from '@vet/core';

export type {
  NotaryEntryClaim as EntryClaim,
  NotaryAuditClaim as AuditClaim,
  NotaryViolationClaim as ViolationClaim,
  NotaryRevocationClaim as RevocationClaim,
  NotaryAuditorClaim as AuditorClaim,
} from '@vet/core';
export type Ecosystem = 'npm' | 'pypi' | 'cargo';
export const ECOSYSTEMS: readonly Ecosystem[] = ['npm', 'pypi', 'cargo'];

export interface LogEntryInfo {
  index: number;
  /** Lowercase hex RFC 6962 leaf hash. */
  leafHash: string;
  /** DSSE keyid of the signature that verified. */
  signer: string;
  claim: NotaryEntryClaim;
}

/** A stored entry the state machine refuses: the log still serves it; /readyz and verify report it. */
export interface EntryProblem {
  index: number;
  rule: string;
  reason: string;
}
