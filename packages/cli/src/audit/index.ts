// Public API of the audit module: package trees, diffs, risk signals, deprecation and suggest.
export { fetchPackageTree } from './fetch-tree.js';
export type { FetchTreeOptions, PackageTree } from './fetch-tree.js';
export { diffStatLines, diffTrees, formatDiffStat, summarize as summarizeDiffFiles } from './diff.js';
export { measureTrees } from './diff-pool.js';
export type { DiffFile, DiffFileStatus, DiffStat, DiffTreesOptions, TreeDiff } from './diff.js';
export { countLines, isBinary, listTreeFiles, nativeKind } from './tree.js';
export type { NativeKind } from './tree.js';
export { colorizePatch, shouldColor } from './colorize.js';
export { escapePatch } from './escape-patch.js';
export { dependentsCount, formatRiskSignal, riskRelevantFiles, riskSignals } from './risk.js';
export type { PackumentLookup, RiskOptions, RiskSignal } from './risk.js';
export { deprecatedVersions } from './deprecated.js';
export type { DeprecatedVersion } from './deprecated.js';
export { createProgress, formatBytes, isCi, silentProgress } from './progress.js';
export type { Progress, ProgressStream } from './progress.js';
export { auditCost, computeSuggestions } from './suggest.js';
export type {
  SuggestCandidate,
  SuggestFailure,
  SuggestFetcher,
  SuggestOptions,
  SuggestProblem,
  SuggestReport,
  Suggestion,
} from './suggest.js';
export { createRegistrySuggestFetcher } from './registry-fetcher.js';
