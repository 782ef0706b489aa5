// The notary client in the CLI: refreshing notary imports, auditor keys, submitting audits.
export {
  notaryRefresher,
  refreshNotaryImport,
  type NotaryRefresherOptions,
  type NotaryRefreshResult,
} from './refresher.js';
export { registerAuditorCommand, runAuditorKeygen } from '../commands/auditor.js';
export {
  submitToNotary,
  submitSignedEntry,
  findNotary,
  verifyReceipt,
  type SubmitToNotaryOptions,
  type SubmitResult,
  type NotaryReceipt,
} from './submit.js';
export {
  readAuditorKey,
  parseAuditorKey,
  writeNewAuditorKey,
  auditorKeyIdFor,
  defaultAuditorKeyPath,
  type AuditorKey,
} from './auditor-key.js';
export { notaryStateRoot, notaryStateDir, readNotaryMirror, writeNotaryMirror } from './state-dir.js';
