/**
 * Global options and the acquiring half of most commands: find the project, read the
 * lockfile graph and the store, validate. The working half takes these plain objects.
 */
import path from 'node:path';
import {
  VetError,
  readStore,
  validateStore,
  checkStoreVersion,
  versionSchemeFor,
  type DependencyGraph,
  type Ecosystem,
  type Store,
  type VersionScheme,
} from '@vet/core';
import { discoverOne, discoverProjects, readGraph, type ProjectRef } from './project.js';
import { isoDate, type CommandIO } from './io.js';

export interface GlobalOptions {
  cwd: string;
  storePath?: string;
  lockfile?: string;
  ecosystem?: Ecosystem;
  locked: boolean;
  frozen: boolean;
  outputFormat: 'human' | 'json';
  outputFile?: string;
  cacheDir?: string;
  verbose?: string;
}

export interface LoadedProject {
  ref: ProjectRef;
  graph: DependencyGraph;
  store: Store;
  scheme: VersionScheme;
  today: string;
}

export async function loadProjects(g: GlobalOptions, io: CommandIO): Promise<LoadedProject[]> {
  const refs = await discoverProjects(discoverOpts(g));
  const out: LoadedProject[] = [];
  for (const ref of refs) out.push(await loadRef(ref, g, io));
  return out;
}

export async function loadProject(g: GlobalOptions, io: CommandIO): Promise<LoadedProject> {
  return loadRef(await discoverOne(discoverOpts(g)), g, io);
}

export function discoverOpts(g: GlobalOptions) {
  return {
    cwd: g.cwd,
    ...(g.lockfile !== undefined ? { lockfile: g.lockfile } : {}),
    ...(g.storePath !== undefined ? { storePath: g.storePath } : {}),
    ...(g.ecosystem !== undefined ? { ecosystem: g.ecosystem } : {}),
  };
}

async function loadRef(ref: ProjectRef, g: GlobalOptions, io: CommandIO): Promise<LoadedProject> {
  const today = isoDate(io.now());
  const [graph, store] = await Promise.all([readGraph(ref), readStore(ref.storeDir)]);
  checkStoreEcosystem(store, ref);
  checkStoreVersion(store.config.storeVersion, { locked: g.locked, file: path.join(ref.storeDir, 'config.toml') });
  validateStore(store, { today, storeDir: ref.storeDir });
  return { ref, graph, store, scheme: versionSchemeFor(ref.ecosystem), today };
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
