// Public API of @vet/notary-server. Export by name; no default exports.
export { createNotary, type Notary, type NotaryDeps } from './notary.js';
export { createRequestHandler, type RequestHandler } from './http/app.js';
export { serveNotary, type RunningNotary, type ServeOptions } from './server.js';
export {
  initDataDir,
  initPgDataDir,
  openDataDir,
  acquireSequencerLock,
  lockHolder,
  paths as notaryPaths,
  type InitResult,
  type OpenedDataDir,
} from './datadir.js';
export {
  parseNotaryConfig,
  readNotaryConfig,
  formatNotaryConfig,
  defaultNotaryConfig,
  type NotaryConfig,
  type NotaryPolicy,
  type NotaryLimits,
  type NotarySequencerConfig,
} from './config.js';
export { NotaryError, isNotaryError, type NotaryApiCode } from './errors.js';
export {
  addAuditor,
  removeAuditor,
  issueAuditorToken,
  revokeAuditorTokens,
  auditorKeyId,
  appendAdminEntry,
} from './operator.js';
export { verifyNotaryLog, type VerifyReport } from './verify.js';
export { backupNotary } from './backup.js';
export { rotateLogKey } from './rotate.js';
export type { Receipt } from './log/proofs.js';
export type {
  EntryClaim,
  AuditClaim,
  ViolationClaim,
  RevocationClaim,
  AuditorClaim,
  Ecosystem,
} from './entries/model.js';
