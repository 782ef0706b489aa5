/**
 * Edge kinds for one Cargo.lock dependency of a first-party package, taken from its manifest
 * (Cargo.lock records no kinds; spec/lockfiles.md §11). A package can declare the same crate
 * several times (normal + dev, per platform, renamed to two versions): the declarations that
 * name the locked package — by path for path packages, by version requirement otherwise —
 * contribute their kinds. Dev kinds count only for workspace members (spec §7.2).
 */
import type { EdgeCondition, EdgeKind } from '../../graph.js';
import { cargoPlatformMatches } from './cfg.js';
import type { CargoDepDecl } from './manifest.js';
import { cargoReqMatches } from './req.js';

export interface LockedTarget {
  name: string;
  /** Semver as locked (no `@git:` suffix). */
  version: string;
  /** Workspace-relative directory, for path packages. */
  pathDir?: string;
}

export interface EdgeSpec {
  kind: EdgeKind;
  alias?: string;
  /** Only on some platforms: every declaration of this kind sits under `[target.<spec>]`. */
  when?: EdgeCondition;
}

export type EdgeKindsResult =
  | { status: 'ok'; edges: EdgeSpec[] }
  /** No declaration names this package: the caller treats it as normal and warns. */
  | { status: 'undeclared' }
  /** Every declaration is for other platforms than the configured build target. */
  | { status: 'platform-inactive' }
  /** Only dev declarations, on a non-member (cannot come from Cargo.lock): caller warns. */
  | { status: 'dev-only-non-member' };

const ORDER: EdgeKind[] = ['normal', 'build', 'dev'];

export function edgeKindsFor(
  decls: readonly CargoDepDecl[],
  target: LockedTarget,
  opts: { member: boolean; buildTargets?: readonly string[] },
): EdgeKindsResult {
  let cands = matchingDecls(decls, target);
  if (cands.length === 0) return { status: 'undeclared' };
  const buildTargets = opts.buildTargets;
  if (buildTargets && buildTargets.length > 0) {
    cands = cands.filter((d) => d.target === undefined || buildTargets.some((t) => cargoPlatformMatches(d.target!, t)));
    if (cands.length === 0) return { status: 'platform-inactive' };
  }
  if (!opts.member) {
    cands = cands.filter((d) => d.kind !== 'dev');
    if (cands.length === 0) return { status: 'dev-only-non-member' };
  }
  const edges: EdgeSpec[] = [];
  for (const kind of ORDER) {
    const forKind = cands.filter((d) => d.kind === kind);
    if (forKind.length === 0) continue;
    const renamed = forKind.find((d) => d.key !== d.package);
    const edge: EdgeSpec = renamed ? { kind, alias: renamed.key } : { kind };
    const when = platformsOf(forKind);
    if (when) edge.when = when;
    edges.push(edge);
  }
  return { status: 'ok', edges };
}

/** `{ cargo: specs }` when every declaration is platform-specific; undefined when one holds everywhere. */
export function platformsOf(decls: readonly { target?: string }[]): EdgeCondition | undefined {
  if (decls.length === 0 || decls.some((d) => d.target === undefined)) return undefined;
  return { cargo: [...new Set(decls.map((d) => d.target!))].sort() };
}

/** The declarations that can have produced this locked dependency. */
export function matchingDecls(decls: readonly CargoDepDecl[], t: LockedTarget): CargoDepDecl[] {
  const byName = declsNamed(decls, t.name);
  // One declaration is the answer whichever way the tests below go: no requirement to check.
  if (byName.length <= 1) return [...byName];
  if (t.pathDir !== undefined) {
    const byPath = byName.filter((d) => d.path === t.pathDir);
    if (byPath.length > 0) return byPath;
  }
  const byReq = byName.filter((d) => cargoReqMatches(d.version, t.version));
  const nonPath = byReq.filter((d) => d.path === undefined);
  if (t.pathDir === undefined && nonPath.length > 0) return nonPath;
  return byReq.length > 0 ? byReq : [...byName];
}

/** Declarations indexed by package name once per list (a manifest is asked once per locked dependency). */
const byNameCache = new WeakMap<readonly CargoDepDecl[], Map<string, CargoDepDecl[]>>();

function declsNamed(decls: readonly CargoDepDecl[], name: string): CargoDepDecl[] {
  let index = byNameCache.get(decls);
  if (index === undefined) {
    index = new Map();
    for (const d of decls) {
      const list = index.get(d.package);
      if (list === undefined) index.set(d.package, [d]);
      else list.push(d);
    }
    byNameCache.set(decls, index);
  }
  return index.get(name) ?? [];
}
