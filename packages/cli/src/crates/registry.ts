/**
 * Where vet fetches the default registry's crates from, in the order a user would expect of a
 * tool that has no registry of its own:
 *  1. Cargo's configuration: the sparse registry that replaces `crates-io` (config.ts);
 *  2. Cargo's own state: the sparse index cargo already uses for the lockfile's registry
 *     (`$CARGO_HOME/registry/index/<dir>/config.json`, proved by the checksums it lists) — its
 *     `dl` template and `api`, and its cached index entries for versions Cargo.lock does not pin;
 *  3. the source the lockfile records, when it is a sparse index (`sparse+https://…/`).
 * Otherwise a clear error names the setting. No registry host is written in vet.
 */
import { VetError, type DependencyGraph } from '@vet/core';
import { cargoHomeOf, findCargoIndexDir, readCachedIndexEntry, type LockedCrate } from './cargo-home.js';
import { loadCratesIndex } from './config.js';
import type { IndexRecord } from './sparse-index.js';

export interface CratesRegistry {
  /** Sparse index base URL (ends in `/`), when known. */
  indexUrl?: string;
  /** The registry's config.json as cargo keeps it, when the index URL itself is not known. */
  config?: { dl: string; api?: string };
  /** Cargo's cached index entries, for versions the lockfile does not pin (with `config`). */
  cachedIndex?: (name: string) => IndexRecord[] | undefined;
  /** Where this came from, for messages. */
  from: string;
}

export const CRATES_SETTING = '[source.crates-io] replace-with';

export const CRATES_HINTS = {
  config:
    'the sparse registry Cargo uses: [source.crates-io] replace-with in .cargo/config.toml, or the index cargo fetched from ($CARGO_HOME/registry/index)',
  credentials: 'access to that registry (vet sends no registry token)',
};

/** The lockfile's default-registry crates: a sample for proving which index cargo uses, and the source ids. */
function lockedDefaults(graph: DependencyGraph): { sample: LockedCrate[]; sources: Set<string> } {
  const sample: LockedCrate[] = [];
  const sources = new Set<string>();
  for (const n of graph.nodes) {
    if (n.firstParty || n.source.kind !== 'registry') continue;
    if (n.source.url) sources.add(n.source.url);
    const checksum = n.integrity.find((i) => i.algo === 'sha256' && i.encoding === 'hex')?.digest;
    if (checksum && sample.length < 16) sample.push({ name: n.name, version: n.version, checksum });
  }
  return { sample, sources };
}

function sparseUrl(source: string): string | undefined {
  if (!source.startsWith('sparse+')) return undefined;
  const url = source.slice('sparse+'.length);
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) return undefined;
  return url.endsWith('/') ? url : `${url}/`;
}

export function noRegistryError(sources: ReadonlySet<string>): VetError {
  const recorded = [...sources].join(', ');
  return new VetError(
    'INVALID_ARGUMENT',
    `vet cannot tell where Cargo's default registry is: nothing replaces it in the cargo configuration, cargo has not fetched from it on this machine${recorded ? `, and the lockfile records ${recorded}, which is not a sparse index` : ''}`,
    {
      hint: `run \`cargo fetch\` once (vet then uses the index cargo uses), or set ${CRATES_SETTING} = "<name>" with [source.<name>] registry = "sparse+https://…/" in .cargo/config.toml`,
      details: { setting: CRATES_SETTING },
    },
  );
}

export async function loadCratesRegistry(
  projectDir: string,
  env: NodeJS.ProcessEnv,
  graph: DependencyGraph,
): Promise<CratesRegistry> {
  const configured = await loadCratesIndex(projectDir, env);
  if (configured) return configured;
  const { sample, sources } = lockedDefaults(graph);
  const dir = findCargoIndexDir(cargoHomeOf(env), sample);
  if (dir) {
    return {
      config: { dl: dir.dl, ...(dir.api !== undefined && { api: dir.api }) },
      cachedIndex: (name) => readCachedIndexEntry(dir, name),
      from: `${dir.path}/config.json`,
    };
  }
  for (const s of sources) {
    const url = sparseUrl(s);
    if (url) return { indexUrl: url, from: 'Cargo.lock' };
  }
  throw noRegistryError(sources);
}
