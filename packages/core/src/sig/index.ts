// Public surface of sig/** (re-exported through tlog/index.ts, which the root index loads).
export {
  ED25519_PUBLIC_KEY_BYTES,
  ED25519_SECRET_KEY_BYTES,
  ED25519_SEED_BYTES,
  ED25519_SIGNATURE_BYTES,
  generateEd25519KeyPair,
  ed25519KeyPairFromSeed,
  ed25519Sign,
  ed25519Verify,
  ed25519VerifyTweetnacl,
  ed25519Verifier,
  ed25519Engine,
  isCanonicalEd25519Signature,
  ed25519EncodingProblem,
  ed25519PublicKeyProblem,
  type Ed25519KeyPair,
  type Ed25519Engine,
  type Ed25519VerifyFn,
} from './ed25519.js';
export { Ed25519VerifyPool, type Ed25519PoolOptions } from './verify-pool.js';
export type { Ed25519Job } from './verify-jobs.js';
export { startWorker } from './worker-module.js';
export { RuleRefusal, isRuleRefusal } from './refusal.js';
export {
  DSSE_MAX_ENVELOPE_BYTES,
  DSSE_MAX_SIGNATURES,
  dssePae,
  signDsse,
  verifyDsse,
  decodeDsseEnvelope,
  decodeDsseObject,
  type DecodedDsse,
  type DsseLimits,
  type DsseRule,
  type DsseEnvelope,
  type DsseSignature,
  type VerifiedDsse,
} from './dsse.js';
export {
  IN_TOTO_STATEMENT_TYPE,
  IN_TOTO_PAYLOAD_TYPE,
  VET_AUDIT_PREDICATE_TYPE,
  VET_AUDITOR_PREDICATE_TYPE,
  makeAuditStatement,
  parseAuditStatement,
  makeAuditorStatement,
  parseAuditorStatement,
  type AuditStatementKind,
  type AuditStatementInput,
  type AuditStatement,
  type AuditorStatementInput,
  type AuditorStatement,
} from './statement.js';
export { vetPurl, parseVetPurl } from './purl.js';
