/**
 * What an unlocked `check` fetches before resolving: imports (peers and notaries) and, for
 * npm stores with trusted entries or wildcard audits, the publisher facts of the versions in
 * use. Returns a project whose store is a refreshed copy; the original is untouched.
 */
import type { GlobalOptions, LoadedProject } from '../context.js';
import type { CommandIO } from '../io.js';
import { refreshImports } from '../imports/refresh.js';
import { packagesNeedingPublishers, setPublisherRows } from '../imports/publishers.js';
import { openPackageSource } from '../package-source.js';
import { createHttpClient } from '../registry/index.js';

export async function refreshProject(g: GlobalOptions, io: CommandIO, p: LoadedProject, notes: string[]): Promise<LoadedProject> {
  let store = p.store;
  if (Object.keys(store.config.imports).length > 0) {
    const http = createHttpClient({});
    try {
      const r = await refreshImports(store, p.graph, { http });
      store = r.store;
      notes.push(...r.warnings);
    } finally {
      await http.close();
    }
  }
  const needing = p.ref.ecosystem === 'npm' ? packagesNeedingPublishers(store, p.graph) : [];
  if (needing.length > 0) {
    if (store === p.store) store = structuredClone(store);
    const source = await openPackageSource({ ecosystem: 'npm', graph: p.graph, lockfile: p.ref.lockfile, env: io.env, ...(g.cacheDir ? { cacheDir: g.cacheDir } : {}) });
    try {
      for (const name of needing) setPublisherRows(store, p.graph, name, await source.packument!(name));
    } finally {
      await source.close();
    }
  }
  return store === p.store ? p : { ...p, store };
}
