// Public surface of the notary consumer (notary.md §9 "Consumer"): pure verification, fed bytes.
export {
  verifyNotaryCheckpoint,
  verifyStoredCheckpoint,
  forkError as notaryForkError,
  rollbackError as notaryRollbackError,
  type NotaryCheckpoint,
} from './checkpoints.js';
export {
  NOTARY_MIRROR_FORMAT,
  parseNotaryMirrorState,
  serializeNotaryMirrorState,
  revokedNotaryClaim,
  type NotaryMirrorState,
  type NotaryClaimRecord,
  type NotaryAuditorRecord,
} from './state.js';
export {
  NotaryReplayer,
  type ReplayState as NotaryReplayState,
  type SignatureLookup as NotarySignatureLookup,
} from './replay.js';
export { notarySignatureJobs, type NotarySignatureJob } from './jobs.js';
export {
  NotaryLogState,
  NOTARY_ENTRY_LIMITS,
  admitEntry as admitNotaryEntry,
  applyEntry as applyNotaryEntry,
  decodeLogEntry as decodeNotaryEntry,
  signatureCandidates as notarySignatureCandidates,
  type AdmittedEntry as AdmittedNotaryEntry,
  type NotaryAuditor,
  type KeyInForce as NotaryKeyInForce,
  type RevocationTarget as NotaryRevocationTarget,
  type SignatureResults as NotarySignatureResults,
} from './admit.js';
export type {
  EntryClaim as NotaryEntryClaim,
  AuditClaim as NotaryAuditClaim,
  ViolationClaim as NotaryViolationClaim,
  RevocationClaim as NotaryRevocationClaim,
  AuditorClaim as NotaryAuditorClaim,
} from './claim.js';
export { NOTARY_LIMITS } from './entry-rules.js';
export type { NotaryRule } from './rule-codes.js';
export {
  planNotaryUpdate,
  applyNotaryBundles,
  verifyNotaryEntries,
  replayNotaryEntries,
  NotaryReplaySession,
  bundlesBetween as notaryBundlesBetween,
  type NotaryUpdateInput,
  type NotaryUpdatePlan,
  type NotaryUpdateResult,
  type NotaryBundleRef,
  type NotaryVerifiedEntries,
  type ReplayOptions as NotaryReplayOptions,
} from './update.js';
export { NotaryTreeVerifier, type NotaryBundleEntries } from './tree.js';
export { notaryAuditsFile, notaryRevokedAudits } from './audits.js';
