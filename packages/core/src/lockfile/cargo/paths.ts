/**
 * Workspace-relative directory names ("relDir"): POSIX, no leading "./", no trailing "/",
 * "" for the workspace root. Every manifest and path package is keyed by one.
 */
import { posix } from 'node:path';

export function normalizeRelDir(p: string): string {
  const n = posix.normalize(p.replace(/\\/g, '/'));
  if (n === '.' || n === './' || n === '') return '';
  return n.replace(/\/+$/, '').replace(/^\.\//, '');
}

/**
 * `path` written in the manifest at `baseDir`, as a workspace-relative directory. An absolute
 * path (unusual, not portable) stays absolute and counts as outside the workspace.
 */
export function joinRelDir(baseDir: string, path: string): string {
  const p = path.replace(/\\/g, '/');
  if (p.startsWith('/')) return posix.normalize(p).replace(/(.)\/+$/, '$1');
  return normalizeRelDir(posix.join(baseDir === '' ? '.' : baseDir, p));
}

/** "Cargo.toml" or "<relDir>/Cargo.toml", for messages. */
export function manifestFileName(relDir: string): string {
  return relDir === '' ? 'Cargo.toml' : `${relDir}/Cargo.toml`;
}

/** Is `dir` equal to or below `ancestor`? (Both relDirs; "" is the root.) */
export function isWithin(dir: string, ancestor: string): boolean {
  if (ancestor === '') return dir !== '..' && !dir.startsWith('../') && !dir.startsWith('/');
  return dir === ancestor || dir.startsWith(`${ancestor}/`);
}
