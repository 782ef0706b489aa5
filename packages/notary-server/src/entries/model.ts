/**
 * What a log entry means to the notary, interpreted from the in-toto Statement v1 inside
 * a verified DSSE envelope (spec/notary.md §6, §9). The wire format is the statement; this
 * model is only ever derived from verified bytes and never re-serialised.
 */
export type Ecosystem = 'npm' | 'pypi' | 'cargo';
export const ECOSYSTEMS: readonly Ecosystem[] = ['npm', 'pypi', 'cargo'];

export interface AuditClaim {
  type: 'audit';
  ecosystem: Ecosystem;
  package: string;
  /** 'full': `version` audited; 'delta': the diff `from` → `version` audited. */
  auditKind: 'full' | 'delta';
  version: string;
  from?: string;
  /** version → artifact digest as SRI (`sha512-<base64>`), for every version involved. */
  digests: Record<string, string>;
  criteria: string[];
  who: string;
  notes?: string;
  /** Release time the auditor claims (ms since epoch), used by the cooldown policy. */
  releasedAt?: number;
}

export interface ViolationClaim {
  type: 'violation';
  ecosystem: Ecosystem;
  package: string;
  /** A version requirement as cargo-vet writes it, e.g. ">=2.0, <2.3". */
  violation: string;
  criteria: string[];
  who: string;
  notes?: string;
}

export interface RevocationClaim {
  type: 'revocation';
  /** Lowercase hex leaf hash of the revoked entry: its id (as Rekor's entry UUID). */
  revokes: string;
  reason?: string;
}

export interface AuditorClaim {
  type: 'auditor-add' | 'auditor-remove';
  name: string;
  keyid: string;
  /** 32-byte Ed25519 public key. */
  publicKey: Uint8Array;
}

export type EntryClaim = AuditClaim | ViolationClaim | RevocationClaim | AuditorClaim;

export interface LogEntryInfo {
  index: number;
  /** Lowercase hex RFC 6962 leaf hash. */
  leafHash: string;
  /** DSSE keyid of the signature that verified. */
  signer: string;
  claim: EntryClaim;
}
