/**
 * Which index to ask about a locked package, in order: the index the lockfile records for it
 * (uv `source.registry`, Pipfile.lock `_meta.sources`, pylock `index`, a Poetry source), then
 * the pip/uv configuration, then the index pip (or uv) says it uses (config.ts). A recorded
 * index that the configuration also lists is used as configured, so credentials written there
 * (`https://user:token@host/simple/`) still apply. One client per index, made on first use.
 */
import type { DependencyGraph, PackageNode } from '@vet/core';
import { createPypiClient, type PypiClient, type PypiClientOptions } from './client.js';
import { loadPypiIndex, normalizeIndexUrl, type PypiIndexConfig } from './config.js';

export interface PypiClients {
  /** The client for name@version (NOT_FOUND-free: choosing the index only fails when none is known). */
  forPackage(name: string, version: string): Promise<PypiClient>;
  close(): Promise<void>;
}

const INDEX_KINDS: ReadonlySet<string> = new Set(['registry', 'alt-registry']);

/** The http(s) index URL a lockfile node records, with `${VAR}`s expanded as pipenv does. */
export function recordedIndexOf(node: PackageNode, env: NodeJS.ProcessEnv): string | undefined {
  const url = node.source.url;
  if (!INDEX_KINDS.has(node.source.kind) || url === undefined) return undefined;
  const expanded = url.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (m, k: string) => env[k] ?? m);
  if (!URL.canParse(expanded) || !/^https?:$/.test(new URL(expanded).protocol)) return undefined;
  return normalizeIndexUrl(expanded, 'the lockfile');
}

/** The index recorded for name@version, else for any locked version of the name (a diff's other side). */
export function recordedIndex(
  graph: DependencyGraph,
  name: string,
  version: string,
  env: NodeJS.ProcessEnv,
): string | undefined {
  const same = graph.nodes.filter((n) => n.name === name && !n.firstParty);
  const exact = same.find((n) => n.version === version);
  for (const n of exact ? [exact, ...same] : same) {
    const url = recordedIndexOf(n, env);
    if (url) return url;
  }
  return undefined;
}

const withoutCredentials = (url: string): string => {
  const u = new URL(url);
  u.username = '';
  u.password = '';
  return u.href;
};

export function openPypiClients(
  graph: DependencyGraph,
  options: PypiClientOptions & { env: NodeJS.ProcessEnv },
): PypiClients {
  const clients = new Map<string, Promise<PypiClient>>();
  let configured: Promise<PypiIndexConfig> | undefined;
  let written: Promise<PypiIndexConfig | undefined> | undefined;
  const config = () => (configured ??= loadPypiIndex(options));
  // What the files and environment say, without asking pip: enough to find credentials.
  const files = () =>
    (written ??= loadPypiIndex({ ...options, askTools: () => Promise.resolve(undefined) }).catch(() => undefined));
  const once = (key: string, make: () => Promise<PypiClient>) => {
    let c = clients.get(key);
    if (!c) clients.set(key, (c = make()));
    return c;
  };
  /** A recorded index, as the configuration spells it when it lists it (credentials included). */
  const asConfigured = async (recorded: string): Promise<string> => {
    const cfg = await files();
    const listed = cfg ? [cfg.indexUrl, ...cfg.extraIndexUrls] : [];
    return listed.find((u) => withoutCredentials(u) === recorded) ?? recorded;
  };
  return {
    async forPackage(name, version) {
      const recorded = recordedIndex(graph, name, version, options.env);
      if (recorded === undefined) {
        return once('', async () => {
          const cfg = await config();
          return createPypiClient({ ...options, indexUrl: cfg.indexUrl, extraIndexUrls: cfg.extraIndexUrls });
        });
      }
      return once(recorded, async () => createPypiClient({ ...options, indexUrl: await asConfigured(recorded) }));
    },
    async close() {
      const all = await Promise.allSettled(clients.values());
      await Promise.all(all.flatMap((r) => (r.status === 'fulfilled' ? [r.value.close()] : [])));
    },
  };
}
