/**
 * Cargo version requirements ("1.2", "=1.0.3", ">=1, <2", "~0.4", "1.*") checked with the
 * `semver` package. A bare version means caret in Cargo; comma means "and". Used only to
 * pick which of several declarations of one package a Cargo.lock edge belongs to, so an
 * unparseable requirement matches (the lockfile is authoritative, not the manifest).
 *
 * A workspace asks about the same few requirements and versions thousands of times (wasmtime:
 * every member inherits its dependencies from the root), so the parsed ranges and the answers
 * are memoised (issue 12); both are pure functions of their strings.
 */
import semver from 'semver';

const OPTIONS = { includePrerelease: true, loose: true } as const;
/** Bound on each memo: cleared when it grows past this (a process reads one workspace). */
const MEMO_LIMIT = 50_000;
/** requirement → its semver range, `null` when semver refuses it (`satisfies` is then false). */
const ranges = new Map<string, semver.Range | null>();
/** `${requirement}\0${version}` → answer. */
const answers = new Map<string, boolean>();

export function cargoReqMatches(req: string | undefined, version: string): boolean {
  if (req === undefined) return true;
  const key = `${req}\u0000${version}`;
  let answer = answers.get(key);
  if (answer === undefined) {
    answer = matches(req, version);
    if (answers.size >= MEMO_LIMIT) answers.clear();
    answers.set(key, answer);
  }
  return answer;
}

function matches(req: string, version: string): boolean {
  if (req.trim() === '' || req.trim() === '*') return true;
  let range = ranges.get(req);
  if (range === undefined) {
    range = parseRange(req);
    if (ranges.size >= MEMO_LIMIT) ranges.clear();
    ranges.set(req, range);
  }
  try {
    return range !== null && range.test(version);
  } catch {
    return true;
  }
}

/** As `semver.satisfies` builds it: a requirement semver cannot parse satisfies nothing. */
function parseRange(req: string): semver.Range | null {
  const range = req
    .split(',')
    .map((p) => p.trim())
    .map((p) => (/^\d/.test(p) && !/[*xX]/.test(p) ? `^${p}` : p))
    .join(' ');
  try {
    return new semver.Range(range, OPTIONS);
  } catch {
    return null;
  }
}
