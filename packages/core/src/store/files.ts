/**
 * The store's three files as text (spec/cargo-vet-format.md §1): parse them, serialise them
 * canonically, and lint them (§9.1). Pure; reading and committing the directory is the edge's
 * (`@vet/core/node`, store-dir.ts).
 */
import path from 'node:path';
import type { Problem } from '../errors.js';
import type { Store } from './model.js';
import { canonicalFirstDifference } from './canonical.js';
import { parseAudits } from './parse-audits.js';
import { parseConfig } from './parse-config.js';
import { parseImportsLock } from './parse-imports-lock.js';
import type { StoreWarning } from './parse-common.js';
import { serializeAudits, type SerializeOptions } from './serialize-audits.js';
import { serializeConfig, serializeImportsLock } from './serialize-config.js';
import { pep440Scheme } from '../version/pep440.js';

export const CONFIG_TOML = 'config.toml';
export const AUDITS_TOML = 'audits.toml';
export const IMPORTS_LOCK = 'imports.lock';

/** The raw text of a store's files; `importsLock` is undefined when the file is absent. */
export interface StoreFiles {
  config: string;
  audits: string;
  importsLock: string | undefined;
}

export interface StoreReadOptions {
  warnings?: StoreWarning[];
}

/** Parse all three files; error locations use `dir`-joined paths. */
export function parseStore(files: StoreFiles, dir: string, opts: StoreReadOptions = {}): Store {
  const po = opts.warnings === undefined ? {} : { warnings: opts.warnings };
  return {
    config: parseConfig(files.config, path.join(dir, CONFIG_TOML), po),
    audits: parseAudits(files.audits, path.join(dir, AUDITS_TOML), po),
    importsLock: parseImportsLock(files.importsLock ?? '', path.join(dir, IMPORTS_LOCK), po),
  };
}

/** Version order used when sorting a store's entries: PEP 440 for PyPI stores, else semver. */
export function storeSerializeOptions(store: Store, opts: SerializeOptions = {}): SerializeOptions {
  if (opts.compareVersions !== undefined || store.config.vet?.ecosystem !== 'pypi') return opts;
  return { ...opts, compareVersions: (a, b) => pep440Scheme.compare(a, b) };
}

/** The canonical text of every store file. */
export function serializeStore(store: Store, opts: SerializeOptions = {}): StoreFiles {
  const o = storeSerializeOptions(store, opts);
  return {
    config: serializeConfig(store.config, o),
    audits: serializeAudits(store.audits, store.importsLock, o),
    importsLock: serializeImportsLock(store.importsLock, o),
  };
}

/**
 * `--locked` format check (§9.1): one problem per file that is not byte-for-byte canonical,
 * with the first difference as a small diff. A missing imports.lock counts as empty.
 */
export function checkStoreFormat(files: StoreFiles, store: Store, dir: string, opts: SerializeOptions = {}): Problem[] {
  const canonical = serializeStore(store, opts);
  const problems: Problem[] = [];
  for (const [key, name] of [
    ['config', CONFIG_TOML],
    ['audits', AUDITS_TOML],
    ['importsLock', IMPORTS_LOCK],
  ] as const) {
    const file = path.join(dir, name);
    const diff = canonicalFirstDifference(files[key] ?? '', canonical[key] ?? '', file);
    if (diff === undefined) continue;
    const line = /^@@ line (\d+) @@$/m.exec(diff)?.[1];
    problems.push({
      file,
      ...(line !== undefined ? { line: Number(line) } : {}),
      message: `${name} is not in canonical form (run \`vet fmt\`):\n${diff}`,
    });
  }
  return problems;
}
