/**
 * package.json as the lockfile readers need it: direct dependencies by kind, workspaces, and
 * resolutions. Readers that need manifests (yarn, npm v1) receive them as plain data keyed by
 * directory relative to the lockfile's directory ('' = root); only `readNpmLockfile` touches disk.
 */
import type { EdgeKind } from '../../graph.js';
import { isRecord, stringMap } from './text.js';

export interface PackageJsonLike {
  name?: string;
  version?: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  /** npm/yarn/bun: an array of globs, or yarn classic's `{ packages: [...] }`. */
  workspaces?: string[] | { packages?: string[] };
  /** yarn: descriptor rewrites applied before resolution. */
  resolutions?: Record<string, string>;
  overrides?: unknown;
}

/** Directory relative to the lockfile's directory ('' for the root) → its package.json. */
export type NpmManifests = Record<string, PackageJsonLike>;

export interface DirectDep {
  name: string;
  range: string;
  kind: EdgeKind;
}

/**
 * Direct dependencies of a manifest. Order matters when a name is listed twice: npm and yarn let
 * `dependencies`/`optionalDependencies` win over `devDependencies`, so dev comes last and the
 * caller keeps the first kind per name.
 */
export function directDeps(manifest: PackageJsonLike, includeDev: boolean): DirectDep[] {
  const out: DirectDep[] = [];
  const seen = new Set<string>();
  const add = (deps: unknown, kind: EdgeKind): void => {
    for (const [name, range] of Object.entries(stringMap(deps))) {
      if (seen.has(name)) continue;
      seen.add(name);
      out.push({ name, range, kind });
    }
  };
  add(manifest.optionalDependencies, 'optional');
  add(manifest.dependencies, 'normal');
  if (includeDev) add(manifest.devDependencies, 'dev');
  add(manifest.peerDependencies, 'peer');
  return out;
}

/** Workspace globs of a root manifest, whichever of the two shapes it uses. */
export function workspacePatterns(manifest: { workspaces?: unknown } | undefined): string[] {
  const ws: unknown = manifest?.workspaces;
  const list: unknown = Array.isArray(ws) ? ws : isRecord(ws) ? ws['packages'] : undefined;
  return Array.isArray(list) ? list.filter((p): p is string => typeof p === 'string') : [];
}

/** Normalise a relative directory: no `./`, no trailing `/`, `.` → ''. */
export function normalizeDir(dir: string): string {
  // Most directories are already normal: returned as they are, without splitting.
  if (!NEEDS_NORMALIZING.test(dir)) return dir;
  const parts: string[] = [];
  for (const part of dir.replace(/\\/g, '/').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
    else parts.push(part);
  }
  return parts.join('/');
}

/** A backslash, an empty segment (`//`, leading or trailing `/`) or a `.`/`..` segment. */
const NEEDS_NORMALIZING = /\\|\/\/|^\/|\/$|(?:^|\/)\.\.?(?:\/|$)/;

export function joinDir(base: string, rel: string): string {
  return normalizeDir(base === '' ? rel : `${base}/${rel}`);
}

/** Compile workspace globs (`*`, `**`, `!negation`) into a matcher over normalised directories. */
export function workspaceMatcher(patterns: readonly string[]): (dir: string) => boolean {
  const include: RegExp[] = [];
  const exclude: RegExp[] = [];
  for (const raw of patterns) {
    const negated = raw.startsWith('!');
    const re = globToRegExp(normalizeDir(negated ? raw.slice(1) : raw));
    (negated ? exclude : include).push(re);
  }
  return (dir) => {
    const d = normalizeDir(dir);
    return include.some((re) => re.test(d)) && !exclude.some((re) => re.test(d));
  };
}

function globToRegExp(glob: string): RegExp {
  const segments = glob.split('/');
  let re = '';
  let needSep = false;
  segments.forEach((seg, i) => {
    const sep = needSep ? '/' : '';
    if (seg === '**' && i === segments.length - 1) {
      re += needSep ? '(?:/[^/]+)+' : '[^/]+(?:/[^/]+)*';
    } else if (seg === '**') {
      re += `${sep}(?:[^/]+/)*`;
      needSep = false;
      return;
    } else {
      re +=
        sep +
        seg
          .replace(/[.+^${}()|[\]\\]/g, '\\$&')
          .replace(/\*/g, '[^/]*')
          .replace(/\?/g, '[^/]');
    }
    needSep = true;
  });
  return new RegExp(`^${re}$`);
}
