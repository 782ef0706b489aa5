/**
 * npm versions: node-semver ordering and npm ranges for violations. node-semver's
 * `satisfies` already applies the same pre-release rule as the semver crate (a
 * pre-release only matches a range that names a pre-release of the same x.y.z), so
 * `*` does not match `1.0.0-beta`, as in cargo-vet.
 */
import semver from 'semver';
import type { SemVer } from 'semver';
import type { VersionScheme } from './scheme.js';

const cmpStr = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Parsed versions are cached: the resolver sorts and compares the same strings many times. */
const cache = new Map<string, SemVer | null>();

/** `x.y.z@git:<40 hex>` (a git dependency, as cargo-vet writes git crates) → `x.y.z`; else as is. */
function semverPart(version: string): string | undefined {
  const at = version.indexOf('@git:');
  if (at < 0) return version;
  return /^[0-9a-f]{40}$/.test(version.slice(at + 5)) ? version.slice(0, at) : undefined;
}

type Triple = readonly [number, number, number];

/**
 * x.y.z and nothing else (components of at most 15 digits, so below 2^53 as node-semver
 * requires), as nearly every locked version is: validated and ordered without node-semver,
 * whose parse was most of a cold resolver's final sort (issue 12). node-semver orders two such
 * versions by major, minor and patch alone, as `compare` below does.
 */
const PLAIN = /^(0|[1-9][0-9]{0,14})\.(0|[1-9][0-9]{0,14})\.(0|[1-9][0-9]{0,14})$/;
const plainCache = new Map<string, Triple | null>();

function plain(version: string): Triple | null {
  let v = plainCache.get(version);
  if (v === undefined) {
    const sem = semverPart(version);
    const m = sem === undefined ? null : PLAIN.exec(sem);
    v = m === null ? null : [Number(m[1]), Number(m[2]), Number(m[3])];
    if (plainCache.size > 50_000) plainCache.clear();
    plainCache.set(version, v);
  }
  return v;
}

const cmpNum = (a: number, b: number): number => (a < b ? -1 : a > b ? 1 : 0);

function strict(version: string): SemVer | null {
  let v = cache.get(version);
  if (v === undefined) {
    // `semver.parse` would accept "v1.2.3" and "=1.2.3"; lockfiles never write those.
    const sem = semverPart(version);
    v = sem !== undefined && /^[0-9]/.test(sem) ? semver.parse(sem, { loose: false }) : null;
    if (cache.size > 50_000) cache.clear();
    cache.set(version, v);
  }
  return v;
}

export const npmVersionScheme: VersionScheme & {
  canonical(version: string): string;
  displayRequirement(requirement: string): string;
} = {
  validate: (version) =>
    plain(version) || strict(version) ? undefined : `not a semver version: ${JSON.stringify(version)}`,
  compare(a, b) {
    const pa = plain(a);
    const pb = plain(b);
    if (pa && pb) return cmpNum(pa[0], pb[0]) || cmpNum(pa[1], pb[1]) || cmpNum(pa[2], pb[2]) || cmpStr(a, b);
    const va = strict(a);
    const vb = strict(b);
    if (va && vb) return va.compareMain(vb) || va.comparePre(vb) || va.compareBuild(vb) || cmpStr(a, b);
    if (va) return -1;
    if (vb) return 1;
    return cmpStr(a, b);
  },
  satisfies(version, requirement) {
    const v = strict(version);
    if (!v) return false;
    return semver.satisfies(v, requirement, { includePrerelease: false });
  },
  validateRequirement: (requirement) =>
    semver.validRange(requirement) === null ? `not an npm version range: ${JSON.stringify(requirement)}` : undefined,
  canonical: (version) => version,
  displayRequirement: (requirement) => requirement,
};
