/**
 * The I/O edge of the npm-ecosystem readers (STYLE §3): find the lockfile, read it and the
 * package.json manifests its format needs, and hand plain text to the pure parse functions.
 */
import { existsSync, readdir, readFileSync } from './traced-fs.js';
import path from 'node:path';
import { VetError } from '../errors.js';
import type { DependencyGraph } from '../graph.js';
import { parseBunLock } from '../lockfile/npm/bun.js';
import {
  normalizeDir,
  workspaceMatcher,
  workspacePatterns,
  type NpmManifests,
  type PackageJsonLike,
} from '../lockfile/npm/manifest.js';
import { parsePackageLock } from '../lockfile/npm/package-lock.js';
import { parsePnpmLock } from '../lockfile/npm/pnpm.js';
import { isRecord, parseJsonText, unsupported } from '../lockfile/npm/text.js';
import { parseYarnLock } from '../lockfile/npm/yarn.js';
import { dict } from '../dict.js';

/**
 * Lockfile names in precedence order. npm itself prefers npm-shrinkwrap.json over
 * package-lock.json when both exist; the other package managers never write each other's files,
 * so several of them in one directory means a stale leftover, and npm's files win because npm is
 * the default client. bun.lockb (binary) comes last only so that a project with nothing else gets
 * a clear "unsupported, convert it" error instead of "no lockfile".
 */
export const NPM_LOCKFILE_NAMES = [
  'npm-shrinkwrap.json',
  'package-lock.json',
  'pnpm-lock.yaml',
  'yarn.lock',
  'bun.lock',
  'bun.lockb',
] as const;

/** Path of the lockfile `dir` uses, by the precedence above, or undefined when there is none. */
export function detectNpmLockfile(dir: string): string | undefined {
  for (const name of NPM_LOCKFILE_NAMES) {
    const candidate = path.join(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Read a lockfile (and the manifests next to it that its format needs) into a graph. */
export async function readNpmLockfile(lockfilePath: string): Promise<DependencyGraph> {
  const text = readText(lockfilePath, 'LOCKFILE_NOT_FOUND');
  const dir = path.dirname(lockfilePath);
  const format = lockfileFormat(path.basename(lockfilePath), text, lockfilePath);
  switch (format) {
    case 'package-lock': {
      // Only v1 needs the root manifest (its direct dependencies are not in the lockfile).
      const root = readManifest(dir, '');
      return parsePackageLock(text, lockfilePath, root === undefined ? undefined : { '': root });
    }
    case 'pnpm': {
      // The root manifest only names the root importer; importers' own manifests are not read
      // (astro has 544 of them) so reading stays close to the cost of the YAML parse.
      const root = readManifest(dir, '');
      return parsePnpmLock(text, lockfilePath, root === undefined ? undefined : { '': root });
    }
    case 'yarn':
      return parseYarnLock(text, lockfilePath, await readWorkspaceManifests(dir));
    case 'bun':
      return parseBunLock(text, lockfilePath);
  }
}

type Format = 'package-lock' | 'pnpm' | 'yarn' | 'bun';

function lockfileFormat(base: string, text: string, file: string): Format {
  if (base === 'bun.lockb') {
    throw unsupported(
      'bun.lockb is a binary lockfile',
      file,
      undefined,
      'run `bun install --save-text-lockfile` to write bun.lock, then run vet again',
    );
  }
  if (/^(npm-shrinkwrap|\.?package-lock)\.json$/.test(base)) return 'package-lock';
  if (base === 'pnpm-lock.yaml') return 'pnpm';
  if (base === 'yarn.lock') return 'yarn';
  if (base === 'bun.lock') return 'bun';
  // Unknown name (e.g. a renamed copy): sniff the content.
  const head = text.slice(0, 2000);
  if (/^# yarn lockfile v1/m.test(head) || /^__metadata:/m.test(head)) return 'yarn';
  if (/^(---\s*\n)?lockfileVersion:/m.test(head)) return 'pnpm';
  if (/"workspaces"\s*:\s*\{/.test(head) && /"lockfileVersion"\s*:\s*[012]\s*,/.test(head)) return 'bun';
  if (/"lockfileVersion"/.test(head) || /^\s*\{/.test(head)) return 'package-lock';
  throw unsupported(
    `cannot tell which lockfile format ${base} is`,
    file,
    undefined,
    'name it package-lock.json, pnpm-lock.yaml, yarn.lock or bun.lock',
  );
}

// Synchronous reads: one lockfile and a manifest or a few, read one after another (an
// asynchronous read is four trips through the thread pool; issue 12).
function readText(file: string, missing: 'LOCKFILE_NOT_FOUND' | 'PARSE_ERROR'): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && missing === 'LOCKFILE_NOT_FOUND')
      throw new VetError('LOCKFILE_NOT_FOUND', `no lockfile at ${file}`, { file, cause });
    throw new VetError(missing, `cannot read ${file}: ${(cause as Error).message}`, { file, cause });
  }
}

function readManifest(root: string, dir: string): PackageJsonLike | undefined {
  const file = path.join(root, dir, 'package.json');
  if (!existsSync(file)) return undefined;
  const value = parseJsonText(readText(file, 'PARSE_ERROR'), file);
  return isRecord(value) ? value : undefined;
}

/** Root package.json plus every directory its `workspaces` globs match that holds a package.json. */
async function readWorkspaceManifests(root: string): Promise<NpmManifests> {
  const manifests: NpmManifests = dict();
  const rootManifest = readManifest(root, '');
  if (rootManifest === undefined) return manifests;
  manifests[''] = rootManifest;
  const patterns = workspacePatterns(rootManifest);
  if (patterns.length === 0) return manifests;
  const matches = workspaceMatcher(patterns);
  for (const dir of await listDirs(root, '', 0)) {
    if (!matches(dir)) continue;
    const manifest = readManifest(root, dir);
    if (manifest !== undefined) manifests[dir] = manifest;
  }
  return manifests;
}

/** Directories under `root` (relative, normalised), skipping node_modules and dot dirs; depth-capped. */
async function listDirs(root: string, dir: string, depth: number): Promise<string[]> {
  if (depth > 6) return [];
  let entries;
  try {
    entries = await readdir(path.join(root, dir), { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const e of entries) {
    if (!e.isDirectory() || e.name === 'node_modules' || e.name.startsWith('.')) continue;
    const child = normalizeDir(dir === '' ? e.name : `${dir}/${e.name}`);
    out.push(child, ...(await listDirs(root, child, depth + 1)));
  }
  return out;
}
