/**
 * Refreshing imports (unlocked `check`, `import`): fetch every configured peer, translate its
 * criteria to ours, and put the result in imports.lock. Works on a copy of the store so a
 * failing run writes nothing.
 */
import {
  cloneData,
  CriteriaIndex,
  VetError,
  translateImport,
  type DependencyGraph,
  type ImportConfig,
  type Store,
  type StoreWarning,
} from '@vet/core';
import type { HttpClient } from '../registry/index.js';
import { fetchForeignAudits } from './fetch-audits.js';

/** Imports whose audits come from a notary are verified by the notary client instead. */
export type NotaryRefresher = (
  name: string,
  config: ImportConfig,
  store: Store,
  graph: DependencyGraph,
) => Promise<void>;

export interface RefreshOptions {
  http: HttpClient;
  /** Only this import (vet import NAME); default all. */
  only?: string;
  notary?: NotaryRefresher;
}

export interface RefreshResult {
  store: Store;
  warnings: string[];
}

export async function refreshImports(
  store: Store,
  graph: DependencyGraph,
  opts: RefreshOptions,
): Promise<RefreshResult> {
  const next = cloneData(store);
  const warnings: string[] = [];
  const storeWarnings: StoreWarning[] = [];
  const packages = new Set(graph.nodes.filter((n) => !n.firstParty).map((n) => n.name));
  const local = new CriteriaIndex(next.audits.criteria);
  for (const [name, config] of Object.entries(next.config.imports)) {
    if (opts.only !== undefined && name !== opts.only) continue;
    if (config.notary) {
      if (!opts.notary) throw new VetError('INTERNAL', `import '${name}' is a notary, but no notary client was given`);
      await opts.notary(name, config, next, graph);
      continue;
    }
    const foreign = await fetchForeignAudits(opts.http, config.url, storeWarnings);
    const result = translateImport(foreign, config, local, { importName: name, packages });
    next.importsLock.audits[name] = result.audits;
    warnings.push(...result.warnings);
  }
  // An import removed from config.toml leaves imports.lock too (spec §5.4 consistency).
  for (const name of Object.keys(next.importsLock.audits)) {
    if (!(name in next.config.imports)) delete next.importsLock.audits[name];
  }
  for (const name of Object.keys(next.importsLock.revoked ?? {})) {
    if (!(name in next.config.imports)) delete next.importsLock.revoked![name];
  }
  warnings.push(...storeWarnings.map((w) => w.message));
  return { store: next, warnings };
}
