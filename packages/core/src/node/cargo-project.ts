/**
 * The I/O half of the Cargo reader: finds `Cargo.lock`, the root `Cargo.toml`, every manifest
 * the graph needs (members with globs expanded on disk, path dependencies followed
 * transitively, `[patch]`/`[replace]` path entries), `.cargo/config.toml` with its `include`s,
 * and the store location; then calls the pure buildCargoGraph. Only the workspace's own
 * `.cargo/config.toml` is read — not parent directories' or $CARGO_HOME's, which cargo would
 * also merge (CI images normally have none).
 */
import { readdir, readFileSync, stat } from './traced-fs.js';
import { join, resolve as resolvePath } from 'node:path';
import { VetError } from '../errors.js';
import type { DependencyGraph } from '../graph.js';
import { buildCargoGraph, type BuildCargoGraphInput } from '../lockfile/cargo/build.js';
import {
  cargoConfigIncludes,
  parseCargoConfig,
  resolveConfigInclude,
  type CargoConfigFile,
} from '../lockfile/cargo/config.js';
import type { CrateFactsProvider } from '../lockfile/cargo/facts.js';
import { segmentRegex, hasGlobMeta } from '../lockfile/cargo/glob.js';
import { parseCargoLock, type CargoLock } from '../lockfile/cargo/lock.js';
import { parseCargoManifest, type CargoManifest } from '../lockfile/cargo/manifest.js';
import { manifestFileName, normalizeRelDir } from '../lockfile/cargo/paths.js';
import { findCargoStore } from '../lockfile/cargo/store-location.js';
import { dict } from '../dict.js';

export interface ReadCargoProjectOptions {
  crateFacts?: CrateFactsProvider;
  /** Working directory for a relative `store.path`; defaults to `dir`. */
  cwd?: string;
  /** `--store-path`. */
  storePath?: string;
  /** Environment for CARGO_BUILD_TARGET; defaults to process.env. */
  env?: Record<string, string | undefined>;
}

export function readCargoLock(path: string, fileName = 'Cargo.lock'): Promise<CargoLock> {
  // A failure still arrives as a rejection, as from the async function this was.
  return new Promise((resolve) => resolve(parseCargoLock(readText(path, 'LOCKFILE_NOT_FOUND', fileName), fileName)));
}

/** What buildCargoGraph needs, read from disk, and where the store is. */
export interface CargoProjectInputs {
  input: BuildCargoGraphInput;
  storePath: string;
}

/** Reads Cargo.lock, the manifests and the cargo configuration; the graph is built separately (and may be rebuilt with more crate facts). */
export async function readCargoInputs(dir: string, opts: ReadCargoProjectOptions = {}): Promise<CargoProjectInputs> {
  const lock = await readCargoLock(join(dir, 'Cargo.lock'));
  const config = await readCargoConfigFiles(dir);
  const configPatchDirs = parseCargoConfig(config).patches.flatMap((p) => (p.path === undefined ? [] : [p.path]));
  const { texts: manifests, parsed: parsedManifests } = await readManifests(dir, configPatchDirs);
  const env = opts.env ?? process.env;
  const envTarget = env['CARGO_BUILD_TARGET'];
  const input: BuildCargoGraphInput = {
    lock,
    manifests,
    parsedManifests,
    ...(config.length > 0 ? { config } : {}),
    ...(opts.crateFacts ? { crateFacts: opts.crateFacts } : {}),
    ...(envTarget ? { buildTarget: envTarget } : {}),
  };
  const storePath = findCargoStore(manifests[''] ?? '', opts.cwd ?? dir, {
    workspaceRoot: dir,
    ...(opts.storePath === undefined ? {} : { storePathArg: opts.storePath }),
  });
  return { input, storePath };
}

export async function readCargoProject(
  dir: string,
  opts: ReadCargoProjectOptions = {},
): Promise<{ graph: DependencyGraph; storePath: string }> {
  const { input, storePath } = await readCargoInputs(dir, opts);
  return { graph: buildCargoGraph(input), storePath };
}

// Synchronous reads: a workspace has hundreds of small manifests, read one after another; each
// asynchronous read costs four trips through the thread pool and its promises (issue 12).
function readText(path: string, missing: 'LOCKFILE_NOT_FOUND' | 'NOT_FOUND', fileName: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new VetError(missing, `${fileName} not found in ${join(path, '..')}`, { file: fileName, cause: e });
    }
    throw e;
  }
}

/**
 * Root, members (globs expanded on disk), config `[patch]` paths, and every path reached from
 * them, keyed by relDir.
 */
async function readManifests(
  dir: string,
  extraDirs: string[],
): Promise<{ texts: Record<string, string>; parsed: Map<string, CargoManifest> }> {
  const texts = dict<string>();
  const parsed = new Map<string, CargoManifest>();
  const queue: string[] = ['', ...extraDirs];
  const seen = new Set<string>();
  while (queue.length > 0) {
    const rel = queue.shift()!;
    if (seen.has(rel)) continue;
    seen.add(rel);
    const text = readOptional(resolvePath(dir, manifestFileName(rel)));
    if (text === undefined) {
      if (rel === '') throw new VetError('NOT_FOUND', `Cargo.toml not found in ${dir}`, { file: 'Cargo.toml' });
      continue; // buildCargoGraph warns about members / path packages without a manifest
    }
    texts[rel] = text;
    const m = parseCargoManifest(text, rel);
    parsed.set(rel, m);
    queue.push(...pathsOf(m));
    if (rel === '' && m.workspace) queue.push(...(await expandMembers(dir, m.workspace.members)));
  }
  return { texts, parsed };
}

function pathsOf(m: CargoManifest): string[] {
  const out = [...m.deps, ...m.patches, ...m.replace].map((d) => d.path);
  for (const d of Object.values(m.workspace?.dependencies ?? {})) out.push(d.path);
  return out.filter((p): p is string => p !== undefined);
}

function readOptional(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR')
      return undefined;
    throw e;
  }
}

/** Members entries → relDirs; glob entries keep only directories that hold a Cargo.toml. */
async function expandMembers(root: string, patterns: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of patterns) {
    const norm = normalizeRelDir(p);
    if (!hasGlobMeta(norm)) out.push(norm);
    else
      for (const d of await globDirs(root, norm.split('/'), ''))
        if (await isFile(join(root, d, 'Cargo.toml'))) out.push(d);
  }
  return out;
}

async function globDirs(root: string, segs: string[], base: string): Promise<string[]> {
  const [head, ...rest] = segs;
  if (head === undefined) return [base];
  if (!hasGlobMeta(head)) return globDirs(root, rest, base === '' ? head : `${base}/${head}`);
  const children = await subdirs(join(root, base));
  const out: string[] = [];
  if (head === '**') {
    out.push(...(await globDirs(root, rest, base)));
    for (const c of children) out.push(...(await globDirs(root, segs, base === '' ? c : `${base}/${c}`)));
    return [...new Set(out)];
  }
  const re = segmentRegex(head);
  for (const c of children.filter((n) => re.test(n)))
    out.push(...(await globDirs(root, rest, base === '' ? c : `${base}/${c}`)));
  return out;
}

async function subdirs(path: string): Promise<string[]> {
  try {
    const entries = await readdir(path, { withFileTypes: true });
    return entries
      .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}

/**
 * `.cargo/config.toml` (or legacy `.cargo/config`) and its includes, lowest precedence
 * first: an included file before the file that includes it.
 */
export async function readCargoConfigFiles(dir: string): Promise<CargoConfigFile[]> {
  for (const name of ['.cargo/config.toml', '.cargo/config']) {
    const text = readOptional(join(dir, name));
    if (text !== undefined) return withIncludes(dir, { fileName: name, text }, new Set([name]));
  }
  return [];
}

async function withIncludes(dir: string, file: CargoConfigFile, seen: Set<string>): Promise<CargoConfigFile[]> {
  const out: CargoConfigFile[] = [];
  for (const inc of cargoConfigIncludes(file.text, file.fileName)) {
    const rel = resolveConfigInclude(file.fileName, inc.path);
    if (seen.has(rel)) continue;
    seen.add(rel);
    const text = readOptional(join(dir, rel));
    if (text === undefined) {
      if (inc.optional) continue;
      throw new VetError('NOT_FOUND', `${file.fileName}: included config ${inc.path} not found`, {
        file: file.fileName,
      });
    }
    out.push(...(await withIncludes(dir, { fileName: rel, text }, seen)));
  }
  out.push(file);
  return out;
}
