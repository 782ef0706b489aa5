/**
 * Cargo versions as cargo-vet sees them (spec/cargo-vet-format.md §2): a strict semver
 * version, optionally followed by `@git:<40 hex>`, and violation requirements in the
 * semver crate's `VersionReq` syntax with its pre-release matching rule.
 * Written to mirror the semver crate (dtolnay/semver 1.x) rather than node-semver, whose
 * loose parsing and range grammar differ.
 */
import type { VersionScheme } from './scheme.js';

export interface CargoSemver {
  major: bigint;
  minor: bigint;
  patch: bigint;
  /** Dot-separated identifiers, '' when absent. */
  pre: string;
  build: string;
}

export interface CargoVersion {
  semver: CargoSemver;
  /** 40 hex digits for a git version, else undefined. */
  gitRev: string | undefined;
}

export type CargoOp = '=' | '>' | '>=' | '<' | '<=' | '~' | '^' | '*';

export interface CargoComparator {
  op: CargoOp;
  major: bigint;
  minor: bigint | undefined;
  patch: bigint | undefined;
  pre: string;
}

/** An empty comparator list is `*`. */
export interface CargoVersionReq {
  comparators: CargoComparator[];
}

class Fail extends Error {}

const U64_MAX = (1n << 64n) - 1n;

/** Reads a numeric identifier (no leading zeros, fits u64) at the start of `text`. */
function numeric(text: string, what: string): [bigint, string] {
  const m = /^[0-9]+/.exec(text);
  if (!m) throw new Fail(`expected ${what} number`);
  const digits = m[0];
  if (digits.length > 1 && digits.startsWith('0')) throw new Fail(`leading zero in ${what}`);
  const value = BigInt(digits);
  if (value > U64_MAX) throw new Fail(`${what} does not fit in 64 bits`);
  return [value, text.slice(digits.length)];
}

/** Reads dot-separated identifiers of [0-9A-Za-z-]; numeric pre-release parts may not have leading zeros. */
function identifiers(text: string, kind: 'pre-release' | 'build'): [string, string] {
  const m = /^[0-9A-Za-z.-]*/.exec(text);
  const ids = m ? m[0] : '';
  for (const part of ids.split('.')) {
    if (part === '') throw new Fail(`empty identifier segment in ${kind}`);
    if (kind === 'pre-release' && /^[0-9]+$/.test(part) && part.length > 1 && part.startsWith('0')) {
      throw new Fail('leading zero in pre-release identifier');
    }
  }
  return [ids, text.slice(ids.length)];
}

function parseSemverStrict(text: string): CargoSemver {
  let rest = text;
  const take = (what: string): bigint => {
    const [n, r] = numeric(rest, what);
    rest = r;
    return n;
  };
  const dot = (): void => {
    if (!rest.startsWith('.')) throw new Fail('expected "."');
    rest = rest.slice(1);
  };
  const major = take('major version');
  dot();
  const minor = take('minor version');
  dot();
  const patch = take('patch version');
  let pre = '';
  let build = '';
  if (rest.startsWith('-')) [pre, rest] = identifiers(rest.slice(1), 'pre-release');
  if (rest.startsWith('+')) [build, rest] = identifiers(rest.slice(1), 'build');
  if (rest !== '') throw new Fail(`unexpected character ${JSON.stringify(rest[0])}`);
  return { major, minor, patch, pre, build };
}

/** Parses `x.y.z[-pre][+build][@git:<hash>]`; throws a plain Error with the reason. */
export function parseCargoVersion(text: string): CargoVersion {
  try {
    const at = text.indexOf('@');
    if (at < 0) return { semver: parseSemverStrict(text), gitRev: undefined };
    const rev = text.slice(at + 1).trimStart();
    if (!rev.startsWith('git:')) throw new Fail('unrecognized revision type');
    const hash = rev.slice(4);
    if (!/^[0-9a-fA-F]{40}$/.test(hash)) throw new Fail('invalid git hash (want 40 hex digits)');
    return { semver: parseSemverStrict(text.slice(0, at).trimEnd()), gitRev: hash };
  } catch (e) {
    if (e instanceof Fail) throw new Error(`invalid version ${JSON.stringify(text)}: ${e.message}`, { cause: e });
    throw e;
  }
}

export function formatCargoSemver(v: CargoSemver): string {
  let s = `${v.major}.${v.minor}.${v.patch}`;
  if (v.pre) s += `-${v.pre}`;
  if (v.build) s += `+${v.build}`;
  return s;
}

export function formatCargoVersion(v: CargoVersion): string {
  const base = formatCargoSemver(v.semver);
  return v.gitRev === undefined ? base : `${base}@git:${v.gitRev}`;
}

const cmpBig = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0);
const cmpStr = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** semver crate `Prerelease` order: a release (empty) sorts after any pre-release. */
export function comparePrerelease(a: string, b: string): number {
  if (a === b) return 0;
  if (a === '') return 1;
  if (b === '') return -1;
  return compareIdentifiers(a, b, (x, y) => cmpBig(BigInt(x), BigInt(y)));
}

/** semver crate `BuildMetadata` order: empty first; numeric parts by value then length. */
function compareBuild(a: string, b: string): number {
  if (a === b) return 0;
  if (a === '') return -1;
  if (b === '') return 1;
  return compareIdentifiers(a, b, (x, y) => {
    const tx = x.replace(/^0+/, '');
    const ty = y.replace(/^0+/, '');
    return tx.length - ty.length || cmpStr(tx, ty) || x.length - y.length;
  });
}

function compareIdentifiers(a: string, b: string, numCmp: (x: string, y: string) => number): number {
  const as = a.split('.');
  const bs = b.split('.');
  for (let i = 0; i < as.length; i++) {
    const x = as[i]!;
    const y = bs[i];
    if (y === undefined) return 1;
    const xn = /^[0-9]+$/.test(x);
    const yn = /^[0-9]+$/.test(y);
    const c = xn && yn ? numCmp(x, y) : xn ? -1 : yn ? 1 : cmpStr(x, y);
    if (c !== 0) return Math.sign(c);
  }
  return as.length < bs.length ? -1 : 0;
}

export function compareCargoSemver(a: CargoSemver, b: CargoSemver): number {
  return (
    cmpBig(a.major, b.major) ||
    cmpBig(a.minor, b.minor) ||
    cmpBig(a.patch, b.patch) ||
    comparePrerelease(a.pre, b.pre) ||
    compareBuild(a.build, b.build)
  );
}

/** VetVersion order: semver, then git hash with "no hash" first (spec §2). */
export function compareCargoVersions(a: CargoVersion, b: CargoVersion): number {
  const c = compareCargoSemver(a.semver, b.semver);
  if (c !== 0) return c;
  if (a.gitRev === b.gitRev) return 0;
  if (a.gitRev === undefined) return -1;
  if (b.gitRev === undefined) return 1;
  return cmpStr(a.gitRev, b.gitRev);
}

// ---- VersionReq ------------------------------------------------------------------

function takeWildcard(text: string): string | undefined {
  const c = text[0];
  return c === '*' || c === 'x' || c === 'X' ? text.slice(1) : undefined;
}

function takeOp(text: string): [CargoOp | undefined, string] {
  if (text.startsWith('>=')) return ['>=', text.slice(2)];
  if (text.startsWith('<=')) return ['<=', text.slice(2)];
  const c = text[0];
  if (c === '=' || c === '>' || c === '<' || c === '~' || c === '^') return [c, text.slice(1)];
  return [undefined, text];
}

function parseComparator(input: string): [CargoComparator, string] {
  const [explicitOp, afterOp] = takeOp(input);
  let op: CargoOp = explicitOp ?? '^';
  const defaultOp = explicitOp === undefined;
  let text = afterOp.replace(/^ +/, '');
  const [major, afterMajor] = numeric(text, 'major version');
  text = afterMajor;
  let minor: bigint | undefined;
  let patch: bigint | undefined;
  let hasWildcard = false;
  if (text.startsWith('.')) {
    const w = takeWildcard(text.slice(1));
    if (w !== undefined) {
      hasWildcard = true;
      if (defaultOp) op = '*';
      text = w;
    } else [minor, text] = numeric(text.slice(1), 'minor version');
  }
  if (text.startsWith('.')) {
    const w = takeWildcard(text.slice(1));
    if (w !== undefined) {
      if (defaultOp) op = '*';
      text = w;
    } else if (hasWildcard) throw new Fail('unexpected character after wildcard');
    else [patch, text] = numeric(text.slice(1), 'patch version');
  }
  let pre = '';
  if (patch !== undefined && text.startsWith('-')) [pre, text] = identifiers(text.slice(1), 'pre-release');
  if (patch !== undefined && text.startsWith('+')) [, text] = identifiers(text.slice(1), 'build');
  return [{ op, major, minor, patch, pre }, text.replace(/^ +/, '')];
}

/** Parses a semver-crate `VersionReq` ("*", ">=2.0, <2.3", "=1.0.0", "1.0.0" = "^1.0.0"). */
export function parseCargoVersionReq(input: string): CargoVersionReq {
  try {
    const text = input.replace(/^ +/, '');
    const afterStar = takeWildcard(text);
    if (afterStar !== undefined) {
      if (afterStar.replace(/^ +/, '') === '') return { comparators: [] };
      throw new Fail('a wildcard must be the only comparator');
    }
    const comparators: CargoComparator[] = [];
    let rest = text;
    for (;;) {
      const [cmp, after] = parseComparator(rest);
      comparators.push(cmp);
      if (after === '') return { comparators };
      if (!after.startsWith(',')) throw new Fail(`expected comma after ${formatComparator(cmp)}`);
      if (comparators.length === 32) throw new Fail('too many comparators');
      rest = after.slice(1).replace(/^ +/, '');
    }
  } catch (e) {
    if (e instanceof Fail)
      throw new Error(`invalid version requirement ${JSON.stringify(input)}: ${e.message}`, { cause: e });
    throw e;
  }
}

function formatComparator(c: CargoComparator): string {
  let s = `${c.op === '*' ? '' : c.op}${c.major}`;
  if (c.minor !== undefined) {
    s += `.${c.minor}`;
    if (c.patch !== undefined) {
      s += `.${c.patch}`;
      if (c.pre) s += `-${c.pre}`;
    } else if (c.op === '*') s += '.*';
  } else if (c.op === '*') s += '.*';
  return s;
}

/** The semver crate's normalised display, which cargo-vet writes back. */
export function formatCargoVersionReq(req: CargoVersionReq): string {
  return req.comparators.length === 0 ? '*' : req.comparators.map(formatComparator).join(', ');
}

function matchesExact(c: CargoComparator, v: CargoSemver): boolean {
  if (v.major !== c.major) return false;
  if (c.minor !== undefined && v.minor !== c.minor) return false;
  if (c.patch !== undefined && v.patch !== c.patch) return false;
  return v.pre === c.pre;
}

/** `sign` 1 for greater, -1 for less. */
function matchesOrder(c: CargoComparator, v: CargoSemver, sign: 1 | -1): boolean {
  if (v.major !== c.major) return cmpBig(v.major, c.major) === sign;
  if (c.minor === undefined) return false;
  if (v.minor !== c.minor) return cmpBig(v.minor, c.minor) === sign;
  if (c.patch === undefined) return false;
  if (v.patch !== c.patch) return cmpBig(v.patch, c.patch) === sign;
  return comparePrerelease(v.pre, c.pre) === sign;
}

function matchesTilde(c: CargoComparator, v: CargoSemver): boolean {
  if (v.major !== c.major) return false;
  if (c.minor !== undefined && v.minor !== c.minor) return false;
  if (c.patch !== undefined && v.patch !== c.patch) return v.patch > c.patch;
  return comparePrerelease(v.pre, c.pre) >= 0;
}

function matchesCaret(c: CargoComparator, v: CargoSemver): boolean {
  if (v.major !== c.major) return false;
  if (c.minor === undefined) return true;
  if (c.patch === undefined) return c.major > 0n ? v.minor >= c.minor : v.minor === c.minor;
  if (c.major > 0n) {
    if (v.minor !== c.minor) return v.minor > c.minor;
    if (v.patch !== c.patch) return v.patch > c.patch;
  } else if (c.minor > 0n) {
    if (v.minor !== c.minor) return false;
    if (v.patch !== c.patch) return v.patch > c.patch;
  } else if (v.minor !== c.minor || v.patch !== c.patch) return false;
  return comparePrerelease(v.pre, c.pre) >= 0;
}

function matchesComparator(c: CargoComparator, v: CargoSemver): boolean {
  switch (c.op) {
    case '=':
    case '*':
      return matchesExact(c, v);
    case '>':
      return matchesOrder(c, v, 1);
    case '>=':
      return matchesExact(c, v) || matchesOrder(c, v, 1);
    case '<':
      return matchesOrder(c, v, -1);
    case '<=':
      return matchesExact(c, v) || matchesOrder(c, v, -1);
    case '~':
      return matchesTilde(c, v);
    case '^':
      return matchesCaret(c, v);
  }
}

/**
 * semver crate matching: every comparator must match, and a pre-release version only
 * matches when some comparator names a pre-release of the same major.minor.patch
 * (so `*` never matches `1.0.0-alpha`). A git version is matched by its semver part.
 */
export function cargoReqMatches(req: CargoVersionReq, version: CargoVersion): boolean {
  const v = version.semver;
  if (!req.comparators.every((c) => matchesComparator(c, v))) return false;
  if (v.pre === '') return true;
  return req.comparators.some((c) => c.major === v.major && c.minor === v.minor && c.patch === v.patch && c.pre !== '');
}

function reason(f: () => unknown): string | undefined {
  try {
    f();
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/** Parsed values are cached: the resolver compares the same few strings many times. */
const versionCache = new Map<string, CargoVersion | null>();
function cachedVersion(text: string): CargoVersion | undefined {
  let v = versionCache.get(text);
  if (v === undefined) {
    v = (() => {
      try {
        return parseCargoVersion(text);
      } catch {
        return null;
      }
    })();
    if (versionCache.size > 50_000) versionCache.clear();
    versionCache.set(text, v);
  }
  return v ?? undefined;
}

export const cargoVersionScheme: VersionScheme & {
  canonical(version: string): string;
  displayRequirement(requirement: string): string;
} = {
  validate: (version) => reason(() => parseCargoVersion(version)),
  compare(a, b) {
    const va = cachedVersion(a);
    const vb = cachedVersion(b);
    if (va && vb) return compareCargoVersions(va, vb);
    if (va) return -1;
    if (vb) return 1;
    return cmpStr(a, b);
  },
  satisfies(version, requirement) {
    const v = cachedVersion(version);
    if (!v) return false;
    try {
      return cargoReqMatches(parseCargoVersionReq(requirement), v);
    } catch {
      return false;
    }
  },
  validateRequirement: (requirement) => reason(() => parseCargoVersionReq(requirement)),
  /** Display form of a version (whitespace around `@` removed); unparsable text is kept as is. */
  canonical(version) {
    const v = cachedVersion(version);
    return v ? formatCargoVersion(v) : version;
  },
  displayRequirement(requirement) {
    try {
      return formatCargoVersionReq(parseCargoVersionReq(requirement));
    } catch {
      return requirement;
    }
  },
};
