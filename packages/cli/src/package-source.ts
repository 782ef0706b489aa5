/**
 * Where an auditor's view of a release comes from, per ecosystem: the registry the project
 * installs from (npm configuration, pip/uv configuration, Cargo configuration), verified against the lockfile's
 * hashes before a byte is unpacked. One interface so inspect/diff/suggest do not care.
 */
import path from 'node:path';
import { existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import {
  VetError,
  checkArtifact,
  integritySri,
  parseArtifactDigest,
  type DependencyGraph,
  type Ecosystem,
  type PackageNode,
  type Store,
} from '@vet/core';
import { extractTarball } from './archive/index.js';
import { fetchFromArchive, isGone } from './notary/archive-fallback.js';
import { extractZip } from './pypi/zip.js';
import { treeCachePath, type VetCache } from './registry/cache.js';
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
  /** The registry artifact of name@version whose bytes hash to `digest` (SRI), e.g. to upload to a notary's archive. */
  artifact(name: string, version: string, digest: string): Promise<{ bytes: Buffer; fileName: string }>;
  close(): Promise<void>;
}

/** Registry bytes held to the digest the caller names (core's checkArtifact). */
function checked(name: string, version: string, digest: string, r: { bytes: Buffer; fileName: string }) {
  checkArtifact(r.bytes, [digest], `${name}@${version}`);
  return r;
}

const baseName = (name: string) => name.slice(name.lastIndexOf('/') + 1);

export interface SourceOptions {
  ecosystem: Ecosystem;
  graph: DependencyGraph;
  lockfile: string;
  cacheDir?: string;
  env: NodeJS.ProcessEnv;
  /** The project's store: its imported notary approvals name archives to fall back to. */
  store?: Store;
  /** Told the size of every registry response (progress: bytes fetched). */
  onBytes?: (bytes: number) => void;
}

/** HTTP client options carrying `onBytes`, for every ecosystem's client. */
function httpOf(o: SourceOptions): { onBody?: (bytes: number) => void } {
  return o.onBytes ? { onBody: o.onBytes } : {};
}

type TreeFn = (name: string, version: string) => Promise<{ dir: string; key: string }>;

/**
 * The registry first; when it answers 404/410 for a release an imported notary approved,
 * that notary's archive, verified against the approval's and the lockfile's digests.
 */
function withArchiveFallback(o: SourceOptions, cache: VetCache, registryTree: TreeFn): TreeFn {
  const store = o.store;
  if (store === undefined) return registryTree;
  return async (name, version) => {
    try {
      return await registryTree(name, version);
    } catch (e) {
      if (!isGone(e)) throw e;
      const node = lockedNode(o.graph, name, version);
      const got = await fetchFromArchive(
        { ecosystem: o.ecosystem, pkg: name, version, store, integrity: node?.integrity },
        e,
      );
      const approved = parseArtifactDigest(got.source.digest)?.hex;
      const file = node?.integrity.find((i) => parseArtifactDigest(integritySri(i))?.hex === approved)?.file;
      return extractArchived(
        got.bytes,
        cache,
        `${name}@${version} (from the archive of ${got.source.importName})`,
        file,
      );
    }
  };
}

/** Unpacks verified archive bytes into the content-addressed tree cache (tar.gz, or a zip: wheel/sdist). */
async function extractArchived(bytes: Buffer, cache: VetCache, source: string, fileName?: string) {
  const key = `sha512-${createHash('sha512').update(bytes).digest('hex')}`;
  const dir = treeCachePath(cache, key);
  if (existsSync(dir)) return { dir, key };
  const zip = bytes[0] === 0x50 && bytes[1] === 0x4b;
  if (!zip) await extractTarball(bytes, dir, { source });
  else await extractZip(bytes, dir, { source, stripTopFolder: fileName !== undefined && /\.zip$/i.test(fileName) });
  return { dir, key };
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
  const client = createCratesClient({ registry, httpOptions: httpOf(o) });
  const cache = openCache({ ...(o.cacheDir ? { cacheDir: o.cacheDir } : {}), env: o.env });
  const tree = withArchiveFallback(o, cache, async (name: string, version: string) => {
    const node = lockedNode(o.graph, name, version);
    const r = await fetchCrateTree(name, version, { client, cache, ...(node ? { integrity: node.integrity } : {}) });
    return { dir: r.dir, key: r.key };
  });
  return {
    tree,
    suggestFetcher: () => ({
      tree,
      packument: () => Promise.reject(new VetError('NOT_FOUND', 'crates have no packuments')),
    }),
    async artifact(name, version, digest) {
      const hex = parseArtifactDigest(digest)?.hex;
      const release = await client.release(name, version, hex);
      const bytes = await client.download(release);
      return checked(name, version, digest, { bytes, fileName: `${name}-${version}.crate` });
    },
    close: () => client.close(),
  };
}

async function npmSource(o: SourceOptions): Promise<PackageTreeSource> {
  const config = await loadNpmConfig({ projectDir: path.dirname(o.lockfile), env: o.env });
  const cache = openCache({ ...(o.cacheDir ? { cacheDir: o.cacheDir } : {}), env: o.env });
  const registry: NpmRegistry = createNpmRegistry({ config, cache, httpOptions: httpOf(o) });
  const registryFetcher = createRegistrySuggestFetcher(registry, o.graph);
  const fetcher = { ...registryFetcher, tree: withArchiveFallback(o, cache, (n, v) => registryFetcher.tree(n, v)) };
  return {
    tree: withArchiveFallback(o, cache, (name, version) => {
      const node = lockedNode(o.graph, name, version);
      const integrity = node && node.integrity.length > 0 ? node.integrity : undefined;
      return fetchPackageTree(
        name,
        version,
        integrity,
        registry,
        node?.source.url ? { resolved: node.source.url } : {},
      );
    }),
    packument: (name) => registry.packument(name, { full: true }),
    suggestFetcher: () => fetcher,
    async artifact(name, version, digest) {
      const t = await registry.tarball({ name, version, integrity: digest });
      return checked(name, version, digest, { bytes: t.bytes, fileName: `${baseName(name)}-${version}.tgz` });
    },
    close: () => registry.close(),
  };
}

function pypiSource(o: SourceOptions): Promise<PackageTreeSource> {
  // The index the lockfile records for a package, else pip/uv configuration, else pip's own.
  const clients = openPypiClients(o.graph, { env: o.env, cwd: path.dirname(o.lockfile), http: httpOf(o) });
  const cache = openCache({ ...(o.cacheDir ? { cacheDir: o.cacheDir } : {}), env: o.env });
  const tree = withArchiveFallback(o, cache, async (name: string, version: string) => {
    const node = lockedNode(o.graph, name, version);
    const r = await inspectPypi(name, version, {
      client: await clients.forPackage(name, version),
      ...(node ? { integrity: node.integrity } : {}),
      ...(o.cacheDir ? { cacheDir: o.cacheDir } : {}),
    });
    return { dir: r.dir, key: `${r.file}` };
  });
  return Promise.resolve({
    tree,
    suggestFetcher: () => ({
      tree,
      packument: () => Promise.reject(new VetError('NOT_FOUND', 'Python indexes have no packuments')),
    }),
    async artifact(name, version, digest) {
      const client = await clients.forPackage(name, version);
      const hex = parseArtifactDigest(digest)?.hex;
      const file = (await client.release(name, version)).find((f) => f.hashes.sha256 === hex);
      if (file === undefined)
        throw new VetError('NOT_FOUND', `the index lists no file of ${name} ${version} with the approved sha256`);
      return checked(name, version, digest, { bytes: await client.download(file), fileName: file.filename });
    },
    close: () => clients.close(),
  });
}
