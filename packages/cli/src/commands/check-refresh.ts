/**
 * What an unlocked `check` fetches before resolving: imports (peers and notaries) and, for
 * stores with trusted entries or wildcard audits, the publisher facts of the versions in use
 * (npm: packuments; crates: the registry's web API, as cargo-vet does). Returns a project
 * whose store is a refreshed copy; the original is untouched.
 */
import type { GlobalOptions, LoadedProject } from '../context.js';
import type { CommandIO } from '../io.js';
import { IMPORT_HINTS } from '../imports/fetch-audits.js';
import { refreshImports } from '../imports/refresh.js';
import { packagesNeedingPublishers, setPublisherRows } from '../imports/publishers.js';
import { openPackageSource } from '../package-source.js';
import { createHttpClient, mapLimit } from '../registry/index.js';
import { openPypiClients, pypiYankStateOf as yankStateOf } from '../pypi/index.js';
import { cloneData, isVetError, type VetError } from '@vet/core';
import path from 'node:path';
import {
  createCratesClient,
  cratesNeedingPublishers,
  loadCratesRegistry,
  mergeCratePublisherRows,
} from '../crates/index.js';

export interface Flagged {
  name: string;
  version: string;
  message: string;
}

export async function refreshProject(
  g: GlobalOptions,
  io: CommandIO,
  p: LoadedProject,
  notes: string[],
): Promise<{ project: LoadedProject; flagged: Flagged[] }> {
  let store = p.store;
  if (Object.keys(store.config.imports).length > 0) {
    const http = createHttpClient({ hints: IMPORT_HINTS });
    try {
      const { notaryRefresher } = await import('../notary/index.js');
      const r = await refreshImports(store, p.graph, {
        http,
        notary: notaryRefresher({ http, io, storeDir: p.ref.storeDir }),
      });
      store = r.store;
      notes.push(...r.warnings);
    } finally {
      await http.close();
    }
  }
  const needing = p.ref.ecosystem === 'npm' ? packagesNeedingPublishers(store, p.graph) : [];
  if (needing.length > 0) {
    if (store === p.store) store = cloneData(store);
    const source = await openPackageSource({
      ecosystem: 'npm',
      graph: p.graph,
      lockfile: p.ref.lockfile,
      env: io.env,
      ...(g.cacheDir ? { cacheDir: g.cacheDir } : {}),
    });
    try {
      // Concurrent (bounded) look-ups, applied in order so the store comes out the same.
      const packuments = await mapLimit(needing, 8, (name) => source.packument!(name));
      needing.forEach((name, i) => setPublisherRows(store, p.graph, name, packuments[i]!));
    } finally {
      await source.close();
    }
  }
  if (p.ref.ecosystem === 'cargo') {
    const crates = cratesNeedingPublishers(store, p.graph, packagesNeedingPublishers(store, p.graph));
    if (crates.length > 0) {
      if (store === p.store) store = cloneData(store);
      await refreshCratePublishers(io, p, store, crates, notes);
    }
  }
  const flagged = p.ref.ecosystem === 'pypi' ? await yankedReleases(io, p, notes) : [];
  return { project: store === p.store ? p : { ...p, store }, flagged };
}

async function refreshCratePublishers(
  io: CommandIO,
  p: LoadedProject,
  store: LoadedProject['store'],
  crates: string[],
  notes: string[],
): Promise<void> {
  let registry;
  try {
    registry = await loadCratesRegistry(path.dirname(p.ref.lockfile), io.env, p.graph);
  } catch (e) {
    // No registry known: the publisher rows imports.lock has still stand; say so once.
    if (!isVetError(e) || e.details?.['setting'] === undefined) throw e;
    const names =
      crates.length > 5 ? `${crates.slice(0, 5).join(', ')} and ${crates.length - 5} more` : crates.join(', ');
    notes.push(`who published ${names} was not refreshed: ${e.message} (${e.hint ?? ''})`);
    return;
  }
  const client = createCratesClient({ registry });
  const down = networkFailures('who published', notes);
  try {
    await mapLimit(crates, 8, async (name) => {
      try {
        mergeCratePublisherRows(store, p.graph, name, await client.versions(name));
      } catch (e) {
        // The cached rows still stand; a check without fresh facts may fail, and says why.
        if (!isVetError(e)) throw e;
        if (!down.add(name, e)) notes.push(`could not refresh who published ${name}: ${e.message}`);
      }
    });
    down.report();
  } finally {
    await client.close();
  }
}

/**
 * PEP 592: a release whose every file is yanked is flagged (a warning, unless policy denies).
 * Each package is asked of the index its lockfile records, else the configured one, else the one
 * pip says it uses; with none of these the warnings are skipped and that is said once — a
 * missing index never costs the verdict.
 */
async function yankedReleases(io: CommandIO, p: LoadedProject, notes: string[]): Promise<Flagged[]> {
  const nodes = p.graph.nodes.filter((n) => !n.firstParty && ['registry', 'alt-registry'].includes(n.source.kind));
  const clients = openPypiClients(p.graph, { env: io.env, cwd: path.dirname(p.ref.lockfile) });
  const out: Flagged[] = [];
  const down = networkFailures('whether these releases are yanked', notes);
  let noIndex: { error: VetError; count: number } | undefined;
  try {
    await mapLimit(nodes, 8, async (n) => {
      let client;
      try {
        client = await clients.forPackage(n.name, n.version);
      } catch (e) {
        // Only "no index is configured" is skipped; a broken configuration stays an error.
        if (!isVetError(e) || e.details?.['setting'] !== 'PIP_INDEX_URL') throw e;
        noIndex = { error: noIndex?.error ?? e, count: (noIndex?.count ?? 0) + 1 };
        return;
      }
      try {
        const state = yankStateOf(await client.release(n.name, n.version));
        if (state.yanked)
          out.push({ name: n.name, version: n.version, message: `yanked${state.reason ? `: ${state.reason}` : ''}` });
      } catch (e) {
        if (!isVetError(e)) throw e;
        if (!down.add(`${n.name} ${n.version}`, e))
          notes.push(`could not ask the index about ${n.name} ${n.version}: ${e.message}`);
      }
    });
    down.report();
    if (noIndex) {
      const { error, count } = noIndex;
      notes.push(
        `yanked releases not checked for ${count} package(s): ${error.message}${error.hint ? ` (${error.hint})` : ''}`,
      );
    }
  } finally {
    await clients.close();
  }
  return out;
}

/**
 * Network failures of a batch of look-ups, said once: the HTTP client fails every request to a
 * host that is down at once, so one note names the host, what to do, and what went unchecked.
 */
function networkFailures(what: string, notes: string[]) {
  let first: VetError | undefined;
  const skipped: string[] = [];
  return {
    add(subject: string, e: VetError): boolean {
      if (e.code !== 'NETWORK_ERROR') return false;
      first ??= e;
      skipped.push(subject);
      return true;
    },
    report(): void {
      if (!first) return;
      const hint = first.hint ? `; ${first.hint}` : '';
      const names = skipped.sort();
      const list = names.length > 5 ? `${names.slice(0, 5).join(', ')} and ${names.length - 5} more` : names.join(', ');
      notes.push(`${first.message}${hint} (not checked: ${what} ${list})`);
    },
  };
}
