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

const NM = 'node_modules/';

/**
 * `resolveFromInstallPath` over a fixed set of install paths, indexed once: paths are grouped by
 * the directory they sit in (`…/node_modules/`), so resolving a dependency is one Map lookup per
 * ancestor with no string built (issue 12: building candidate paths was most of package-lock's
 * edge pass). A dependency name that itself holds `node_modules/` takes the reference route.
 */
export class InstallPathIndex {
  /** `<dir>/node_modules/` (or `node_modules/`) → package name → install path. */
  private readonly byDir = new Map<string, Map<string, string>>();

  constructor(private readonly paths: ReadonlySet<string> | ReadonlyMap<string, unknown>) {
    for (const path of paths.keys()) {
      const at = path.lastIndexOf(NM);
      if (at < 0) continue;
      const dir = path.slice(0, at + NM.length);
      let names = this.byDir.get(dir);
      if (names === undefined) this.byDir.set(dir, (names = new Map<string, string>()));
      names.set(path.slice(at + NM.length), path);
    }
  }

  /** A resolver for the dependencies of the package installed at `from`. */
  resolverFor(from: string): (dep: string) => string | undefined {
    const scopes: Array<Map<string, string>> = [];
    for (let dir = from; ;) {
      if (!isNodeModulesDir(dir)) {
        const names = this.byDir.get(dir === '' ? NM : `${dir}/${NM}`);
        if (names !== undefined) scopes.push(names);
      }
      if (dir === '') break;
      const slash = dir.lastIndexOf('/');
      dir = slash < 0 ? '' : dir.slice(0, slash);
    }
    return (dep) => {
      if (dep.includes(NM)) return resolveFromInstallPath((p) => this.paths.has(p), from, dep);
      for (const names of scopes) {
        const path = names.get(dep);
        if (path !== undefined) return path;
      }
      return undefined;
    };
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
