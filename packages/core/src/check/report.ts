/**
 * Building the one check report (STYLE §17): the resolver's verdict, the notary policy
 * (content binding, k-of-n quorum), deprecations under `[vet] deny-deprecated`, and
 * requirements the lockfile could not lock, with the conclusion derived here and nowhere
 * else. `conclusion` is `success` exactly when no kind fails; the CLI's exit code follows it.
 */
import type { DependencyGraph } from '../graph.js';
import type { SuggestReport } from '../resolver/suggest-report.js';
import type { ResolveReport } from '../resolver/types.js';
import { checkNotaryQuorum } from './quorum.js';
import { revokedApprovalNotes } from './revoked.js';
import {
  CHECK_CONCLUSIONS,
  type CheckConclusion,
  type CheckReport,
  type DeprecatedPackage,
  type PlatformScope,
  type UnpinnedRequirement,
} from './types.js';

export interface CheckInput {
  resolved: ResolveReport;
  /** Deprecations and yanks the registry reported (unlocked runs), besides the lockfile's own. */
  flagged?: DeprecatedPackage[];
  /** Measured suggestions; kept only when the resolver failed vetting. */
  suggest?: SuggestReport | null;
  /** The platforms the graph was narrowed to, and what that left out. */
  platform?: PlatformScope;
}

export function buildCheckReport(input: CheckInput): CheckReport {
  const { resolved } = input;
  const { store, graph } = resolved;
  const parts: Omit<CheckReport, 'conclusion'> = {
    resolved,
    digestMismatches: resolved.digestMismatches,
    quorum: checkNotaryQuorum(resolved, store, graph),
    deprecated: mergeDeprecated([...lockfileDeprecations(graph), ...(input.flagged ?? [])]),
    denyDeprecated: store.config.vet?.denyDeprecated === true,
    unpinned: unpinnedRequirements(graph),
    revoked: revokedApprovalNotes(resolved),
    suggest: resolved.conclusion === 'fail (vetting)' ? (input.suggest ?? null) : null,
    ...(input.platform !== undefined ? { platform: input.platform } : {}),
  };
  return { conclusion: failingKinds(parts)[0] ?? 'success', ...parts };
}

/** Every failing kind of a report, most important first ([] = success). */
export function failingKinds(r: Omit<CheckReport, 'conclusion'>): Exclude<CheckConclusion, 'success'>[] {
  const fails: Record<Exclude<CheckConclusion, 'success'>, boolean> = {
    'fail (violation)': r.resolved.conclusion === 'fail (violation)',
    'fail (vetting)': r.resolved.conclusion === 'fail (vetting)',
    'fail (digest mismatch)': r.digestMismatches.length > 0,
    'fail (notary quorum)': r.quorum.length > 0,
    'fail (deprecated)': r.denyDeprecated && r.deprecated.length > 0,
    'fail (unpinned)': r.unpinned.length > 0,
  };
  return CHECK_CONCLUSIONS.filter((c) => fails[c]);
}

/** The conclusion over several projects (a repository with several lockfiles): the most important failure. */
export function overallConclusion(conclusions: readonly CheckConclusion[]): CheckConclusion {
  return CHECK_CONCLUSIONS.find((c) => conclusions.includes(c)) ?? 'success';
}

const byteOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Deprecation messages the lockfile records, third-party packages only. */
export function lockfileDeprecations(graph: DependencyGraph): DeprecatedPackage[] {
  return graph.nodes
    .filter((n) => !n.firstParty && n.deprecated !== undefined)
    .map((n) => ({ name: n.name, version: n.version, message: n.deprecated! }));
}

/** One entry per name@version (the first message wins), in (name, version) byte order. */
function mergeDeprecated(list: DeprecatedPackage[]): DeprecatedPackage[] {
  const seen = new Map<string, DeprecatedPackage>();
  for (const d of list) if (!seen.has(`${d.name}\u0000${d.version}`)) seen.set(`${d.name}\u0000${d.version}`, d);
  return [...seen.values()].sort((a, b) => byteOrder(a.name, b.name) || byteOrder(a.version, b.version));
}

/** Requirements a reader reported it could not lock (PyPI requirements files without pins or hashes). */
export function unpinnedRequirements(graph: DependencyGraph): UnpinnedRequirement[] {
  const unlocked = (graph as DependencyGraph & { unlocked?: UnpinnedRequirement[] }).unlocked ?? [];
  return unlocked.map((u) => ({
    file: u.file,
    ...(u.line !== undefined ? { line: u.line } : {}),
    requirement: u.requirement,
    reason: u.reason,
  }));
}
