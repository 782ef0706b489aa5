/**
 * cargo-vet's `VetVersion` (spec/cargo-vet-format.md §2): a semver version, optionally
 * followed by `@git:<40 hex>`. Parsing lives here for validation messages; ordering is the
 * resolver's Cargo scheme, so the writer's sort (§9.3) and resolution agree by construction.
 */

import { cargoVersionScheme } from '../version/cargo.js';

export interface VetVersionParts {
  major: bigint;
  minor: bigint;
  patch: bigint;
  pre: string[];
  build: string[];
  gitRev?: string;
}

const NUM = /^(0|[1-9][0-9]*)$/;
const IDENT = /^[0-9A-Za-z-]+$/;

/** Parse a VetVersion; a string is the reason it is not one. */
export function parseVetVersion(text: string): VetVersionParts | string {
  const at = text.indexOf('@');
  if (at >= 0) {
    const rev = text.slice(at + 1).trimStart();
    if (!rev.startsWith('git:')) return 'unrecognized revision type (expected `@git:<hash>`)';
    const hash = rev.slice(4);
    if (!/^[0-9a-fA-F]{40}$/.test(hash)) return 'invalid git hash (expected 40 hex digits)';
    const sem = parseSemver(text.slice(0, at).trimEnd());
    return typeof sem === 'string' ? sem : { ...sem, gitRev: hash };
  }
  return parseSemver(text);
}

function parseSemver(text: string): VetVersionParts | string {
  const plus = text.indexOf('+');
  const core = plus >= 0 ? text.slice(0, plus) : text;
  const build = plus >= 0 ? text.slice(plus + 1).split('.') : [];
  const dash = core.indexOf('-');
  const nums = (dash >= 0 ? core.slice(0, dash) : core).split('.');
  const pre = dash >= 0 ? core.slice(dash + 1).split('.') : [];
  if (nums.length !== 3 || !nums.every((n) => NUM.test(n))) {
    return `not a semver version: "${text}"`;
  }
  if (!pre.every((p) => IDENT.test(p) && (!/^[0-9]+$/.test(p) || NUM.test(p)))) {
    return `invalid pre-release in "${text}"`;
  }
  if (!build.every((b) => IDENT.test(b))) return `invalid build metadata in "${text}"`;
  const [major, minor, patch] = nums.map((n) => BigInt(n)) as [bigint, bigint, bigint];
  return { major, minor, patch, pre, build };
}

export function compareBytes(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // UTF-16 order differs from code point order only for surrogates vs U+E000..U+FFFF.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

/**
 * Total order on version strings: valid VetVersions by semver rules (cargo-vet's, shared with
 * the resolver's Cargo version scheme), invalid ones after, by bytes.
 */
export function compareVetVersions(a: string, b: string): number {
  if (a === b) return 0;
  return cargoVersionScheme.compare(a, b) || compareBytes(a, b);
}

// A full semver version as `parseSemver` accepts it (numbers without leading zeros; pre-release
// identifiers, numeric ones without leading zeros; build identifiers), without `@git:`.
const NUMERIC = '(?:0|[1-9][0-9]*)';
const PRE_ID = `(?:${NUMERIC}|[0-9]*[A-Za-z-][0-9A-Za-z-]*)`;
const BUILD_ID = '[0-9A-Za-z-]+';
const PLAIN_SEMVER = new RegExp(
  `^${NUMERIC}\\.${NUMERIC}\\.${NUMERIC}(?:-${PRE_ID}(?:\\.${PRE_ID})*)?(?:\\+${BUILD_ID}(?:\\.${BUILD_ID})*)?$`,
);

/**
 * undefined when `text` is a VetVersion, else why not. One regex test for a plain semver version
 * (nearly every version of a store: ~1,600 exemptions are checked on every `vet check`), without
 * building its parts; anything else is parsed for its verdict and message.
 */
export function validateVetVersion(text: string): string | undefined {
  if (PLAIN_SEMVER.test(text)) return undefined;
  const p = parseVetVersion(text);
  return typeof p === 'string' ? p : undefined;
}
