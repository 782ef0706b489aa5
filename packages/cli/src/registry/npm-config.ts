/**
 * Which registry serves a package, and which credentials go with which URL, resolved from the
 * user's npm configuration in npm's priority order (lockfiles.md §12.4):
 * CLI overrides > env `npm_config_*` > project `.npmrc` > user `~/.npmrc` (`userconfig`) >
 * global `$PREFIX/etc/npmrc` (`globalconfig`).
 *
 * No registry host is written here: when no file sets `registry`, npm itself is asked, and the
 * hosts a lockfile's `resolved` URL uses to mean "whatever registry is configured" (§1,
 * replace-registry-host = npmjs) come from the package managers' own defaults (npm-defaults.ts).
 */
import { VetError } from '@vet/core';
import type { NpmDefaults } from './npm-defaults.js';
import type { NpmrcLayer } from './npmrc.js';

/** The merged configuration: layers highest-priority first, plus what was ignored and why. */
export interface NpmConfig {
  layers: NpmrcLayer[];
  /** Non-fatal notes (ignored unscoped credentials, unreadable files). */
  warnings: string[];
  /** Files that were read, lowest priority first, for `--verbose` output. */
  files: string[];
  /** Where the package managers' own defaults come from, asked only when needed. */
  defaults?: NpmDefaults;
}

const NO_REGISTRY_HINT = 'set registry=<url> in .npmrc or the npm_config_registry environment variable';

export function npmConfigGet(config: NpmConfig, key: string): string | undefined {
  for (const layer of config.layers) {
    const v = layer.values.get(key);
    if (typeof v === 'string') return v;
    if (Array.isArray(v)) return v[v.length - 1];
  }
  return undefined;
}

/** A registry URL normalised the way npm does: must parse, always ends with `/`. */
export function normalizeRegistryUrl(url: string, source = 'npm configuration'): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (cause) {
    throw new VetError('INVALID_ARGUMENT', `invalid registry URL "${url}" in ${source}`, {
      cause,
      hint: 'set registry=<http(s) URL> in .npmrc',
    });
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new VetError('INVALID_ARGUMENT', `registry URL "${url}" in ${source} is not http(s)`);
  }
  parsed.hash = '';
  parsed.search = '';
  return parsed.href.endsWith('/') ? parsed.href : `${parsed.href}/`;
}

/** The scope of a package name (`@scope`), or undefined. */
export function packageScope(name: string): string | undefined {
  return name.startsWith('@') && name.includes('/') ? name.slice(0, name.indexOf('/')) : undefined;
}

/**
 * Registry for a package: `@scope:registry` for scoped names, else `registry`.
 * Throws when nothing is configured (loadNpmConfig asks npm for its built-in default).
 */
export function registryForPackage(config: NpmConfig, name: string): string {
  const scope = packageScope(name);
  const scoped = scope === undefined ? undefined : npmConfigGet(config, `${scope}:registry`);
  const url = scoped ?? npmConfigGet(config, 'registry');
  if (url === undefined)
    throw new VetError('INVALID_ARGUMENT', 'no npm registry is configured', { hint: NO_REGISTRY_HINT });
  return normalizeRegistryUrl(url);
}

const hasRegistry = (config: NpmConfig) => npmConfigGet(config, 'registry') !== undefined;

/**
 * When the npmrc chain sets no `registry`, takes the one npm uses (`npm config get registry`)
 * as the lowest layer. A clear error when npm cannot be asked.
 */
export async function settleDefaultRegistry(config: NpmConfig): Promise<void> {
  if (hasRegistry(config)) return;
  const builtin = await config.defaults?.registry();
  if (hasRegistry(config)) return; // settled by a concurrent caller
  if (builtin === undefined) {
    throw new VetError(
      'INVALID_ARGUMENT',
      'no npm registry is configured, and npm is not installed to say which one it uses',
      {
        hint: NO_REGISTRY_HINT,
      },
    );
  }
  normalizeRegistryUrl(builtin, 'npm config get registry');
  config.layers.push({ source: 'npm config get registry', values: new Map([['registry', builtin]]) });
}

/** Packument URL: `{registry}{name}` with a scoped name's `/` encoded as `%2f` (§12.1). */
export function packumentUrl(registry: string, name: string): string {
  return registry + encodeURIComponent(name).replace(/^%40/, '@');
}

/** Tarball URL when there is no packument: `{registry}{name}/-/{basename}-{version}.tgz` (§12.1). */
export function defaultTarballUrl(registry: string, name: string, version: string): string {
  const base = name.slice(name.lastIndexOf('/') + 1);
  return `${registry}${name}/-/${base}-${encodeURIComponent(version)}.tgz`;
}

/**
 * Could `url` be a default-registry URL that replace-registry-host moves (§1)? Only then are the
 * package managers asked for their default hosts: `npmjs` mode and a host that is not already
 * the package's registry.
 */
export function mayNeedDefaultHosts(config: NpmConfig, name: string, url: string): boolean {
  if ((npmConfigGet(config, 'replace-registry-host') ?? 'npmjs') !== 'npmjs' || !URL.canParse(url)) return false;
  return new URL(registryForPackage(config, name)).origin !== new URL(url).origin;
}

/**
 * replace-registry-host (§1): a URL on one of `defaultHosts` — the hosts of the package
 * managers' built-in default registries (npm's, Yarn classic's alias), for the default mode
 * `npmjs` — or on any host with `always`, or on the named host, is moved onto the package's
 * configured registry. Unlike npm, the registry's own path prefix is kept
 * (`https://mirror/api/npm/` + `lodash/-/lodash-4.17.21.tgz`), which is what path-prefixed
 * mirrors need. `never` leaves URLs alone.
 */
export function rewriteRegistryUrl(
  config: NpmConfig,
  name: string,
  url: string,
  defaultHosts: readonly string[] = [],
): string {
  const mode = npmConfigGet(config, 'replace-registry-host') ?? 'npmjs';
  if (mode === 'never') return url;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  const matches =
    mode === 'always' ||
    (mode === 'npmjs' ? defaultHosts.includes(parsed.hostname.toLowerCase()) : parsed.host === mode);
  if (!matches) return url;
  const registry = registryForPackage(config, name);
  if (new URL(registry).origin === parsed.origin) return url;
  return registry + parsed.pathname.replace(/^\/+/, '');
}
