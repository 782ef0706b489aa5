/**
 * A SuggestFetcher over the npm registry: trees come from fetchPackageTree with the lockfile's
 * integrity and `resolved` URL when the version is in the graph (candidate versions that are not
 * in the lockfile are verified against the registry's `dist.integrity`). Memoised per run.
 */
import { isVetError, type DependencyGraph, type PackageNode } from '@vet/core';
import type { ArchiveLimits } from '../archive/index.js';
import type { NpmRegistry } from '../registry/npm-registry.js';
import { installsOn, type Packument } from '../registry/packument.js';
import { fetchPackageTree, type PackageTree } from './fetch-tree.js';
import type { SuggestFetcher } from './suggest.js';

const REMOTE_KINDS = new Set(['registry', 'alt-registry', 'tarball']);

function lockedNode(graph: DependencyGraph | undefined, name: string, version: string): PackageNode | undefined {
  return graph?.nodes.find((n) => n.name === name && n.version === version && REMOTE_KINDS.has(n.source.kind));
}

function unlessUnreachable(e: unknown): undefined {
  if (isVetError(e) && e.code === 'NETWORK_ERROR') throw e;
  return undefined;
}

export function createRegistrySuggestFetcher(
  registry: NpmRegistry,
  graph?: DependencyGraph,
  options: { limits?: Partial<ArchiveLimits> } = {},
): SuggestFetcher {
  const trees = new Map<string, Promise<PackageTree>>();
  return {
    tree(name, version) {
      const id = `${name}@${version}`;
      let p = trees.get(id);
      if (!p) {
        const node = lockedNode(graph, name, version);
        const integrity = node && node.integrity.length > 0 ? node.integrity : undefined;
        // A version outside the lockfile needs the registry's integrity: its manifest has it.
        const warm = integrity
          ? Promise.resolve()
          : registry.manifest(name, version, { immutable: true }).then(() => undefined);
        p = warm.then(() =>
          fetchPackageTree(name, version, integrity, registry, { resolved: node?.source.url, limits: options.limits }),
        );
        trees.set(id, p);
      }
      return p;
    },
    packument(name): Promise<Packument> {
      return registry.packument(name, { full: true });
    },
    async manifests(name, versions): Promise<Packument> {
      // A version that cannot be had means fewer signals; an unreachable registry stops.
      const list = await Promise.all(versions.map((v) => registry.manifest(name, v).catch(unlessUnreachable)));
      const out: Packument = {
        name,
        distTags: {},
        versions: Object.create(null) as Packument['versions'],
        time: {},
        abbreviated: false,
      };
      for (const m of list) if (m) out.versions[m.version] = m;
      return out;
    },
    async elsewhere(name, version) {
      // Only packages npm itself would skip here: an optional dependency built for another platform.
      const node = graph?.nodes.find((n) => n.name === name);
      if (graph !== undefined && node === undefined) return undefined;
      const v = await registry.manifest(name, version, { immutable: true }).catch(unlessUnreachable);
      if (v === undefined || installsOn(v)) return undefined;
      const { fileCount, unpackedSize } = v.dist;
      const platform = [...(v.os ?? []), ...(v.cpu ?? []), ...(v.libc ?? [])].join('/');
      // Sizes when the registry publishes them; without them the release still is not downloaded.
      return {
        platform,
        ...(fileCount === undefined ? {} : { files: fileCount }),
        ...(unpackedSize === undefined ? {} : { bytes: unpackedSize }),
      };
    },
  };
}
