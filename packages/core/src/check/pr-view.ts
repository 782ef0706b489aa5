/**
 * The pull-request view of a check (`vet check --base <ref>`): only what the change
 * introduced — new packages, new versions, removed ones — and for each new version what a
 * reviewer needs: is it vetted and by what (an import or notary, a local audit, an
 * exemption), the cheapest audit (`vet diff old new --stat` from the version it replaces,
 * with measured figures when the check measured them), and its risk signals. A pure function
 * of the CheckReport and the base lockfile's packages; the verdict stays the report's.
 */
import type { PackageNode } from '../graph.js';
import type { EdgeOrigin } from '../resolver/audit-graph.js';
import { canonicalVersion } from '../resolver/scheme-ext.js';
import type { DiffStat, MeasuredSuggestion } from '../resolver/suggest-report.js';
import { suggestCandidates } from '../resolver/suggest.js';
import type { ResolveReport } from '../resolver/types.js';
import { shellWord } from './findings.js';
import type { CheckReport } from './types.js';

/** A package of the base lockfile: third-party ones are compared. */
export interface LockedPackage {
  name: string;
  version: string;
  firstParty: boolean;
}

export type ChangeKind = 'new-package' | 'new-version' | 'removed';
export type ChangeStatus = 'vetted' | 'exempted' | 'unvetted' | 'violation' | 'removed';

export interface PackageChange {
  change: ChangeKind;
  name: string;
  version: string;
  /** Base versions of the same name that this head does not have (what a new version replaces). */
  replaces: string[];
  status: ChangeStatus;
  /** What vets it: `import 'acme'`, `local audit`, `exemption`, `trusted publisher`, … */
  coveredBy: string[];
  /** The cheapest audit for an unvetted new version: the command, and its measured size when known. */
  audit?: { command: string; diffstat?: DiffStat };
  risk: string[];
}

export interface PrView {
  /** The base as the user named it (`origin/main`, a path). */
  base: string;
  changes: PackageChange[];
  /** Failing packages the change did not touch (the verdict counts them too). */
  unchangedFailures: number;
}

const key = (name: string, version: string): string => `${name}\u0000${version}`;
const byteOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Compare head and base by (name, version) over third-party packages. */
export function buildPrView(
  report: CheckReport,
  base: readonly LockedPackage[],
  baseLabel: string,
  tool = 'vet',
): PrView {
  const res = report.resolved;
  const v = (s: string): string => canonicalVersion(res.scheme, s);
  const head = res.graph.nodes.filter((n) => !n.firstParty);
  const baseThird = base.filter((p) => !p.firstParty);
  const baseKeys = new Set(baseThird.map((p) => key(p.name, v(p.version))));
  const headKeys = new Set(head.map((n) => key(n.name, v(n.version))));
  const baseNames = new Map<string, string[]>();
  for (const p of baseThird) baseNames.set(p.name, [...(baseNames.get(p.name) ?? []), v(p.version)]);
  const changes: PackageChange[] = [];
  const seen = new Set<string>();
  for (const n of head) {
    const k = key(n.name, v(n.version));
    if (baseKeys.has(k) || seen.has(k)) continue;
    seen.add(k);
    const replaces = (baseNames.get(n.name) ?? []).filter((old) => !headKeys.has(key(n.name, old)));
    changes.push(newVersion(report, n, baseNames.has(n.name) ? 'new-version' : 'new-package', replaces, tool));
  }
  for (const p of baseThird) {
    const k = key(p.name, v(p.version));
    if (headKeys.has(k) || seen.has(k)) continue;
    seen.add(k);
    // A version replaced by a new one of the same name is shown with it, not again as removed.
    if (head.some((n) => n.name === p.name)) continue;
    changes.push({
      change: 'removed',
      name: p.name,
      version: v(p.version),
      replaces: [],
      status: 'removed',
      coveredBy: [],
      risk: [],
    });
  }
  changes.sort((a, b) => byteOrder(a.name, b.name) || byteOrder(a.version, b.version));
  const changedIds = new Set(head.filter((n) => !baseKeys.has(key(n.name, v(n.version)))).map((n) => n.id));
  const failingIds = new Set([
    ...res.failures.map((f) => f.node.id),
    ...Object.keys(res.violations).flatMap((k) =>
      head.filter((n) => `${n.name}:${v(n.version)}` === k).map((n) => n.id),
    ),
  ]);
  return { base: baseLabel, changes, unchangedFailures: [...failingIds].filter((id) => !changedIds.has(id)).length };
}

function newVersion(
  report: CheckReport,
  n: PackageNode,
  change: ChangeKind,
  replaces: string[],
  tool: string,
): PackageChange {
  const res = report.resolved;
  const version = canonicalVersion(res.scheme, n.version);
  const status = statusOf(res, n);
  const measured = report.suggest?.suggestions.find((s) => s.node.id === n.id);
  const out: PackageChange = {
    change,
    name: n.name,
    version,
    replaces,
    status,
    coveredBy: coveredBy(res, n.id),
    risk: riskSignals(n, change, replaces, version, measured),
  };
  if (status === 'unvetted') out.audit = cheapestAudit(res, n, replaces, measured, tool);
  return out;
}

function statusOf(res: ResolveReport, n: PackageNode): ChangeStatus {
  if (Object.hasOwn(res.violations, `${n.name}:${canonicalVersion(res.scheme, n.version)}`)) return 'violation';
  if (res.failures.some((f) => f.node.id === n.id)) return 'unvetted';
  return res.results.get(n.id)?.status === 'exempted' ? 'exempted' : 'vetted';
}

function originText(o: EdgeOrigin): string {
  switch (o.kind) {
    case 'imported-audit':
      return `import '${o.importName}'`;
    case 'wildcard-audit':
      return o.importName === undefined ? 'wildcard audit' : `import '${o.importName}' (wildcard)`;
    case 'local-audit':
      return 'local audit';
    case 'trusted':
      return 'trusted publisher';
    case 'exemption':
      return 'exemption';
    case 'unpublished':
      return 'unpublished (audited as another version)';
  }
}

/** Every distinct origin on the paths that vet the node's required criteria. */
function coveredBy(res: ResolveReport, id: string): string[] {
  const result = res.results.get(id);
  if (result === undefined) return [];
  const out = new Set<string>();
  for (const i of res.criteria.indices(result.required)) {
    const o = result.outcomes[i];
    if (o?.ok) for (const e of o.path) out.add(originText(e.origin));
  }
  return [...out].sort(byteOrder);
}

/** `vet diff name old new --stat` from the version it replaces (or the nearest vetted one), else a full inspect. */
function cheapestAudit(
  res: ResolveReport,
  n: PackageNode,
  replaces: string[],
  measured: MeasuredSuggestion | undefined,
  tool: string,
): { command: string; diffstat?: DiffStat } {
  const version = canonicalVersion(res.scheme, n.version);
  const candidates = suggestCandidates(res, n.id)
    .map((c) => c.from)
    .filter((f): f is string => f !== undefined);
  const from = measured?.from ?? replaces.find((r) => candidates.includes(r)) ?? candidates[0] ?? replaces[0];
  const command =
    from === undefined
      ? [tool, 'inspect', n.name, version].map(shellWord).join(' ')
      : [tool, 'diff', n.name, from, version, '--stat'].map(shellWord).join(' ');
  return measured ? { command, diffstat: measured.diffstat } : { command };
}

function major(version: string): string | undefined {
  return /^v?(\d+)(?:\.(\d+))?/.exec(version)?.[1];
}

function riskSignals(
  n: PackageNode,
  change: ChangeKind,
  replaces: string[],
  version: string,
  measured: MeasuredSuggestion | undefined,
): string[] {
  const risk: string[] = [];
  if (change === 'new-package') risk.push('new package (not in the base)');
  if (replaces.some((r) => major(r) !== undefined && major(r) !== major(version)))
    risk.push(`major version change from ${replaces.join(', ')}`);
  if (n.hasInstallScript) risk.push('runs an install script');
  if (n.source.kind !== 'registry') risk.push(`not from the registry (${n.source.kind})`);
  if (n.deprecated !== undefined) risk.push(`deprecated: ${n.deprecated}`);
  for (const r of measured?.risk ?? []) risk.push(r);
  return risk;
}
