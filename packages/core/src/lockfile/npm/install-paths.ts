/**
 * Node's module resolution over a lockfile's install paths (spec lockfiles.md §1): a dependency
 * `d` of the package installed at `from` is the first of `from/node_modules/d`,
 * `<parent dir>/node_modules/d`, … `node_modules/d` that exists. Each step is one Map lookup.
 */

/** First install path that provides `dep` as seen from `from` ('' = project root). */
export function resolveFromInstallPath(has: (path: string) => boolean, from: string, dep: string): string | undefined {
  let dir = from;
  for (;;) {
    if (!isNodeModulesDir(dir)) {
      const candidate = dir === '' ? `node_modules/${dep}` : `${dir}/node_modules/${dep}`;
      if (has(candidate)) return candidate;
    }
    if (dir === '') return undefined;
    const slash = dir.lastIndexOf('/');
    dir = slash < 0 ? '' : dir.slice(0, slash);
  }
}

// `x/node_modules` and `x/node_modules/@scope` are not package directories; skip wasted lookups.
function isNodeModulesDir(dir: string): boolean {
  const last = dir.slice(dir.lastIndexOf('/') + 1);
  return last === 'node_modules' || (last.startsWith('@') && dir.includes('node_modules/'));
}

/** Package name of an install path: the text after the last `node_modules/` (scope kept). */
export function nameFromInstallPath(path: string): string {
  const at = path.lastIndexOf('node_modules/');
  return at < 0 ? path : path.slice(at + 'node_modules/'.length);
}

export function isInstallPath(path: string): boolean {
  return path.startsWith('node_modules/') || path.includes('/node_modules/');
}
