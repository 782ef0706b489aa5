/**
 * Global options and the acquiring half of most commands: find the project, read the
 * lockfile graph and the store, validate. The working half takes these plain objects.
 */
import path from 'node:path';
import {
  VetError,
  VetValidationError,
  checkStoreFormat,
  parseStore,
  validateStore,
  checkStoreVersion,
  versionSchemeFor,
  filterGraphForPlatforms,
  parsePlatforms,
  type Platform,
  type PlatformScope,
  type DependencyGraph,
  type Ecosystem,
  type Store,
  type VersionScheme,
} from '@vet/core';
import { readStoreFiles, readStore } from '@vet/core/node';
import { discoverOne, discoverProjects, readGraph, type ProjectRef } from './project.js';
import { isoDate, type CommandIO } from './io.js';
import { BUILD_ID } from './build-id.js';
import { knownCanonical, markCanonical } from './parse-cache.js';
import { resolveCacheDir } from './registry/cache.js';

export interface GlobalOptions {
  cwd: string;
  storePath?: string;
  lockfile?: string;
  ecosystem?: Ecosystem;
  locked: boolean;
  frozen: boolean;
  outputFormat: 'human' | 'json';
  /** `check --output-format github|sarif|markdown` (outputFormat is then 'human' for errors). */
  ciFormat?: 'github' | 'sarif' | 'markdown';
  outputFile?: string;
  cacheDir?: string;
  verbose?: string;
  /** `--platform` (check, suggest): overrides `[vet] platforms`. */
  platforms?: Platform[];
}

export interface LoadedProject {
  ref: ProjectRef;
  graph: DependencyGraph;
  store: Store;
  scheme: VersionScheme;
  today: string;
  /** Set when the graph was narrowed to platforms (`--platform`, `[vet] platforms`). */
  platform?: PlatformScope;
}

export async function loadProjects(g: GlobalOptions, io: CommandIO): Promise<LoadedProject[]> {
  const refs = await discoverProjects({ ...discoverOpts(g), cache: parseCacheOf(g, io) });
  noteProjectDir(refs, g, io);
  const out: LoadedProject[] = [];
  for (const ref of refs) out.push(await loadRef(ref, g, io));
  return out;
}

export async function loadProject(g: GlobalOptions, io: CommandIO): Promise<LoadedProject> {
  const ref = await discoverOne(discoverOpts(g));
  noteProjectDir([ref], g, io);
  return loadRef(ref, g, io);
}

/** Found upward from a subdirectory: say which project directory vet uses (stderr). */
export function noteProjectDir(refs: readonly ProjectRef[], g: GlobalOptions, io: CommandIO): void {
  if (g.lockfile !== undefined) return;
  const dirs = new Set(refs.map((r) => path.dirname(r.lockfile)));
  for (const dir of dirs) if (dir !== g.cwd) io.err(`Using the project in ${dir}\n`);
}

/** How commands read the graph: the network only when not --locked. */
export function graphOptions(g: GlobalOptions, io: CommandIO) {
  return { network: !g.locked, env: io.env, ...(g.cacheDir !== undefined ? { cacheDir: g.cacheDir } : {}) };
}

export function discoverOpts(g: GlobalOptions) {
  return {
    cwd: g.cwd,
    ...(g.lockfile !== undefined ? { lockfile: g.lockfile } : {}),
    ...(g.storePath !== undefined ? { storePath: g.storePath } : {}),
    ...(g.ecosystem !== undefined ? { ecosystem: g.ecosystem } : {}),
  };
}

function parseCacheOf(g: GlobalOptions, io: CommandIO): { root: string; build: string | undefined } {
  return { root: resolveCacheDir({ ...(g.cacheDir ? { cacheDir: g.cacheDir } : {}), env: io.env }), build: BUILD_ID };
}

async function loadRef(ref: ProjectRef, g: GlobalOptions, io: CommandIO): Promise<LoadedProject> {
  const today = isoDate(io.now());
  const cache = parseCacheOf(g, io);
  const [graph, read] = await Promise.all([
    readGraph(ref, { ...graphOptions(g, io), cache }),
    g.locked ? readLockedStore(ref.storeDir, cache) : readStore(ref.storeDir).then((store): LockedStore => ({ store })),
  ]);
  const check = (store: Store) => {
    checkStoreEcosystem(store, ref);
    checkStoreVersion(store.config.storeVersion, { locked: g.locked, file: path.join(ref.storeDir, 'config.toml') });
    validateStore(store, { today, storeDir: ref.storeDir });
    return store;
  };
  let store: Store;
  try {
    store = check(read.store);
  } catch (e) {
    // A store from a canonical mark carries no source lines: read the text again, so that the
    // problem is reported with its file and line as a cold run reports it.
    if (read.reparse) check(read.reparse());
    throw e;
  }
  read.markCanonical?.();
  return {
    ref,
    ...narrowToPlatforms(graph, g.platforms ?? store.config.vet?.platforms),
    store,
    scheme: versionSchemeFor(ref.ecosystem),
    today,
  };
}

/**
 * The graph as it installs on the platforms the flag or the store's policy names (core's
 * filter); unchanged, with no scope, when none is named.
 */
function narrowToPlatforms(
  graph: DependencyGraph,
  named: readonly (Platform | string)[] | undefined,
): { graph: DependencyGraph; platform?: PlatformScope } {
  if (named === undefined || named.length === 0) return { graph };
  const platforms = named.every((p) => typeof p === 'string') ? parsePlatforms(named) : (named as Platform[]);
  const { graph: narrowed, excluded } = filterGraphForPlatforms(graph, platforms);
  return { graph: narrowed, platform: { platforms: platforms.map((p) => p.name), excluded } };
}

/**
 * --locked makes the store a lint target, as in cargo-vet (spec §9.1, §5.4): every file must
 * be byte-for-byte canonical, and imports.lock must match the imports config.toml declares.
 */
interface LockedStore {
  store: Store;
  /** The store parsed from its text again (set when it came from a canonical mark). */
  reparse?: () => Store;
  /** Records the bytes as canonical (set when they were checked now): called once the store validates. */
  markCanonical?: () => void;
}

async function readLockedStore(dir: string, cache: { root: string; build: string | undefined }): Promise<LockedStore> {
  const files = await readStoreFiles(dir);
  const { build } = cache;
  // Bytes this build already found canonical need no second serialisation, and their mark
  // holds the parsed store (issue 12).
  const mark = build === undefined ? undefined : knownCanonical(cache.root, build, dir, files);
  const store = mark?.store ?? parseStore(files, dir);
  // A store without imports.lock has nothing to lock; only a file that exists must be canonical.
  const formatProblems = mark
    ? []
    : checkStoreFormat(files, store, dir).filter(
        (p) => files.importsLock !== undefined || path.basename(p.file) !== 'imports.lock',
      );
  const problems = [...formatProblems, ...importsLockProblems(store, dir)];
  if (problems.length > 0) {
    throw new VetValidationError('STORE_NOT_CANONICAL', problems, {
      hint: 'run `vet fmt` (and an unlocked `vet check` to refresh imports.lock), then commit the store',
    });
  }
  if (mark) return { store, reparse: () => parseStore(files, dir) };
  return build === undefined
    ? { store }
    : { store, markCanonical: () => markCanonical(cache.root, build, dir, files, store) };
}

export function importsLockProblems(store: Store, dir: string) {
  const file = path.join(dir, 'imports.lock');
  const problems: { file: string; message: string }[] = [];
  const configured = new Set(Object.keys(store.config.imports));
  const locked = new Set(Object.keys(store.importsLock.audits));
  for (const name of configured)
    if (!locked.has(name))
      problems.push({ file, message: `imports.lock is out of date: it has nothing for import '${name}'` });
  for (const name of locked)
    if (!configured.has(name))
      problems.push({ file, message: `imports.lock is out of date: import '${name}' is no longer in config.toml` });
  for (const [name, cfg] of Object.entries(store.config.imports)) {
    for (const pkg of cfg.exclude) {
      if (store.importsLock.audits[name]?.audits[pkg]?.length)
        problems.push({
          file,
          message: `imports.lock is out of date: it keeps audits of '${pkg}', which import '${name}' excludes`,
        });
    }
  }
  return problems;
}

function checkStoreEcosystem(store: Store, ref: ProjectRef): void {
  const declared = store.config.vet?.ecosystem ?? 'cargo';
  if (declared !== ref.ecosystem) {
    throw new VetError(
      'INVALID_STORE',
      `the store at ${ref.storeDir} vets ${declared} packages, but ${path.basename(ref.lockfile)} is a ${ref.ecosystem} lockfile`,
      {
        file: path.join(ref.storeDir, 'config.toml'),
        hint: 'point --store-path at the store for this lockfile, or set [vet] ecosystem in its config.toml',
      },
    );
  }
}
