/**
 * `resolve()`: the pure heart of `vet check` (spec/cargo-vet-format.md §7). Lockfile
 * graph + in-memory store in, report out; no I/O, no clock (today is a parameter).
 *
 * For each third-party package: violation conflicts first (a conflicting name gets no
 * search), else every criterion is searched in its name's audit graph in `check` mode
 * ("prefer exemptions"), and the package is classified from the paths of its required
 * criteria (§7.7): fully audited when no path uses an exemption (unpublished rows do not
 * count; nothing required ⇒ fully), exempted when some path is only exemptions /
 * unpublished rows, else partially audited.
 */
import type { PackageNode } from '../graph.js';
import { lockfileDigestBinding } from './digest-binding.js';
import { versionSchemeFor } from '../version/index.js';
import { buildAuditGraph, importNames, type AuditEdge, type AuditGraph } from './audit-graph.js';
import { CriteriaIndex, type CriteriaSet } from './criteria.js';
import { PolicyIndex } from './policy.js';
import { computeRequirementSets } from './requirements.js';
import { canonicalVersion, type SchemeLike } from './scheme-ext.js';
import { searchAuditGraph } from './search.js';
import type {
  CriterionOutcome,
  NodeRef,
  NodeResult,
  ResolveInput,
  ResolveReport,
  VetFailure,
  VetStatus,
} from './types.js';
import { findViolationConflicts, type ViolationConflict } from './violations.js';
import { wildcardExpiryWarnings } from './warnings.js';
import { dict } from '../dict.js';

const byteOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function nodeRef(n: PackageNode): NodeRef {
  return { id: n.id, name: n.name, version: n.version };
}

/** (name, version, id) — cargo-vet's package sort key. */
export function compareNodeRefs(scheme: SchemeLike): (a: NodeRef, b: NodeRef) => number {
  return (a, b) => byteOrder(a.name, b.name) || scheme.compare(a.version, b.version) || byteOrder(a.id, b.id);
}

const isExemptionEdge = (e: AuditEdge): boolean => e.origin.kind === 'exemption';
const isExemptionLike = (e: AuditEdge): boolean => e.origin.kind === 'exemption' || e.origin.kind === 'unpublished';

function classify(
  criteria: CriteriaIndex,
  required: CriteriaSet,
  outcomes: CriterionOutcome[],
): { status: VetStatus; missing: CriteriaSet } {
  let missing = 0n;
  let neededExemptions = false;
  let directlyExempted = false;
  for (const i of criteria.indices(required)) {
    const o = outcomes[i]!;
    if (!o.ok) {
      missing |= 1n << BigInt(i);
      continue;
    }
    neededExemptions ||= o.path.some(isExemptionEdge);
    directlyExempted ||= o.path.every(isExemptionLike);
  }
  const status: VetStatus =
    missing !== 0n ? 'failed' : !neededExemptions ? 'fully' : directlyExempted ? 'exempted' : 'partially';
  return { status, missing };
}

function searchAll(
  graph: AuditGraph,
  version: string,
  criteria: CriteriaIndex,
  scheme: SchemeLike,
): CriterionOutcome[] {
  const out: CriterionOutcome[] = [];
  for (let i = 0; i < criteria.names.length; i++) {
    const criterion = criteria.names[i]!;
    const r = searchAuditGraph(graph, i, version, 'prefer-exemptions', scheme);
    out.push(
      r.ok
        ? { criterion, ok: true, path: r.path, caveat: r.caveat }
        : {
            criterion,
            ok: false,
            reachableFromRoot: [...r.reachableFromRoot],
            reachableFromTarget: [...r.reachableFromTarget],
          },
    );
  }
  return out;
}

export function resolve(input: ResolveInput): ResolveReport {
  const { graph, store } = input;
  const scheme: SchemeLike = input.scheme ?? versionSchemeFor(graph.ecosystem);
  const criteria = new CriteriaIndex(store.audits.criteria);
  const policies = new PolicyIndex(store.config.policy, scheme);
  const { walk, sets } = computeRequirementSets(graph, store, scheme, criteria, policies);

  const imports = importNames(store);
  const binding = lockfileDigestBinding(graph, scheme);
  const auditGraphs = new Map<string, AuditGraph>();
  const conflictsByName = new Map<string, ViolationConflict[]>();
  const violations = dict<ViolationConflict[]>();
  const results = new Map<string, NodeResult>();
  const lists: Record<Exclude<VetStatus, 'failed'>, NodeRef[]> = { fully: [], partially: [], exempted: [] };
  const failures: VetFailure[] = [];

  for (const node of graph.nodes) {
    if (!policies.isThirdParty(node)) continue;
    const version = canonicalVersion(scheme, node.version);
    let conflicts = conflictsByName.get(node.name);
    if (!conflicts)
      conflictsByName.set(node.name, (conflicts = findViolationConflicts(store, node.name, criteria, scheme, imports)));
    if (conflicts.length > 0) {
      violations[`${node.name}:${version}`] = conflicts;
      continue;
    }
    let ag = auditGraphs.get(node.name);
    if (!ag) auditGraphs.set(node.name, (ag = buildAuditGraph(store, node.name, criteria, scheme, imports, binding)));
    const required = sets.get(node.id) ?? 0n;
    const outcomes = searchAll(ag, version, criteria, scheme);
    const { status, missing } = classify(criteria, required, outcomes);
    results.set(node.id, { node: nodeRef(node), version, required, outcomes, status });
    if (status === 'failed')
      failures.push({ node: nodeRef(node), missingCriteria: criteria.minimalNames(missing), missing });
    else lists[status].push(nodeRef(node));
  }

  const order = compareNodeRefs(scheme);
  for (const l of Object.values(lists)) l.sort(order);
  failures.sort((a, b) => order(a.node, b.node));
  const conclusion =
    Object.keys(violations).length > 0 ? 'fail (violation)' : failures.length > 0 ? 'fail (vetting)' : 'success';
  return {
    ecosystem: graph.ecosystem,
    conclusion,
    criteria,
    scheme,
    vettedFully: lists.fully,
    vettedPartially: lists.partially,
    vettedWithExemptions: lists.exempted,
    failures,
    violations,
    results,
    requirements: minimalNamesOf(sets, criteria),
    roots: [...walk.roots],
    devOnly: [...walk.devOnly],
    warnings: input.today === undefined ? [] : wildcardExpiryWarnings(store, graph, input.today),
    digestMismatches: binding.mismatches,
    graph,
    store,
  };
}

function minimalNamesOf(sets: Map<string, CriteriaSet>, criteria: CriteriaIndex): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [id, set] of sets) out.set(id, criteria.minimalNames(set));
  return out;
}

/** The chosen path for one criterion of one node (for `explain-audit`), or undefined. */
export function chosenPath(report: ResolveReport, nodeId: string, criterion: string): AuditEdge[] | undefined {
  const r = report.results.get(nodeId);
  if (!r || !report.criteria.has(criterion)) return undefined;
  const o = r.outcomes[report.criteria.indexOf(criterion)];
  return o?.ok ? o.path : undefined;
}

/** Is there a path for this criterion at this node? (False for first-party and conflicting nodes.) */
export function nodeHasCriterion(report: ResolveReport, nodeId: string, criterion: string): boolean {
  const r = report.results.get(nodeId);
  if (!r || !report.criteria.has(criterion)) return false;
  return r.outcomes[report.criteria.indexOf(criterion)]?.ok === true;
}
