/**
 * Python package identity helpers: PEP 503 name normalisation and what a distribution file is.
 * Lockfile hashes cover one file each (a wheel or an sdist), so every hash keeps its file name.
 */
import type { HashCovers, Integrity } from '../../graph.js';

/** PEP 503: lower-case, runs of `-`, `_`, `.` become one `-`. */
export function normalizePypiName(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[-_.]+/g, '-');
}

const SDIST_EXT = /\.(tar\.gz|tgz|tar\.bz2|tbz|tar\.xz|txz|tar|zip)$/i;

/** 'wheel' for `.whl`, 'sdist' for source archives, 'file' when it cannot be told. */
export function pypiFileKind(fileName: string | undefined): HashCovers {
  if (fileName === undefined) return 'file';
  if (/\.whl$/i.test(fileName)) return 'wheel';
  return SDIST_EXT.test(fileName) ? 'sdist' : 'file';
}

/** Last path segment of a URL or path, without query or fragment. */
export function fileNameOf(urlOrPath: string | undefined): string | undefined {
  if (!urlOrPath) return undefined;
  // By index, without splitting the URL into arrays (uv.lock: one call per wheel).
  const q = urlOrPath.search(/[?#]/);
  const end = q < 0 ? urlOrPath.length : q;
  if (end === 0) return undefined;
  const slash = Math.max(urlOrPath.lastIndexOf('/', end - 1), urlOrPath.lastIndexOf('\\', end - 1));
  const last = urlOrPath.slice(slash + 1, end);
  return last ? decodeURIComponent(last) : undefined;
}

const HEX_LEN: Record<string, number> = { md5: 32, sha1: 40, sha224: 56, sha256: 64, sha384: 96, sha512: 128 };

/** A hex digest with its algorithm, checked for length; undefined when malformed. */
export function pypiIntegrity(algo: string, hex: string, file?: string): Integrity | undefined {
  const a = algo.trim().toLowerCase();
  const d = hex.trim().toLowerCase();
  const want = HEX_LEN[a];
  if (want === undefined || d.length !== want || !/^[0-9a-f]+$/.test(d)) return undefined;
  const out: Integrity = { algo: a, digest: d, encoding: 'hex', covers: pypiFileKind(file) };
  if (file !== undefined) out.file = file;
  return out;
}

/** `sha256:<hex>` (the form used by requirements, Poetry, uv and Pipfile.lock). */
export function parseHashSpec(spec: string, file?: string): Integrity | undefined {
  const i = spec.indexOf(':');
  if (i <= 0) return undefined;
  return pypiIntegrity(spec.slice(0, i), spec.slice(i + 1), file);
}
