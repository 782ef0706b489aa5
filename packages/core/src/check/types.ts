/**
 * The verdict of `vet check` as one object (STYLE §17): the resolver's report plus every
 * other failure kind vet adds to cargo-vet's — notary content binding and quorum, denied
 * deprecations, requirements that are not locked — and the one conclusion derived from all
 * of them. Exit code, JSON and human text are all rendered from this and nothing else.
 */
import type { DigestMismatch } from '../resolver/digest-binding.js';
import type { SuggestReport } from '../resolver/suggest-report.js';
import type { NodeRef, ResolveReport } from '../resolver/types.js';
import type { NotaryQuorumShortfall } from './quorum.js';

/**
 * cargo-vet's three conclusions, then vet's own kinds. When several kinds fail, the first in
 * `CHECK_CONCLUSIONS` order is the conclusion; every kind is still reported under its own key.
 */
export type CheckConclusion =
  | 'success'
  | 'fail (violation)'
  | 'fail (vetting)'
  | 'fail (digest mismatch)'
  | 'fail (notary quorum)'
  | 'fail (deprecated)'
  | 'fail (unpinned)';

/** Failing conclusions, most important first. */
export const CHECK_CONCLUSIONS: readonly Exclude<CheckConclusion, 'success'>[] = [
  'fail (violation)',
  'fail (vetting)',
  'fail (digest mismatch)',
  'fail (notary quorum)',
  'fail (deprecated)',
  'fail (unpinned)',
];

/** A version the lockfile marks deprecated, or the registry reports deprecated or yanked. */
export interface DeprecatedPackage {
  name: string;
  version: string;
  message: string;
}

/** A requirement the lockfile reader could not lock (no pin, no hash): it cannot be vetted. */
export interface UnpinnedRequirement {
  file: string;
  line?: number;
  requirement: string;
  reason: string;
}

/** An imported approval of a failing package that its notary's log revoked. */
export interface RevokedApprovalNote {
  node: NodeRef;
  importName: string;
  /** `1.3.0`, or `1.2.0 -> 1.3.0` for a delta. */
  approved: string;
  who: string[];
  criteria: string[];
  /** Log index of the revocation entry. */
  revokedBy: number;
}

/** `--platform` / `[vet] platforms`: what was vetted for, and what was left out (never silently). */
export interface PlatformScope {
  platforms: string[];
  /** Third-party packages that install on none of the platforms, in (name, version) order. */
  excluded: { name: string; version: string }[];
}

export interface CheckReport {
  conclusion: CheckConclusion;
  resolved: ResolveReport;
  /** Imported approvals for other bytes than the lockfile's (security failures). */
  digestMismatches: DigestMismatch[];
  quorum: NotaryQuorumShortfall[];
  deprecated: DeprecatedPackage[];
  /** `[vet] deny-deprecated = true`: deprecated versions fail instead of warning. */
  denyDeprecated: boolean;
  unpinned: UnpinnedRequirement[];
  /** Revoked approvals of packages that fail vetting: why an approval no longer counts. */
  revoked: RevokedApprovalNote[];
  /** Measured suggestions (unlocked runs that fail vetting); null when none were computed. */
  suggest: SuggestReport | null;
  /** Set when the check was narrowed to platforms; absent = every platform. */
  platform?: PlatformScope;
}
