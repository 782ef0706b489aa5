/**
 * Cargo's own state under $CARGO_HOME/registry (cargo reference, "Cargo Home"): the sparse
 * index cargo uses for a source (`index/<dir>/config.json` and its cached index entries
 * `index/<dir>/.cache/<path>`), the downloaded `.crate` files (`cache/<dir>/<name>-<version>.crate`)
 * and the unpacked sources (`src/<dir>/<name>-<version>/`). vet reads it so that a machine
 * where cargo has run needs no configuration and no network: which index directory serves
 * the lockfile's default registry is proved by content — its cached entries list the very
 * checksums Cargo.lock records — never by its name.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { tracedReadFileBytesSync, tracedReaddirSync } from '@vet/core/node';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { indexPath, parseIndexFile, type IndexRecord } from './sparse-index.js';

export function cargoHomeOf(env: NodeJS.ProcessEnv): string {
  return env['CARGO_HOME'] || join(env['HOME'] || homedir(), '.cargo');
}

/** A crate the lockfile pins, as evidence of which index serves it. */
export interface LockedCrate {
  name: string;
  version: string;
  /** sha256 hex of the .crate, from Cargo.lock. */
  checksum: string;
}

/** An index directory cargo keeps, with the `config.json` the registry published. */
export interface CargoIndexDir {
  /** Directory name under registry/index (cargo's `<host>-<hash>`), also used by registry/cache and registry/src. */
  name: string;
  path: string;
  dl: string;
  api?: string;
}

// Listings and .crate reads are traced (core's traced-fs): the parse cache keeps a Cargo graph
// only while what they saw is unchanged.
function subdirs(dir: string): string[] {
  try {
    return tracedReaddirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
  } catch {
    return [];
  }
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'latin1');
  } catch {
    return undefined;
  }
}

function indexConfig(path: string): { dl: string; api?: string } | undefined {
  try {
    const json = JSON.parse(readFileSync(join(path, 'config.json'), 'utf8')) as { dl?: unknown; api?: unknown };
    if (typeof json.dl !== 'string') return undefined;
    return { dl: json.dl, ...(typeof json.api === 'string' && { api: json.api }) };
  } catch {
    return undefined;
  }
}

/** Does `dir` serve this exact release? Its cached index entry, or its downloaded .crate, has the checksum. */
function serves(cargoHome: string, dir: string, c: LockedCrate): boolean {
  const entry = readText(join(cargoHome, 'registry', 'index', dir, '.cache', indexPath(c.name)));
  if (entry?.includes(`"cksum":"${c.checksum}"`)) return true;
  const crate = readCrateFile(cargoHome, dir, c.name, c.version);
  return crate !== undefined && createHash('sha256').update(crate).digest('hex') === c.checksum;
}

/**
 * The sparse index directory cargo uses for the lockfile's default registry: the one that
 * serves the most of `sample` (checked by checksum). Undefined when cargo has used none here.
 */
export function findCargoIndexDir(cargoHome: string, sample: readonly LockedCrate[]): CargoIndexDir | undefined {
  let best: { dir: CargoIndexDir; hits: number } | undefined;
  for (const name of subdirs(join(cargoHome, 'registry', 'index'))) {
    const path = join(cargoHome, 'registry', 'index', name);
    const config = indexConfig(path);
    if (!config) continue;
    const hits = sample.filter((c) => serves(cargoHome, name, c)).length;
    if (hits > 0 && (!best || hits > best.hits)) best = { dir: { name, path, ...config }, hits };
  }
  return best?.dir;
}

/**
 * Cargo's cached index entry for a crate (`SummariesCache`, cargo's index/cache.rs): a version
 * byte, a u32 index format, the revision and a NUL, then NUL-separated (version, JSON line)
 * pairs. Undefined when absent or not in that shape.
 */
export function readCachedIndexEntry(dir: CargoIndexDir, name: string): IndexRecord[] | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(join(dir.path, '.cache', indexPath(name)));
  } catch {
    return undefined;
  }
  if (bytes.length < 6 || bytes[0] !== 3) return undefined;
  const parts = bytes.subarray(5).toString('utf8').split('\0');
  const lines = parts.slice(1).filter((_, i) => i % 2 === 1);
  try {
    return parseIndexFile(lines.join('\n'), join(dir.path, '.cache', indexPath(name)));
  } catch {
    return undefined;
  }
}

/** A `.crate` cargo downloaded (registry/cache/<dir>/<name>-<version>.crate), unverified. */
export function readCrateFile(cargoHome: string, dir: string, name: string, version: string): Buffer | undefined {
  try {
    return tracedReadFileBytesSync(join(cargoHome, 'registry', 'cache', dir, `${name}-${version}.crate`));
  } catch {
    return undefined;
  }
}

/** Every registry/cache directory, for looking a .crate up by name and version. */
export function crateCacheDirs(cargoHome: string): string[] {
  return subdirs(join(cargoHome, 'registry', 'cache'));
}
