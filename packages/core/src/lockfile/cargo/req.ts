/**
 * Cargo version requirements ("1.2", "=1.0.3", ">=1, <2", "~0.4", "1.*") checked with the
 * `semver` package. A bare version means caret in Cargo; comma means "and". Used only to
 * pick which of several declarations of one package a Cargo.lock edge belongs to, so an
 * unparseable requirement matches (the lockfile is authoritative, not the manifest).
 */
import semver from 'semver';

export function cargoReqMatches(req: string | undefined, version: string): boolean {
  if (req === undefined || req.trim() === '' || req.trim() === '*') return true;
  const range = req
    .split(',')
    .map((p) => p.trim())
    .map((p) => (/^\d/.test(p) && !/[*xX]/.test(p) ? `^${p}` : p))
    .join(' ');
  try {
    return semver.satisfies(version, range, { includePrerelease: true, loose: true });
  } catch {
    return true;
  }
}
