// Public surface of the resolver (spec/cargo-vet-format.md §6–8, §10).
export { CriteriaIndex, MAX_CRITERIA, hasCriterion, containsAll } from './criteria.js';
export type { CriteriaSet } from './criteria.js';
export { PolicyIndex } from './policy.js';
export { computeRequirements, computeRequirementSets, walkGraph } from './requirements.js';
export type { GraphWalk, RequirementSets } from './requirements.js';
export { buildAuditGraph, samePublisher } from './audit-graph.js';
export type { AuditEdge, AuditGraph, EdgeOrigin } from './audit-graph.js';
export { searchAuditGraph, compareOrigins, Caveat as SearchCaveat } from './search.js';
export type { SearchMode, SearchResult } from './search.js';
export { findViolationConflicts } from './violations.js';
export type { AuditConflict, UnauditedConflict, ViolationConflict } from './violations.js';
export { resolve, chosenPath, nodeHasCriterion, compareNodeRefs } from './resolve.js';
export type {
  ResolveInput,
  ResolveReport,
  NodeRef,
  Conclusion,
  VetFailure,
  CriterionOutcome,
  NodeResult,
  VetStatus,
} from './types.js';
export { suggestCandidates, suggestedCriteriaFor, notableParents } from './suggest.js';
export type { SuggestCandidate, SuggestOptions } from './suggest.js';
export { buildSuggestReport, formatSuggestHuman, criteriaLabel, diffLines } from './suggest-report.js';
export type { DiffStat as SuggestDiffStat, MeasuredSuggestion, SuggestReport } from './suggest-report.js';
export { findUnusedEntries } from './unused.js';
export type { UnusedEntries } from './unused.js';
export { formatCheckHuman, toCargoVetJson } from './report-format.js';
export { formatShortList } from './short-list.js';
export { describeEdge, formatExplainAudit } from './explain.js';
export { wildcardExpiryWarnings } from './warnings.js';
export {
  lockfileDigestBinding,
  auditDigestsBind,
  integritySri,
  type DigestBinding,
  type DigestMismatch,
} from './digest-binding.js';
