/**
 * `vet init`: create the store and exempt what the lockfile has now, each package with
 * exactly the criteria it needs, so `vet check` passes from day one and every later
 * change shows up as a failure.
 */
import { mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  VetError,
  computeRequirements,
  emptyStore,
  versionSchemeFor,
  type DependencyGraph,
  type Store,
  type VersionScheme,
} from '@vet/core';
import { commitStore, withStoreLock } from '@vet/core/node';
import { discoverOpts, graphOptions, noteProjectDir, type GlobalOptions } from '../context.js';
import { EXIT_OK } from '../exit-codes.js';
import type { CommandIO } from '../io.js';
import { discoverOne, readGraph } from '../project.js';

/** The working half: a fresh store exempting every third-party package the graph needs. */
export function initialStore(graph: DependencyGraph, scheme: VersionScheme): Store {
  const store = emptyStore();
  if (graph.ecosystem !== 'cargo') store.config.vet = { ecosystem: graph.ecosystem };
  const req = computeRequirements(graph, store, scheme);
  for (const node of graph.nodes) {
    if (node.firstParty) continue;
    const criteria = req.get(node.id) ?? [];
    if (criteria.length === 0) continue;
    const list = (store.config.exemptions[node.name] ??= []);
    if (!list.some((e) => e.version === node.version)) {
      list.push({ version: node.version, criteria: [...criteria], suggest: true });
    } else {
      const e = list.find((x) => x.version === node.version)!;
      e.criteria = [...new Set([...e.criteria, ...criteria])];
    }
  }
  return store;
}

export async function runInit(g: GlobalOptions, io: CommandIO): Promise<number> {
  const ref = await discoverOne(discoverOpts(g));
  noteProjectDir([ref], g, io);
  if (existsSync(path.join(ref.storeDir, 'config.toml'))) {
    throw new VetError('STORE_EXISTS', `a store already exists at ${ref.storeDir}`, {
      hint: 'vet check uses it as it is; delete it first to start over',
    });
  }
  const graph = await readGraph(ref, graphOptions(g, io));
  const store = initialStore(graph, versionSchemeFor(ref.ecosystem));
  await mkdir(ref.storeDir, { recursive: true });
  await withStoreLock(ref.storeDir, () => commitStore(ref.storeDir, store));
  const n = Object.values(store.config.exemptions).reduce((a, l) => a + l.length, 0);
  io.err(
    `Created ${path.relative(g.cwd, ref.storeDir) || '.'}/ for ${path.basename(ref.lockfile)} ` +
      `(${ref.ecosystem}) with ${n} exemption${n === 1 ? '' : 's'}.\n` +
      `Commit it; from now on \`vet check\` fails on every package that is neither audited nor exempted.\n`,
  );
  return EXIT_OK;
}
