/**
 * Workspace inheritance (`version.workspace = true`, `dep = { workspace = true }`): fills a
 * member's declarations from the root's `[workspace.package]` / `[workspace.dependencies]`.
 * Lenient on purpose: Cargo.lock already says what exists, manifests only add edge kinds, so
 * a missing inherited entry becomes a warning and the declaration keeps what it has.
 */
import type { CargoDepDecl, CargoManifest } from './manifest.js';

export interface ResolvedManifest {
  manifest: CargoManifest;
  /** Package name and version after inheritance; undefined for a virtual manifest. */
  name?: string;
  version?: string;
  deps: CargoDepDecl[];
}

export function resolveManifest(
  m: CargoManifest,
  root: CargoManifest | undefined,
  warnings: string[],
): ResolvedManifest {
  const out: ResolvedManifest = { manifest: m, deps: m.deps.map((d) => inheritDecl(d, m, root, warnings)) };
  if (m.package) {
    out.name = m.package.name;
    const version = m.package.versionInherited ? root?.workspace?.packageVersion : m.package.version;
    if (version === undefined)
      warnings.push(`${m.fileName}: version.workspace = true but the root has no [workspace.package] version`);
    else out.version = version;
  }
  return out;
}

function inheritDecl(
  d: CargoDepDecl,
  m: CargoManifest,
  root: CargoManifest | undefined,
  warnings: string[],
): CargoDepDecl {
  if (!d.inherited) return d;
  const ws = root?.workspace?.dependencies[d.key];
  if (!ws) {
    warnings.push(`${m.fileName}: ${d.key} = { workspace = true } but [workspace.dependencies] has no ${d.key}`);
    return d;
  }
  const out: CargoDepDecl = { ...d, package: ws.package };
  for (const k of ['version', 'path', 'git', 'registry'] as const) {
    const v = ws[k];
    if (v !== undefined) out[k] = v;
  }
  // `optional` is the member's own; inheriting `optional` is not allowed in [workspace.dependencies].
  return out;
}
