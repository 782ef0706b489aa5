/**
 * Where an auditor's view of a release comes from, per ecosystem: the registry the project
 * installs from (npm configuration, pip/uv configuration, Cargo configuration), verified against the lockfile's
 * hashes before a byte is unpacked. One interface so inspect/diff/suggest do not care.
 */
import path from 'node:path';
import { VetError, type DependencyGraph, type Ecosystem, type PackageNode } from '@vet/core';
import { createRegistrySuggestFetcher, type SuggestFetcher } from './audit/index.js';
import { fetchPackageTree } from './audit/index.js';
import { createNpmRegistry, loadNpmConfig, openCache, type NpmRegistry, type Packument } from './registry/index.js';
import { inspectPypi, openPypiClients } from './pypi/index.js';
import { createCratesClient, fetchCrateTree, loadCratesRegistry } from './crates/index.js';

export interface PackageTreeSource {
  /** Extracted, verified tree of name@version. */
  tree(name: string, version: string): Promise<{ dir: string; key: string }>;
  /** Risk-signal metadata (npm packuments); undefined where the ecosystem has none. */
  packument?(name: string): Promise<Packument>;
  suggestFetcher(): SuggestFetcher;
  close(): Promise<void>;
}

export interface SourceOptions {
  ecosystem: Ecosystem;
  graph: DependencyGraph;
  lockfile: string;
  cacheDir?: string;
  env: NodeJS.ProcessEnv;
}

function lockedNode(graph: DependencyGraph, name: string, version: string): PackageNode | undefined {
  return graph.nodes.find((n) => n.name === name && n.version === version && !n.firstParty);
}

export async function openPackageSource(o: SourceOptions): Promise<PackageTreeSource> {
  switch (o.ecosystem) {
    case 'npm':
      return npmSource(o);
    case 'pypi':
      return pypiSource(o);
    case 'cargo':
      return cratesSource(o);
  }
}

async function cratesSource(o: SourceOptions): Promise<PackageTreeSource> {
  const registry = await loadCratesRegistry(path.dirname(o.lockfile), o.env, o.graph);
  const client = createCratesClient({ registry });
  const cache = openCache({ ...(o.cacheDir ? { cacheDir: o.cacheDir } : {}), env: o.env });
  const tree = async (name: string, version: string) => {
    const node = lockedNode(o.graph, name, version);
    const r = await fetchCrateTree(name, version, { client, cache, ...(node ? { integrity: node.integrity } : {}) });
    return { dir: r.dir, key: r.key };
  };
  return {
    tree,
    suggestFetcher: () => ({
      tree,
      packument: () => Promise.reject(new VetError('NOT_FOUND', 'crates have no packuments')),
    }),
    close: () => client.close(),
  };
}

async function npmSource(o: SourceOptions): Promise<PackageTreeSource> {
  const config = await loadNpmConfig({ projectDir: path.dirname(o.lockfile), env: o.env });
  const cache = openCache({ ...(o.cacheDir ? { cacheDir: o.cacheDir } : {}), env: o.env });
  const registry: NpmRegistry = createNpmRegistry({ config, cache });
  const fetcher = createRegistrySuggestFetcher(registry, o.graph);
  return {
    tree: (name, version) => {
      const node = lockedNode(o.graph, name, version);
      const integrity = node && node.integrity.length > 0 ? node.integrity : undefined;
      return fetchPackageTree(
        name,
        version,
        integrity,
        registry,
        node?.source.url ? { resolved: node.source.url } : {},
      );
    },
    packument: (name) => registry.packument(name, { full: true }),
    suggestFetcher: () => fetcher,
    close: () => registry.close(),
  };
}

function pypiSource(o: SourceOptions): Promise<PackageTreeSource> {
  // The index the lockfile records for a package, else pip/uv configuration, else pip's own.
  const clients = openPypiClients(o.graph, { env: o.env, cwd: path.dirname(o.lockfile) });
  const tree = async (name: string, version: string) => {
    const node = lockedNode(o.graph, name, version);
    const r = await inspectPypi(name, version, {
      client: await clients.forPackage(name, version),
      ...(node ? { integrity: node.integrity } : {}),
      ...(o.cacheDir ? { cacheDir: o.cacheDir } : {}),
    });
    return { dir: r.dir, key: `${r.file}` };
  };
  return Promise.resolve({
    tree,
    suggestFetcher: () => ({
      tree,
      packument: () => Promise.reject(new VetError('NOT_FOUND', 'Python indexes have no packuments')),
    }),
    close: () => clients.close(),
  });
}
