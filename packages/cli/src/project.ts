/**
 * Finding what to vet: which lockfile(s), which ecosystem, which store.
 *
 * Rules (documented in the README, "Where the store lives"):
 * - `--lockfile PATH` names the lockfile; otherwise the project directory (`--cwd`)
 *   is searched: Cargo.lock (cargo), then the npm lockfiles, then the Python ones.
 * - A Cargo project's store is where cargo-vet puts it (`[workspace|package.metadata.vet]
 *   store.path`, else `supply-chain/`), so cargo-vet and vet share it unchanged.
 * - An npm or Python project's store is `supply-chain/` when that is the only ecosystem
 *   in the directory, and `supply-chain/<ecosystem>/` when the directory also holds a
 *   lockfile of another ecosystem (a Rust crate with a JS front end, say). Its config.toml
 *   says `[vet] ecosystem = "npm"`, so a store is never applied to the wrong lockfile.
 * - `--store-path` overrides all of this.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { VetError, findCargoStore, type DependencyGraph, type Ecosystem } from '@vet/core';
import {
  detectNpmLockfile,
  detectPythonLockfile,
  readNpmLockfile,
  readPythonLockfile,
  pythonLockfileFormat,
} from '@vet/core/node';
import { readCargoGraph } from './crates/facts.js';
import { cachedGraph, memoString } from './parse-cache.js';
import { cargoHomeOf } from './crates/cargo-home.js';
import { openCache } from './registry/cache.js';

export interface ProjectRef {
  ecosystem: Ecosystem;
  /** Absolute path of the lockfile. */
  lockfile: string;
  /** Absolute path of the store directory. */
  storeDir: string;
}

export interface DiscoverOptions {
  cwd: string;
  lockfile?: string;
  storePath?: string;
  ecosystem?: Ecosystem;
  /** The parse cache (`resolveCacheDir`, `BUILD_ID`): a Cargo store's location is kept there. */
  cache?: { root: string; build: string | undefined };
}

export function ecosystemOfLockfile(file: string): Ecosystem | undefined {
  const base = path.basename(file);
  if (base === 'Cargo.lock') return 'cargo';
  if (/^(package-lock|npm-shrinkwrap)\.json$|^pnpm-lock\.yaml$|^yarn\.lock$|^bun\.lock$/.test(base)) {
    return 'npm';
  }
  if (/\.txt$/.test(base) || /^(poetry|uv)\.lock$|^Pipfile\.lock$|^pylock(\.[^.]+)?\.toml$/.test(base)) {
    return 'pypi';
  }
  return undefined;
}

async function detectAll(dir: string): Promise<{ ecosystem: Ecosystem; lockfile: string }[]> {
  const found: { ecosystem: Ecosystem; lockfile: string }[] = [];
  const cargo = path.join(dir, 'Cargo.lock');
  if (existsSync(cargo)) found.push({ ecosystem: 'cargo', lockfile: cargo });
  const npm = detectNpmLockfile(dir);
  if (npm) found.push({ ecosystem: 'npm', lockfile: path.resolve(dir, npm) });
  const py = await detectPythonLockfile(dir);
  if (py) found.push({ ecosystem: 'pypi', lockfile: path.resolve(dir, py.path) });
  return found;
}

const VCS_MARKERS = ['.git', '.hg', '.svn', '.jj'];

/**
 * The nearest directory from `start` upward that holds a lockfile, as npm and cargo find their
 * project from a subdirectory. The search stops at a VCS root (`.git`, …): a repository's
 * parent directory is never its project.
 */
async function detectUpward(start: string, ecosystem: Ecosystem | undefined) {
  for (let dir = start; ;) {
    let found = await detectAll(dir);
    if (ecosystem) found = found.filter((f) => f.ecosystem === ecosystem);
    const parent = path.dirname(dir);
    if (found.length > 0 || isVcsRoot(dir) || parent === dir) return found;
    dir = parent;
  }
}

function isVcsRoot(dir: string): boolean {
  return VCS_MARKERS.some((m) => existsSync(path.join(dir, m)));
}

/** Where the upward search stopped, for the error when it found nothing. */
function upwardText(cwd: string): string {
  let dir = cwd;
  while (!isVcsRoot(dir) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  if (dir === cwd) return '';
  return isVcsRoot(dir) ? ` or its parents up to the repository root ${dir}` : ' or any parent directory';
}

/** Every project the options name: one with --lockfile, else one per ecosystem found. */
export async function discoverProjects(opts: DiscoverOptions): Promise<ProjectRef[]> {
  const cwd = path.resolve(opts.cwd);
  let found: { ecosystem: Ecosystem; lockfile: string }[];
  if (opts.lockfile !== undefined) {
    const lockfile = path.resolve(cwd, opts.lockfile);
    if (!existsSync(lockfile)) {
      throw new VetError('LOCKFILE_NOT_FOUND', `lockfile ${lockfile} does not exist`);
    }
    const ecosystem = opts.ecosystem ?? ecosystemOfLockfile(lockfile);
    if (!ecosystem) {
      throw new VetError('UNSUPPORTED_LOCKFILE', `cannot tell which ecosystem ${lockfile} belongs to`, {
        hint: 'pass --ecosystem npm|pypi|cargo',
      });
    }
    found = [{ ecosystem, lockfile }];
  } else {
    found = await detectUpward(cwd, opts.ecosystem);
  }
  if (found.length === 0) {
    throw new VetError('LOCKFILE_NOT_FOUND', `no lockfile found in ${cwd}${upwardText(cwd)}`, {
      hint:
        'vet reads package-lock.json, npm-shrinkwrap.json, pnpm-lock.yaml, yarn.lock, bun.lock, ' +
        'Cargo.lock, poetry.lock, uv.lock, Pipfile.lock, pylock.toml or requirements.txt; ' +
        'run it in the project directory, or pass --cwd DIR or --lockfile PATH',
    });
  }
  const several = new Set(found.map((f) => f.ecosystem)).size > 1;
  const refs: ProjectRef[] = [];
  for (const f of found) {
    refs.push({ ...f, storeDir: await storeDirFor(f, { cwd, several, storePath: opts.storePath, cache: opts.cache }) });
  }
  return refs;
}

async function storeDirFor(
  f: { ecosystem: Ecosystem; lockfile: string },
  o: { cwd: string; several: boolean; storePath: string | undefined; cache: DiscoverOptions['cache'] },
): Promise<string> {
  if (o.storePath !== undefined) return path.resolve(o.cwd, o.storePath);
  const dir = path.dirname(f.lockfile);
  if (f.ecosystem === 'cargo') {
    const manifest = path.join(dir, 'Cargo.toml');
    if (existsSync(manifest)) {
      const text = await readFile(manifest, 'utf8');
      const find = () => findCargoStore(text, o.cwd, manifest);
      const build = o.cache?.build;
      // Parsing a large Cargo.toml costs more than a warm check's every other step (issue 12).
      const configured =
        o.cache && build !== undefined
          ? memoString({ root: o.cache.root, build }, [text, o.cwd, manifest], find)
          : find();
      if (configured) return path.resolve(o.cwd, configured);
    }
    return path.join(dir, 'supply-chain');
  }
  return o.several ? path.join(dir, 'supply-chain', f.ecosystem) : path.join(dir, 'supply-chain');
}

/** Exactly one project, for commands that act on one store (certify, add-exemption, …). */
export async function discoverOne(opts: DiscoverOptions): Promise<ProjectRef> {
  const all = await discoverProjects(opts);
  if (all.length > 1) {
    throw new VetError(
      'INVALID_ARGUMENT',
      `this directory has ${all.length} lockfiles (${all.map((p) => path.basename(p.lockfile)).join(', ')})`,
      { hint: 'say which one with --lockfile PATH or --ecosystem npm|pypi|cargo' },
    );
  }
  return all[0]!;
}

export interface ReadGraphOptions {
  /** May the reader use the network (unlocked commands): Cargo fetches the crate manifests the graph needs. */
  network?: boolean;
  env?: NodeJS.ProcessEnv;
  cacheDir?: string;
  /** The parse cache (`resolveCacheDir`, `BUILD_ID`); without a build nothing is cached. */
  cache?: { root: string; build: string | undefined };
}

/**
 * The project's graph, from the parse cache when every file the reader read is unchanged: npm and
 * Python lockfiles, and Cargo graphs read without the network (their crate facts come from vet's
 * cache and cargo's, both read through traced-fs, so a record that comes or goes is noticed; an
 * unlocked read may fetch, and is never cached). Not requirements files: they expand ${VARS}
 * from the whole environment.
 */
export async function readGraph(ref: ProjectRef, opts: ReadGraphOptions = {}): Promise<DependencyGraph> {
  const build = opts.cache?.build;
  const inputs = cacheInputs(ref, opts);
  if (opts.cache === undefined || build === undefined || inputs === undefined) return readGraphNow(ref, opts);
  return cachedGraph({ root: opts.cache.root, build, lockfile: ref.lockfile, inputs }, () => readGraphNow(ref, opts));
}

/** Everything besides files that the graph depends on, or undefined when it is not cacheable. */
function cacheInputs(ref: ProjectRef, opts: ReadGraphOptions): Record<string, string | undefined> | undefined {
  const common = { ecosystem: ref.ecosystem, cwd: process.cwd() };
  switch (ref.ecosystem) {
    case 'npm':
      return common;
    case 'pypi':
      return pythonLockfileFormat(ref.lockfile) === 'requirements' ? undefined : common;
    case 'cargo': {
      if (opts.network === true) return undefined;
      const env = opts.env ?? process.env;
      const facts = openCache({ ...(opts.cacheDir !== undefined ? { cacheDir: opts.cacheDir } : {}), env }).root;
      return { ...common, cargoHome: cargoHomeOf(env), facts, buildTarget: env['CARGO_BUILD_TARGET'] };
    }
  }
}

async function readGraphNow(ref: ProjectRef, opts: ReadGraphOptions): Promise<DependencyGraph> {
  switch (ref.ecosystem) {
    case 'npm':
      return readNpmLockfile(ref.lockfile);
    case 'pypi':
      return readPythonLockfile(ref.lockfile);
    case 'cargo':
      // cargo metadata drops dependencies on crates without a library target; only a crate's
      // own manifest tells (crates/facts.ts: vet's cache, cargo's, then the registry).
      return readCargoGraph(path.dirname(ref.lockfile), {
        env: opts.env ?? process.env,
        network: opts.network ?? false,
        ...(opts.cacheDir !== undefined ? { cacheDir: opts.cacheDir } : {}),
      });
  }
}
