/**
 * The stable codes of the notary protocol's rules: every refusal of an entry — by the
 * notary at submission, by a client on replay — names one. The notary puts it into its JSON
 * error (`error.rule`), a client into its error's details; docs/notary.md lists them.
 */
import type { DsseRule } from '../sig/dsse.js';

export type NotaryRule =
  | DsseRule
  // who signed
  | 'SIGNER_UNKNOWN' // no signature names a key in force at that index
  | 'SIGNATURE_INVALID' // a key in force is named, its signature does not verify
  | 'SIGNER_NOT_ALLOWED' // the admin key on an audit, an auditor key on an auditor change
  // what the statement says
  | 'STATEMENT_INVALID' // not an in-toto Statement of a known predicate, or malformed
  | 'PACKAGE_NAME'
  | 'VERSION'
  | 'VERSION_RANGE'
  | 'CRITERIA'
  | 'TEXT' // who, notes, auditor name: length and characters
  | 'DIGEST' // an audited version without (the right) artifact digest
  | 'TIME' // releasedAt is not an RFC 3339 time
  | 'NOTARY_BINDING' // predicate.notary names another log
  // what the log already holds
  | 'REVOCATION_TARGET' // not the leaf hash of an audit or violation in the log
  | 'REVOCATION_REPEATED' // already revoked
  | 'REVOCATION_FORBIDDEN' // neither the original auditor nor the admin
  | 'AUDITOR_KEYID' // malformed, or the admin key's id
  | 'AUDITOR_KEY' // an added public key that no signature could ever verify under (y ≥ p, small order)
  | 'AUDITOR_ACTIVE' // added while active
  | 'AUDITOR_NOT_ACTIVE' // removed while not active
  | 'AUDITOR_KEY_MISMATCH'; // removed with another public key than the one added
