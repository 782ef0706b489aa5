/**
 * PEP 440 versions: parsing, total ordering and version specifiers, as the `VersionScheme`
 * the resolver uses for PyPI packages. Follows PEP 440 and the reference implementation in
 * `packaging` (version.py `_cmpkey`, specifiers.py) so vet orders and matches versions the
 * way pip and uv do.
 *
 * Numbers are BigInt: calendar versions such as 20240101 and hostile 40-digit segments must
 * compare exactly.
 */
import type { VersionScheme } from './scheme.js';

export interface Pep440Version {
  epoch: bigint;
  release: bigint[];
  /** Normalised label: 'a' | 'b' | 'rc'. */
  pre?: { label: 'a' | 'b' | 'rc'; n: bigint };
  post?: bigint;
  dev?: bigint;
  /** Local segments, lower-cased, split on `.`/`-`/`_`. */
  local?: string[];
}

// PEP 440 Appendix B, the permissive form pip accepts (case-insensitive, `v` prefix, separators).
const VERSION_RE = new RegExp(
  '^v?(?:(?<epoch>[0-9]+)!)?(?<release>[0-9]+(?:\\.[0-9]+)*)' +
    '(?<pre>[-_.]?(?<prel>alpha|a|beta|b|preview|pre|c|rc)[-_.]?(?<pren>[0-9]+)?)?' +
    '(?<post>(?:-(?<postn1>[0-9]+))|(?:[-_.]?(?<postl>post|rev|r)[-_.]?(?<postn2>[0-9]+)?))?' +
    '(?<dev>[-_.]?(?<devl>dev)[-_.]?(?<devn>[0-9]+)?)?' +
    '(?:\\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?$',
  'i',
);

const PRE_LABELS: Record<string, 'a' | 'b' | 'rc'> = {
  a: 'a',
  alpha: 'a',
  b: 'b',
  beta: 'b',
  c: 'rc',
  rc: 'rc',
  pre: 'rc',
  preview: 'rc',
};

/** Parse a PEP 440 version; undefined when it is not one. */
export function parsePep440(text: string): Pep440Version | undefined {
  const m = VERSION_RE.exec(text.trim());
  const g = m?.groups;
  if (!g || g.release === undefined) return undefined;
  const v: Pep440Version = {
    epoch: BigInt(g.epoch ?? '0'),
    release: g.release.split('.').map((s) => BigInt(s)),
  };
  if (g.prel !== undefined) v.pre = { label: PRE_LABELS[g.prel.toLowerCase()] ?? 'rc', n: BigInt(g.pren ?? '0') };
  if (g.post !== undefined) v.post = BigInt(g.postn1 ?? g.postn2 ?? '0');
  if (g.dev !== undefined) v.dev = BigInt(g.devn ?? '0');
  if (g.local !== undefined) v.local = g.local.toLowerCase().split(/[-_.]/);
  return v;
}

/** The canonical spelling (`1.0.0-RC1` → `1.0.0rc1`, `1.0-1` → `1.0.post1`). */
export function formatPep440(v: Pep440Version): string {
  let s = v.epoch === 0n ? '' : `${v.epoch}!`;
  s += v.release.join('.');
  if (v.pre) s += `${v.pre.label}${v.pre.n}`;
  if (v.post !== undefined) s += `.post${v.post}`;
  if (v.dev !== undefined) s += `.dev${v.dev}`;
  if (v.local) s += `+${v.local.join('.')}`;
  return s;
}

export function isPep440Prerelease(v: Pep440Version): boolean {
  return v.pre !== undefined || v.dev !== undefined;
}

const cmpBig = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0);

/** Release segments compare as if padded with zeros (1.0 == 1.0.0). */
function compareRelease(a: bigint[], b: bigint[]): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = cmpBig(a[i] ?? 0n, b[i] ?? 0n);
    if (c !== 0) return c;
  }
  return 0;
}

// Rank of the pre-release slot: a dev-only release sorts before any pre-release of the same
// release (1.0.dev0 < 1.0a0), a final release after all of them (packaging `_cmpkey`).
function preKey(v: Pep440Version): [number, bigint] {
  if (v.pre) return [{ a: 1, b: 2, rc: 3 }[v.pre.label], v.pre.n];
  if (v.post === undefined && v.dev !== undefined) return [0, 0n];
  return [4, 0n];
}

function compareLocal(a: string[] | undefined, b: string[] | undefined): number {
  if (!a || !b) return a ? 1 : b ? -1 : 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i] as string;
    const y = b[i] as string;
    const xn = /^[0-9]+$/.test(x);
    const yn = /^[0-9]+$/.test(y);
    // Numeric segments sort after alphanumeric ones (PEP 440 "Local version identifiers").
    if (xn !== yn) return xn ? 1 : -1;
    const c = xn ? cmpBig(BigInt(x), BigInt(y)) : x < y ? -1 : x > y ? 1 : 0;
    if (c !== 0) return c;
  }
  return a.length - b.length === 0 ? 0 : a.length < b.length ? -1 : 1;
}

/** Total order of parsed versions (PEP 440 "Summary of permitted suffixes and relative ordering"). */
export function comparePep440Versions(a: Pep440Version, b: Pep440Version): number {
  const steps: Array<() => number> = [
    () => cmpBig(a.epoch, b.epoch),
    () => compareRelease(a.release, b.release),
    () => {
      const [pa, na] = preKey(a);
      const [pb, nb] = preKey(b);
      return pa !== pb ? pa - pb : cmpBig(na, nb);
    },
    () => (a.post === b.post ? 0 : a.post === undefined ? -1 : b.post === undefined ? 1 : cmpBig(a.post, b.post)),
    () => (a.dev === b.dev ? 0 : a.dev === undefined ? 1 : b.dev === undefined ? -1 : cmpBig(a.dev, b.dev)),
    () => compareLocal(a.local, b.local),
  ];
  for (const step of steps) {
    const c = step();
    if (c !== 0) return c < 0 ? -1 : 1;
  }
  return 0;
}

/** Compare two version strings; invalid versions sort by string after all valid ones. */
export function comparePep440(a: string, b: string): number {
  const va = parsePep440(a);
  const vb = parsePep440(b);
  if (va && vb) return comparePep440Versions(va, vb);
  if (va) return -1;
  if (vb) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// Specifiers (PEP 440 "Version specifiers")

export type Pep440Operator = '~=' | '==' | '!=' | '<=' | '>=' | '<' | '>' | '===';

export interface Pep440Specifier {
  op: Pep440Operator;
  /** The version text as written (without `.*`). */
  text: string;
  /** Parsed version; undefined only for `===` arbitrary equality. */
  version?: Pep440Version;
  /** `==1.2.*` / `!=1.2.*`. */
  wildcard: boolean;
}

const SPEC_RE = /^(~=|===|==|!=|<=|>=|<|>)\s*(\S+)$/;

/** Parse one clause such as `>=1.0` or `==2.*`; returns a reason string when invalid. */
export function parsePep440Specifier(clause: string): Pep440Specifier | string {
  const m = SPEC_RE.exec(clause.trim());
  if (!m) return `"${clause.trim()}" is not a version specifier (expected an operator such as >=, ==, ~=)`;
  const op = m[1] as Pep440Operator;
  let text = m[2] as string;
  if (op === '===') return { op, text, wildcard: false };
  const wildcard = text.endsWith('.*');
  if (wildcard) {
    if (op !== '==' && op !== '!=') return `"${clause.trim()}": a .* wildcard is only allowed with == and !=`;
    text = text.slice(0, -2);
  }
  const version = parsePep440(text);
  if (!version) return `"${text}" is not a PEP 440 version`;
  if (wildcard && (version.pre || version.post !== undefined || version.dev !== undefined || version.local))
    return `"${clause.trim()}": a .* wildcard may only follow release numbers`;
  if (version.local && op !== '==' && op !== '!=')
    return `"${clause.trim()}": local versions are only allowed with == and !=`;
  if (op === '~=' && version.release.length < 2) return `"${clause.trim()}": ~= needs at least two release numbers`;
  return { op, text, version, wildcard };
}

/** Parse a comma-separated specifier set; `*` or an empty string means "any version". */
export function parsePep440Specifiers(requirement: string): Pep440Specifier[] | string {
  const trimmed = requirement.trim();
  if (trimmed === '' || trimmed === '*') return [];
  const out: Pep440Specifier[] = [];
  for (const clause of trimmed.split(',')) {
    const spec = parsePep440Specifier(clause);
    if (typeof spec === 'string') return spec;
    out.push(spec);
  }
  return out;
}

const publicOf = (v: Pep440Version): Pep440Version => ({ ...v, local: undefined });
const baseOf = (v: Pep440Version): Pep440Version => ({ epoch: v.epoch, release: v.release });
const eq = (a: Pep440Version, b: Pep440Version): boolean => comparePep440Versions(a, b) === 0;

function prefixMatch(v: Pep440Version, prefix: Pep440Version): boolean {
  if (v.epoch !== prefix.epoch) return false;
  return prefix.release.every((seg, i) => (v.release[i] ?? 0n) === seg);
}

function matchOne(v: Pep440Version, raw: string, s: Pep440Specifier): boolean {
  if (s.op === '===') return raw.trim().toLowerCase() === s.text.toLowerCase();
  const sv = s.version as Pep440Version;
  switch (s.op) {
    case '==':
    case '!=': {
      const hit = s.wildcard ? prefixMatch(v, sv) : eq(sv.local ? v : publicOf(v), sv);
      return s.op === '==' ? hit : !hit;
    }
    case '~=': {
      const prefix: Pep440Version = { epoch: sv.epoch, release: sv.release.slice(0, -1) };
      return comparePep440Versions(publicOf(v), sv) >= 0 && prefixMatch(v, prefix);
    }
    case '<=':
      return comparePep440Versions(publicOf(v), sv) <= 0;
    case '>=':
      return comparePep440Versions(publicOf(v), sv) >= 0;
    case '<':
      // `<V` never admits a pre-release of V itself unless V is a pre-release.
      if (comparePep440Versions(v, sv) >= 0) return false;
      return isPep440Prerelease(sv) || !isPep440Prerelease(v) || !eq(baseOf(v), baseOf(sv));
    case '>':
      // `>V` never admits a post-release or local version of V itself unless named.
      if (comparePep440Versions(v, sv) <= 0) return false;
      if (sv.post === undefined && v.post !== undefined && eq(baseOf(v), baseOf(sv))) return false;
      return !(v.local && eq(baseOf(v), baseOf(sv)));
  }
}

/** Pre-releases match only when a clause names one (PEP 440 "Handling of pre-releases"). */
function setAllowsPrereleases(specs: Pep440Specifier[]): boolean {
  return specs.some(
    (s) => s.op !== '!=' && (s.op === '===' || (s.version !== undefined && isPep440Prerelease(s.version))),
  );
}

export interface Pep440MatchOptions {
  /** Force pre-release acceptance on or off; default follows PEP 440. */
  prereleases?: boolean;
}

/**
 * Does `version` satisfy the specifier set? Invalid versions or requirements never match
 * (except `===`, which compares strings). `*` / empty matches every valid version.
 */
export function pep440Satisfies(version: string, requirement: string, options: Pep440MatchOptions = {}): boolean {
  const specs = parsePep440Specifiers(requirement);
  if (typeof specs === 'string') return false;
  const v = parsePep440(version);
  if (!v)
    return specs.length > 0 && specs.every((s) => s.op === '===' && matchOne({ epoch: 0n, release: [] }, version, s));
  if (specs.length === 0) return true;
  const allowPre = options.prereleases ?? setAllowsPrereleases(specs);
  if (isPep440Prerelease(v) && !allowPre) return false;
  return specs.every((s) => matchOne(v, version, s));
}

export const pep440Scheme: VersionScheme = {
  validate: (version) => (parsePep440(version) ? undefined : 'not a PEP 440 version'),
  compare: comparePep440,
  satisfies: (version, requirement) => pep440Satisfies(version, requirement),
  validateRequirement: (requirement) => {
    const r = parsePep440Specifiers(requirement);
    return typeof r === 'string' ? r : undefined;
  },
};
