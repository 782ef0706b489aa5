// Public surface of the check verdict: one report over every failure kind (resolver, notary policy, lockfile).
export { checkNotaryQuorum, type NotaryQuorumShortfall } from './quorum.js';
export {
  buildCheckReport,
  failingKinds,
  overallConclusion,
  lockfileDeprecations,
  unpinnedRequirements,
  type CheckInput,
} from './report.js';
export { revokedApprovalNotes } from './revoked.js';
export { checkHeadline, checkReportJson, formatCheckReportHuman, nonRegistryText } from './format.js';
export {
  CHECK_CONCLUSIONS,
  type CheckConclusion,
  type CheckReport,
  type DeprecatedPackage,
  type RevokedApprovalNote,
  type UnpinnedRequirement,
} from './types.js';
export {
  checkFindings,
  shellWord,
  FINDING_KINDS,
  type Finding,
  type FindingKind,
  type FindingLocation,
  type FindingsOptions,
  type LineLocator,
} from './findings.js';
export { escapeCommandData, escapeCommandProperty, formatCheckGithub, githubAnnotation } from './format-github.js';
export { formatCheckMarkdown, mdCode } from './format-markdown.js';
export { checkSarif, formatCheckSarif, relativeUri, type SarifOptions } from './format-sarif.js';
export { formatPrViewHuman, formatPrViewMarkdown, prViewJson } from './format-pr.js';
export {
  buildPrView,
  type ChangeKind,
  type ChangeStatus,
  type LockedPackage,
  type PackageChange,
  type PrView,
} from './pr-view.js';
