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

/** A version `quick` read: major, minor, patch, and the pre-release identifiers (empty when none). */
interface Quick {
  readonly main: readonly [number, number, number];
  readonly pre: readonly (string | number)[];
}

/**
 * `x.y.z` or `x.y.z-pre.release`, without build metadata, at most 256 characters, numbers of at
 * most 15 digits (so exact, below node-semver's 2^53 limit): nearly every locked version. These
 * are validated and ordered here as node-semver does, without loading it (its start-up alone,
 * ~100 regular expressions, was ~5 ms of a warm `vet check --locked`; its parse most of a cold
 * resolver's final sort; issue 12); anything else goes to node-semver.
 */
const IDENT = '(?:0|[1-9][0-9]{0,14}|[0-9]*[A-Za-z-][0-9A-Za-z-]*)';
const QUICK = new RegExp(
  `^(0|[1-9][0-9]{0,14})\\.(0|[1-9][0-9]{0,14})\\.(0|[1-9][0-9]{0,14})(?:-(${IDENT}(?:\\.${IDENT})*))?$`,
);
const quickCache = new Map<string, Quick | null>();

function quick(version: string): Quick | null {
  let v = quickCache.get(version);
  if (v === undefined) {
    const sem = semverPart(version);
    const m = sem === undefined || sem.length > 256 ? null : QUICK.exec(sem);
    v =
      m === null
        ? null
        : {
            main: [Number(m[1]), Number(m[2]), Number(m[3])],
            pre: m[4] === undefined ? [] : m[4].split('.').map((id) => (/^[0-9]+$/.test(id) ? Number(id) : id)),
          };
    if (quickCache.size > 50_000) quickCache.clear();
    quickCache.set(version, v);
  }
  return v;
}

const cmpNum = (a: number, b: number): number => (a < b ? -1 : a > b ? 1 : 0);

/** node-semver's identifier order: numbers numerically and before words, words by code unit. */
function cmpIdent(a: string | number, b: string | number): number {
  if (typeof a === 'number') return typeof b === 'number' ? cmpNum(a, b) : -1;
  return typeof b === 'number' ? 1 : cmpStr(a, b);
}

/** node-semver's compareMain, then comparePre (a release after its pre-releases). */
function cmpQuick(a: Quick, b: Quick): number {
  const main = cmpNum(a.main[0], b.main[0]) || cmpNum(a.main[1], b.main[1]) || cmpNum(a.main[2], b.main[2]);
  if (main !== 0) return main;
  if (a.pre.length === 0 || b.pre.length === 0) return a.pre.length === 0 ? (b.pre.length === 0 ? 0 : 1) : -1;
  for (let i = 0; ; i++) {
    if (i === a.pre.length || i === b.pre.length) return cmpNum(a.pre.length, b.pre.length);
    const c = cmpIdent(a.pre[i]!, b.pre[i]!);
    if (c !== 0) return c;
  }
}

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
    quick(version) || strict(version) ? undefined : `not a semver version: ${JSON.stringify(version)}`,
  compare(a, b) {
    const qa = quick(a);
    const qb = quick(b);
    if (qa && qb) return cmpQuick(qa, qb) || cmpStr(a, b);
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
