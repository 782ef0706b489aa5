/**
 * The package-URL subset vet statements use as in-toto subject names:
 * `pkg:<npm|pypi|cargo>/<name>[@<version>]`, each path segment and the version
 * percent-encoded (purl spec), so npm's `@scope/name` becomes `pkg:npm/%40scope/name`.
 * Qualifiers and subpaths are not used and are rejected when parsing.
 */
import type { Ecosystem } from '../graph.js';

const ECOSYSTEMS: readonly Ecosystem[] = ['npm', 'pypi', 'cargo'];

export function vetPurl(ecosystem: Ecosystem, name: string, version?: string): string {
  const path = name.split('/').map(encodeURIComponent).join('/');
  return `pkg:${ecosystem}/${path}${version === undefined ? '' : `@${encodeURIComponent(version)}`}`;
}

/** Inverse of vetPurl; undefined for anything it would not produce. */
export function parseVetPurl(purl: string): { ecosystem: Ecosystem; name: string; version?: string } | undefined {
  const m = /^pkg:([a-z]+)\/([^@?#]+)(?:@([^@?#/]+))?$/.exec(purl);
  if (m === null) return undefined;
  const ecosystem = ECOSYSTEMS.find((e) => e === m[1]);
  if (ecosystem === undefined) return undefined;
  try {
    const segments = m[2]!.split('/').map(decodeURIComponent);
    if (segments.some((s) => s.length === 0) || segments.length > (ecosystem === 'npm' ? 2 : 1)) return undefined;
    const name = segments.join('/');
    const version = m[3] === undefined ? undefined : decodeURIComponent(m[3]);
    // Only the canonical spelling round-trips: no two purls for one package.
    if (vetPurl(ecosystem, name, version) !== purl) return undefined;
    return version === undefined ? { ecosystem, name } : { ecosystem, name, version };
  } catch {
    return undefined; // malformed percent-encoding
  }
}
