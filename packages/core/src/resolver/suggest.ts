/**
 * The pure half of `suggest` (spec/cargo-vet-format.md §8): which audits could heal a
 * failing package. The CLI measures the diff of every candidate, keeps the smallest per
 * package, and hands the measured items back to `buildSuggestReport` for ordering,
 * de-duplication and grouping.
 */
import { parseCargoVersion } from '../version/cargo.js';
import type { DependencyGraph } from '../graph.js';
import { canonicalVersion } from './scheme-ext.js';
import type { NodeRef, ResolveReport } from './types.js';

export interface SuggestCandidate {
  /** Undefined = a full audit ("inspect"); otherwise a delta from this version. */
  from?: string;
  to: string;
  /** Minimal names of the criteria the audit should certify. */
  criteria: string[];
  /**
   * 'candidate': pick the one with the smallest diff among these. 'git-extra': for a git
   * version, the delta published → git that must be audited in addition (§8).
   */
  kind: 'candidate' | 'git-extra';
}

export interface SuggestOptions {
  /** Versions known to be published (downloadable); undefined = assume all are. */
  publishedVersions?: Iterable<string>;
}

function gitSemverPart(version: string): string | undefined {
  if (!version.includes('@')) return undefined;
  try {
    const v = parseCargoVersion(version);
    return v.gitRev === undefined ? undefined : version.slice(0, version.indexOf('@')).trim();
  } catch {
    return undefined;
  }
}

/** Candidate audits for one failing node (`[]` when the node does not fail). */
export function suggestCandidates(
  report: ResolveReport,
  node: NodeRef | string,
  options: SuggestOptions = {},
): SuggestCandidate[] {
  const id = typeof node === 'string' ? node : node.id;
  const failure = report.failures.find((f) => f.node.id === id);
  const result = report.results.get(id);
  if (!failure || !result) return [];
  const scheme = report.scheme;
  const target = result.version;
  const published =
    options.publishedVersions && new Set([...options.publishedVersions].map((v) => canonicalVersion(scheme, v)));
  const hasSources = (v: string | null): boolean =>
    v === null || (gitSemverPart(v) !== undefined ? v === target : published === undefined || published.has(v));

  let fromRoot: Set<string | null> | undefined;
  let fromTarget: Set<string | null> | undefined;
  for (const i of report.criteria.indices(failure.missing)) {
    const o = result.outcomes[i];
    if (!o || o.ok) continue;
    if (!fromRoot || !fromTarget) {
      fromRoot = new Set(o.reachableFromRoot.filter(hasSources));
      fromTarget = new Set(o.reachableFromTarget.filter(hasSources));
    } else {
      const r = new Set(o.reachableFromRoot);
      const t = new Set(o.reachableFromTarget);
      for (const v of fromRoot) if (!r.has(v)) fromRoot.delete(v);
      for (const v of fromTarget) if (!t.has(v)) fromTarget.delete(v);
    }
  }
  if (!fromRoot || !fromTarget) return [];
  const criteria = failure.missingCriteria;

  // A git version: audit the nearest published version ≤ it first, then the delta to git.
  let extra: SuggestCandidate | undefined;
  const semverPart = gitSemverPart(target);
  if (semverPart !== undefined) {
    const below = published
      ? [...published]
          .filter((v) => scheme.compare(v, semverPart) <= 0)
          .sort((a, b) => scheme.compare(a, b))
          .pop()
      : canonicalVersion(scheme, semverPart);
    if (below !== undefined && !fromRoot.has(below)) {
      fromTarget.delete(target);
      if (!fromTarget.has(below)) {
        fromTarget.add(below);
        extra = { from: below, to: target, criteria, kind: 'git-extra' };
      }
    }
  }

  const cmp = (a: string | null, b: string | null): number =>
    a === b ? 0 : a === null ? -1 : b === null ? 1 : scheme.compare(a, b);
  const roots = [...fromRoot].sort(cmp);
  const out: SuggestCandidate[] = [];
  for (const dest of [...fromTarget].sort(cmp)) {
    if (dest === null) continue;
    const below = roots.filter((v) => cmp(v, dest) < 0).pop();
    const above = roots.find((v) => cmp(v, dest) >= 0);
    for (const closest of [below, above]) {
      if (closest === undefined) continue;
      out.push(
        closest === null
          ? { to: dest, criteria, kind: 'candidate' }
          : { from: closest, to: dest, criteria, kind: 'candidate' },
      );
    }
  }
  if (extra) out.push(extra);
  return out;
}

/**
 * Criteria an audit `from → to` (from undefined = full) of `name` would heal, as minimal
 * names: a failing criterion counts when `to` is reachable from the target and `from`
 * from the root (cargo-vet `compute_suggested_criteria`, used by `certify`).
 */
export function suggestedCriteriaFor(
  report: ResolveReport,
  name: string,
  from: string | undefined,
  to: string,
): string[] {
  const scheme = report.scheme;
  const f = from === undefined ? null : canonicalVersion(scheme, from);
  const t = canonicalVersion(scheme, to);
  let set = 0n;
  for (const failure of report.failures) {
    if (failure.node.name !== name) continue;
    const result = report.results.get(failure.node.id);
    for (const i of report.criteria.indices(failure.missing)) {
      const o = result?.outcomes[i];
      if (o && !o.ok && o.reachableFromTarget.includes(t) && o.reachableFromRoot.includes(f)) set |= 1n << BigInt(i);
    }
  }
  return report.criteria.minimalNames(set);
}

/** Names of the packages that depend on a node directly ("notable parents"). */
export function notableParents(graph: DependencyGraph, nodeId: string): string[] {
  const out = new Set<string>();
  for (const n of graph.nodes) if (n.deps.some((e) => e.to === nodeId)) out.add(n.name);
  return [...out];
}
