// Public API of @vet/core, exported by name (tuf-js style): only what the CLI, the notary and
// the cross-package tests use. Everything else stays internal to core; add a name here when
// another package needs it. The file-system edge is @vet/core/node.
export { checkHeadline, checkReportJson, formatCheckReportHuman, platformText } from './check/format.js';
export { checkFindings, shellWord, type Finding, type FindingKind, type LineLocator } from './check/findings.js';
export { formatCheckGithub, type ScopedProject } from './check/format-github.js';
export { formatCheckMarkdown, mdCode, platformNote as platformNoteMarkdown } from './check/format-markdown.js';
export { formatCheckSarif } from './check/format-sarif.js';
export { formatPrViewHuman, formatPrViewMarkdown, prViewJson } from './check/format-pr.js';
export { buildPrView, type LockedPackage, type PackageChange, type PrView } from './check/pr-view.js';
export { lockfileLineLocator } from './lockfile/locate.js';
export { buildCheckReport, overallConclusion } from './check/report.js';
export { type CheckConclusion, type CheckReport, type DeprecatedPackage, type PlatformScope } from './check/types.js';
export { builtinCriteriaDescription } from './criteria-text.js';
export {
  type Problem,
  VetError,
  type VetErrorCode,
  type VetErrorOptions,
  VetValidationError,
  isVetError,
} from './errors.js';
export { escapeText, toSafeJson } from './escape.js';
export { cloneData, dict, dictFrom, own } from './dict.js';
export { type DependencyGraph, type Ecosystem, type Integrity, type PackageNode } from './graph.js';
export { narrowImportsLock } from './imports/narrow.js';
export {
  PLATFORM_FORMS,
  filterGraphForPlatforms,
  parsePlatforms,
  type ExcludedPackage,
  type Platform,
  type PlatformFilterResult,
} from './platform/index.js';
export { translateImport } from './imports/translate.js';
export { buildCargoGraph } from './lockfile/cargo/build.js';
export { type CrateFacts, cargoManifestHasLib, staticCrateFacts } from './lockfile/cargo/facts.js';
export { parseCargoLock } from './lockfile/cargo/lock.js';
export { findCargoStore } from './lockfile/cargo/store-location.js';
export { type CargoDepDecl, parseCargoManifest } from './lockfile/cargo/manifest.js';
export { computeDevOnly } from './lockfile/npm/dev-only.js';
export { type PythonLockGraph } from './lockfile/pypi/graph-builder.js';
export { normalizePypiName } from './lockfile/pypi/names.js';
export { parseDistFileName as parsePythonDistFileName } from './lockfile/pypi/requirement-spec.js';
export { parseRequirementsTxt, requirementsIncludes } from './lockfile/pypi/requirements.js';
export {
  type AdmittedEntry as AdmittedNotaryEntry,
  NotaryLogState,
  type SignatureResults as NotarySignatureResults,
  admitEntry as admitNotaryEntry,
  applyEntry as applyNotaryEntry,
  decodeLogEntry as decodeNotaryEntry,
  signatureCandidates as notarySignatureCandidates,
} from './notary/admit.js';
export {
  type ArtifactAddress,
  artifactAddress,
  artifactAddresses,
  artifactMatches,
  artifactMediaType,
  artifactPath,
  checkArtifact,
  isArtifactFileName,
  parseArtifactAddress,
  parseArtifactDigest,
} from './notary/artifact.js';
export { notaryAuditsFile, notaryRevokedAudits } from './notary/audits.js';
export { rollbackError as notaryRollbackError } from './notary/checkpoints.js';
export {
  type AuditClaim as NotaryAuditClaim,
  type AuditorClaim as NotaryAuditorClaim,
  type EntryClaim as NotaryEntryClaim,
  type RevocationClaim as NotaryRevocationClaim,
  type ViolationClaim as NotaryViolationClaim,
} from './notary/claim.js';
export { type NotarySignatureJob, notarySignatureJobs } from './notary/jobs.js';
export { NotaryReplayer, type SignatureLookup as NotarySignatureLookup } from './notary/replay.js';
export { type NotaryRule } from './notary/rule-codes.js';
export {
  NOTARY_MIRROR_FORMAT,
  type NotaryClaimRecord,
  type NotaryMirrorState,
  revokedNotaryClaim,
} from './notary/state.js';
export { type NotaryBundleEntries, NotaryTreeVerifier } from './notary/tree.js';
export {
  type NotaryBundleRef,
  NotaryReplaySession,
  type NotaryUpdatePlan,
  type NotaryUpdateResult,
  planNotaryUpdate,
} from './notary/update.js';
export { CriteriaIndex } from './resolver/criteria.js';
export { integritySri } from './resolver/digest-binding.js';
export { computeRequirements } from './resolver/requirements.js';
export { resolve } from './resolver/resolve.js';
export {
  type MeasuredSuggestion,
  type SuggestReport,
  buildSuggestReport,
  formatSuggestHuman,
} from './resolver/suggest-report.js';
export { notableParents, suggestCandidates } from './resolver/suggest.js';
export { type ResolveReport } from './resolver/types.js';
export { type DecodedDsse, type DsseEnvelope, dssePae, signDsse } from './sig/dsse.js';
export {
  type Ed25519Engine,
  type Ed25519KeyPair,
  ed25519Engine,
  ed25519KeyPairFromSeed,
  ed25519Verifier,
  generateEd25519KeyPair,
} from './sig/ed25519.js';
export { isRuleRefusal } from './sig/refusal.js';
export {
  type AuditStatementInput,
  IN_TOTO_PAYLOAD_TYPE,
  makeAuditStatement,
  makeAuditorStatement,
  parseAuditorStatement,
} from './sig/statement.js';
export { Ed25519VerifyPool } from './sig/verify-pool.js';
export { startWorker } from './sig/worker-module.js';
export { isCanonical } from './store/canonical.js';
export { checkStoreFormat, parseStore } from './store/files.js';
export {
  type AuditEntry,
  type AuditsFile,
  DEFAULT_CRITERIA,
  type ImportConfig,
  type ImportsLockFile,
  type NotaryImportConfig,
  type PublisherEntry,
  type RevokedAuditEntry,
  SAFE_TO_DEPLOY,
  type Store,
  type TrustedEntry,
  emptyAuditsFile,
  emptyStore,
} from './store/model.js';
export { parseAudits } from './store/parse-audits.js';
export { type StoreWarning, parseTomlText } from './store/parse-common.js';
export { parseConfig } from './store/parse-config.js';
export { parseImportsLock } from './store/parse-imports-lock.js';
export { serializeAudits } from './store/serialize-audits.js';
export { serializeConfig, serializeImportsLock } from './store/serialize-config.js';
export { checkStoreVersion } from './store/store-version.js';
export { validateStore } from './store/validate.js';
export { formatCheckpoint, parseCheckpoint, signCosignature, verifyCheckpoint } from './tlog/checkpoint.js';
export { CompactRange } from './tlog/compact-range.js';
export {
  consistencyProof,
  hashChildren,
  hashLeaf,
  inclusionProof,
  rangeHashFromLevels,
  rangeHasherFromLeafHashes,
  rootOf,
  verifyConsistency,
  verifyInclusion,
} from './tlog/merkle.js';
export {
  NOTE_ALG_COSIGNATURE_V1,
  NOTE_MAX_BYTES,
  generateNoteSigner,
  parseNote,
  parseSignerKey,
  signNote,
} from './tlog/note.js';
export { type NotaryReceipt, parseTlogProof } from './tlog/proof-text.js';
export {
  TILE_HEIGHT,
  TILE_WIDTH,
  decodeEntryBundle,
  decodeHashTile,
  encodeEntryBundle,
  entriesTilePath,
  hashesAtTileLevel,
  parseTilePath,
  tilePath,
} from './tlog/tiles.js';
export { versionSchemeFor } from './version/index.js';
export { comparePep440 } from './version/pep440.js';
export { type VersionScheme } from './version/scheme.js';
export { dependencyChains } from './why.js';
