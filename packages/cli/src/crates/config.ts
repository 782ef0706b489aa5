/**
 * Where Cargo's default registry (the `crates-io` source) is replaced, read from the user's
 * Cargo configuration — the same files cargo reads: `.cargo/config.toml` (or legacy
 * `.cargo/config`) in the project folder and each parent, then `$CARGO_HOME/config.toml`
 * (default ~/.cargo); a closer file wins. Source replacement (`[source.crates-io] replace-with
 * = "<name>"`, chains allowed) to a `registry =` source points vet at a mirror. Without
 * replacement the answer is undefined and registry.ts looks further (cargo's own state, the
 * lockfile); no registry host is written here.
 * `resolveCratesIndex` is pure (file texts in, answer out); `loadCratesIndex` reads the files.
 */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { VetError, parseTomlText } from '@vet/core';

export interface CargoConfigText {
  path: string;
  text: string;
}

export interface CratesIndexConfig {
  /** Sparse-index base URL, ending in `/`. */
  indexUrl: string;
  /** Where it came from, for messages (a config file path). */
  from: string;
}

type Table = Record<string, unknown>;
const isTable = (v: unknown): v is Table => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Cargo's name for its default registry source. */
const DEFAULT_SOURCE = 'crates-io';

/** `[source.<name>]` tables merged across files, the closest file's keys winning. */
function sourceTables(files: readonly CargoConfigText[]): Map<string, { table: Table; path: string }> {
  const out = new Map<string, { table: Table; path: string }>();
  for (const f of [...files].reverse()) {
    const doc = parseTomlText(f.text, f.path);
    const sources = doc['source'];
    if (!isTable(sources)) continue;
    for (const [name, t] of Object.entries(sources)) {
      if (!isTable(t)) continue;
      out.set(name, { table: { ...(out.get(name)?.table ?? {}), ...t }, path: f.path });
    }
  }
  return out;
}

/** The sparse index that replaces the default registry, from Cargo config file texts (closest first); undefined when nothing replaces it. */
export function resolveCratesIndex(files: readonly CargoConfigText[]): CratesIndexConfig | undefined {
  const sources = sourceTables(files);
  let name = DEFAULT_SOURCE;
  const seen = new Set<string>();
  for (;;) {
    const s = sources.get(name);
    const next = s?.table['replace-with'];
    if (typeof next !== 'string') break;
    if (seen.has(next))
      throw new VetError('INVALID_ARGUMENT', `${s!.path}: source replacement loops through "${next}"`, {
        file: s!.path,
      });
    seen.add(next);
    name = next;
  }
  if (name === DEFAULT_SOURCE) return undefined;
  const s = sources.get(name);
  const registry = s?.table['registry'];
  if (typeof registry !== 'string') {
    const kind = s ? Object.keys(s.table).find((k) => ['local-registry', 'directory', 'git'].includes(k)) : undefined;
    throw new VetError(
      'INVALID_ARGUMENT',
      `the default registry (crates-io) is replaced by source "${name}"${kind ? `, a ${kind} source,` : ''} which vet cannot fetch from`,
      {
        ...(s && { file: s.path }),
        hint: 'vet fetches crates from a sparse registry (`registry = "sparse+https://…/"`)',
      },
    );
  }
  if (!registry.startsWith('sparse+')) {
    throw new VetError(
      'INVALID_ARGUMENT',
      `source "${name}" is a git-protocol registry (${registry}); vet reads sparse indexes only`,
      {
        file: s!.path,
        hint: "point the replacement at the registry's sparse index (`sparse+https://…/`)",
      },
    );
  }
  let url: URL;
  try {
    url = new URL(registry.slice('sparse+'.length));
  } catch {
    throw new VetError('INVALID_ARGUMENT', `${s!.path}: source "${name}" registry is not a URL: ${registry}`, {
      file: s!.path,
    });
  }
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return { indexUrl: url.href, from: s!.path };
}

/** Config files in cargo's order of precedence (closest first) for a project folder. */
export function cargoConfigCandidates(
  projectDir: string,
  env: NodeJS.ProcessEnv = process.env,
  home = homedir(),
): string[] {
  const out: string[] = [];
  for (let dir = projectDir; ; dir = dirname(dir)) {
    // With both present, cargo reads the legacy file without the extension.
    out.push(join(dir, '.cargo', 'config'), join(dir, '.cargo', 'config.toml'));
    if (dirname(dir) === dir) break;
  }
  const cargoHome = env.CARGO_HOME || join(home, '.cargo');
  out.push(join(cargoHome, 'config'), join(cargoHome, 'config.toml'));
  return [...new Set(out)];
}

export async function loadCratesIndex(
  projectDir: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<CratesIndexConfig | undefined> {
  const files: CargoConfigText[] = [];
  for (const path of cargoConfigCandidates(projectDir, env)) {
    const text = await readFile(path, 'utf8').catch(() => undefined);
    if (text !== undefined) files.push({ path, text });
  }
  return resolveCratesIndex(files);
}
