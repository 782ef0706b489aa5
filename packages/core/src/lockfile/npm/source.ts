/**
 * Classifying where an npm-ecosystem package came from (spec lockfiles.md §1 "Non-registry
 * sources", §4 protocols). Anything not provably from a registry gets its own kind so the CLI can
 * report it; local kinds (`file`, `link`, `workspace`) are first-party and never vetted.
 */
import type { PackageSource, SourceKind } from '../../graph.js';

const GIT_PREFIX = /^(git\+|git:|git@|github:|gitlab:|bitbucket:|gist:|ssh:\/\/)/;
const LOCAL_KINDS: ReadonlySet<SourceKind> = new Set(['file', 'link', 'workspace', 'path']);

/** `file:`/`link:`/`workspace:`/path sources are first-party: reported, not audited. */
export function isLocalSource(source: PackageSource): boolean {
  return LOCAL_KINDS.has(source.kind);
}

/** Split `name@rest` at the first `@` after index 0, so `@scope/name@1.0.0` keeps its scope. */
export function splitNameAt(spec: string): { name: string; rest: string } | undefined {
  const at = spec.indexOf('@', 1);
  if (at <= 0) return undefined;
  return { name: spec.slice(0, at), rest: spec.slice(at + 1) };
}

/** Commit pinned in a git URL fragment: `#<sha>` (npm) or `#commit=<sha>` (Berry). */
function gitCommit(url: string): string | undefined {
  const fragment = url.split('#')[1];
  if (fragment === undefined) return undefined;
  const m = /(?:^|[&=])([0-9a-f]{40})(?:$|&)/i.exec(fragment) ?? /^([0-9a-f]{7,40})$/i.exec(fragment);
  return m?.[1]?.toLowerCase();
}

/**
 * A `resolved` URL of the usual `<registry>/<name>/-/<file>.tgz` shape, on any host, is a registry
 * tarball (MANIFEST "Host names"): the fetcher maps it onto the configured registry.
 */
export function isRegistryTarballUrl(url: string): boolean {
  if (!HTTP.test(url)) return false;
  // The path is what comes before the first `?` or `#` (indexOf: no array per lockfile entry).
  const q = url.indexOf('?');
  const h = url.indexOf('#');
  const end = q < 0 ? (h < 0 ? url.length : h) : h < 0 ? q : Math.min(q, h);
  const dash = url.indexOf('/-/');
  return dash >= 0 && dash + 3 <= end && end >= 4 && url.startsWith('.tgz', end - 4);
}

const HTTP = /^https?:\/\//i;

/**
 * Classify an npm/yarn-v1 `resolved` value (or a v1 `version` spec). `undefined` means the lockfile
 * was written without `resolved` (omit-lockfile-registry-resolved): a registry package.
 */
export function classifyResolved(resolved: string | undefined): PackageSource {
  if (resolved === undefined || resolved === '') return { kind: 'registry' };
  // Most entries: an http(s) URL, which none of the prefixes below can start.
  if (HTTP.test(resolved)) return classifyHttp(resolved);
  if (GIT_PREFIX.test(resolved)) {
    const commit = gitCommit(resolved);
    return { kind: 'git', url: resolved, ...(commit === undefined ? {} : { commit }) };
  }
  if (resolved.startsWith('file:')) return { kind: 'file', url: resolved };
  if (resolved.startsWith('link:')) return { kind: 'link', url: resolved };
  if (resolved.startsWith('workspace:')) return { kind: 'workspace', url: resolved };
  if (resolved.startsWith('portal:')) return { kind: 'link', url: resolved };
  if (/^[a-z][a-z0-9+.-]*:/i.test(resolved)) return { kind: 'unknown', url: resolved };
  // A bare relative or absolute path: npm writes folder and tarball deps this way.
  return { kind: 'file', url: resolved };
}

function classifyHttp(url: string): PackageSource {
  if (isRegistryTarballUrl(url)) return { kind: 'registry', url };
  // GitHub's codeload archives are remote tarballs pinned by the commit in their path.
  const codeload = /^https?:\/\/codeload\.github\.com\/[^/]+\/[^/]+\/tar\.gz\/([0-9a-f]{40})/i.exec(url);
  if (codeload?.[1] !== undefined) return { kind: 'tarball', url, commit: codeload[1].toLowerCase() };
  if (/\.git(#|$)/.test(url)) {
    const commit = gitCommit(url);
    return { kind: 'git', url, ...(commit === undefined ? {} : { commit }) };
  }
  return { kind: 'tarball', url };
}
