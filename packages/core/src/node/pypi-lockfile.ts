/**
 * The I/O half of the Python readers: find a project's lockfile and read it (plus the files it
 * needs: pyproject.toml next to poetry.lock, `-r` includes of requirements files), then hand
 * the text to the pure parsers.
 */
import { readFile, readFileSync, readdir, stat } from './traced-fs.js';
import { basename, dirname, join } from 'node:path';
import { VetError } from '../errors.js';
import type { PythonLockGraph } from '../lockfile/pypi/graph-builder.js';
import { parsePipfileLock } from '../lockfile/pypi/pipfile.js';
import { parsePoetryLock } from '../lockfile/pypi/poetry.js';
import { parsePylock } from '../lockfile/pypi/pylock.js';
import { parseRequirementsTxt, requirementsIncludes, type RequirementsOptions } from '../lockfile/pypi/requirements.js';
import { parseUvLock } from '../lockfile/pypi/uv.js';
import { dict } from '../dict.js';

export type PythonLockfileFormat = 'uv' | 'poetry' | 'pylock' | 'pipfile' | 'requirements';

export interface DetectedPythonLockfile {
  format: PythonLockfileFormat;
  /** The lockfile, or for requirements the folder or file holding them. */
  path: string;
}

/** Which format a file name is, or undefined. */
export function pythonLockfileFormat(fileName: string): PythonLockfileFormat | undefined {
  const base = basename(fileName);
  if (base === 'uv.lock') return 'uv';
  if (base === 'poetry.lock') return 'poetry';
  if (base === 'Pipfile.lock') return 'pipfile';
  if (/^pylock(\.[^.]+)?\.toml$/.test(base)) return 'pylock';
  if (/^requirements.*\.txt$/i.test(base) || (base.endsWith('.txt') && basename(dirname(fileName)) === 'requirements'))
    return 'requirements';
  return undefined;
}

async function exists(p: string): Promise<'file' | 'dir' | undefined> {
  try {
    const s = await stat(p);
    return s.isDirectory() ? 'dir' : s.isFile() ? 'file' : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Every Python lockfile in `dir`, most specific first: uv.lock, poetry.lock, pylock*.toml,
 * Pipfile.lock, then requirements*.txt files and a requirements/ folder.
 */
export async function detectPythonLockfiles(dir: string): Promise<DetectedPythonLockfile[]> {
  const names = (await readdir(dir).catch(() => [] as string[])).sort();
  const out: DetectedPythonLockfile[] = [];
  for (const f of ['uv', 'poetry', 'pylock', 'pipfile', 'requirements'] as const) {
    for (const n of names)
      if (pythonLockfileFormat(n) === f && (await exists(join(dir, n))) === 'file')
        out.push({ format: f, path: join(dir, n) });
  }
  if ((await exists(join(dir, 'requirements'))) === 'dir')
    out.push({ format: 'requirements', path: join(dir, 'requirements') });
  return out;
}

/** The lockfile vet should read for `dir` (the first of `detectPythonLockfiles`), if any. */
export async function detectPythonLockfile(dir: string): Promise<DetectedPythonLockfile | undefined> {
  return (await detectPythonLockfiles(dir))[0];
}

// The lockfile itself is read synchronously (an asynchronous read is four trips through the
// thread pool; issue 12).
function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new VetError('LOCKFILE_NOT_FOUND', `cannot read ${path}`, { file: path, cause: e });
  }
}

export interface ReadPythonOptions extends RequirementsOptions {
  /** Sections of a Pipfile.lock that are production (default ["default"]). */
  prodSections?: string[];
}

/** Load requirement files and everything they include, breadth-first, from disk. */
async function loadRequirementFiles(
  entries: string[],
  env: Readonly<Record<string, string | undefined>>,
): Promise<Record<string, string>> {
  const files = dict<string>();
  const queue = [...entries];
  while (queue.length > 0) {
    const p = queue.shift() as string;
    if (p in files) continue;
    const text = await readFile(p, 'utf8').catch(() => undefined);
    if (text === undefined) continue; // the parser reports the missing include with its line
    files[p] = text;
    queue.push(...requirementsIncludes(text, p, env));
  }
  return files;
}

/** Read one Python lockfile (or a requirements/ folder: every *.txt in it is an entry). */
export async function readPythonLockfile(path: string, options: ReadPythonOptions = {}): Promise<PythonLockGraph> {
  const kind = await exists(path);
  if (kind === undefined) throw new VetError('LOCKFILE_NOT_FOUND', `no such lockfile: ${path}`, { file: path });
  if (kind === 'dir') {
    const txt = (await readdir(path))
      .filter((n) => n.endsWith('.txt'))
      .sort()
      .map((n) => join(path, n));
    if (txt.length === 0)
      throw new VetError('LOCKFILE_NOT_FOUND', `no *.txt requirement files in ${path}`, { file: path });
    return parseRequirementsTxt(await loadRequirementFiles(txt, options.env ?? process.env), txt, {
      ...options,
      env: options.env ?? process.env,
    });
  }
  const format = pythonLockfileFormat(path);
  switch (format) {
    case 'uv':
      return parseUvLock(readText(path), path);
    case 'poetry': {
      const pyproject = await readFile(join(dirname(path), 'pyproject.toml'), 'utf8').catch(() => undefined);
      return parsePoetryLock(readText(path), path, pyproject);
    }
    case 'pylock':
      return parsePylock(readText(path), path);
    case 'pipfile':
      return parsePipfileLock(readText(path), path, options.prodSections ? { prodSections: options.prodSections } : {});
    case 'requirements': {
      const env = options.env ?? process.env;
      return parseRequirementsTxt(await loadRequirementFiles([path], env), path, { ...options, env });
    }
    default:
      throw new VetError('UNSUPPORTED_LOCKFILE', `${basename(path)} is not a Python lockfile vet can read`, {
        file: path,
        hint: 'expected uv.lock, poetry.lock, pylock.toml, Pipfile.lock or requirements*.txt',
      });
  }
}
