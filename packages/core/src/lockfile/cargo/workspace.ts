/**
 * Which packages are workspace members, the way cargo's `Workspace::find_members` decides:
 * the root package, every `[workspace] members` entry (globs expanded), and — transitively —
 * every path dependency of a member that lives under the workspace root, each unless
 * `exclude`d. `exclude` loses to a *literal* members entry that is a prefix of the path
 * (ariel-os: exclude "src/lib" but members "src/lib/coapcore"). Without a `[workspace]`
 * table the root package is the only member (no path-dependency members).
 */
import { globMatchesDir, hasGlobMeta } from './glob.js';
import type { ResolvedManifest } from './inherit.js';
import { isWithin, joinRelDir, normalizeRelDir } from './paths.js';

export function findWorkspaceMembers(
  manifests: ReadonlyMap<string, ResolvedManifest>,
  warnings: string[],
): Set<string> {
  const root = manifests.get('');
  const members = new Set<string>();
  if (!root) return members;
  const ws = root.manifest.workspace;
  if (!ws) {
    if (root.manifest.package) members.add('');
    return members;
  }
  const literal = ws.members.filter((m) => !hasGlobMeta(m)).map(normalizeRelDir);
  const exclude = ws.exclude.map(normalizeRelDir);
  const isExcluded = (dir: string) => exclude.some((ex) => isWithin(dir, ex)) && !literal.some((m) => isWithin(dir, m));

  const visit = (dir: string, isPathDep: boolean): void => {
    if (members.has(dir)) return;
    const m = manifests.get(dir);
    if (isPathDep && !isWithin(dir, '') && !pointsBackToRoot(m, dir)) return;
    if (isExcluded(dir)) return;
    if (!m) {
      warnings.push(`workspace member ${dir === '' ? '.' : dir}: no Cargo.toml was supplied`);
      return;
    }
    members.add(dir);
    if (!m.manifest.package) return;
    for (const d of m.deps) if (d.path !== undefined) visit(d.path, true);
  };

  if (root.manifest.package) visit('', false);
  for (const pattern of ws.members) {
    if (!hasGlobMeta(pattern)) visit(normalizeRelDir(pattern), false);
    else
      for (const dir of [...manifests.keys()].sort()) if (dir !== '' && globMatchesDir(pattern, dir)) visit(dir, false);
  }
  return members;
}

/** A path dependency outside the root is a member only if its `package.workspace` names our root. */
function pointsBackToRoot(m: ResolvedManifest | undefined, dir: string): boolean {
  const root = m?.manifest.package?.workspaceRoot;
  return root !== undefined && joinRelDir(dir, root) === '';
}
