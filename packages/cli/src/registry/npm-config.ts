/**
 * Which registry serves a package, and which credentials go with which URL, resolved from the
 * user's npm configuration in npm's priority order (lockfiles.md §12.4):
 * CLI overrides > env `npm_config_*` > project `.npmrc` > user `~/.npmrc` (`userconfig`) >
 * global `$PREFIX/etc/npmrc` (`globalconfig`).
 *
 * No registry host is written here. DEFAULT_NPM_HOSTS only *recognises* npm's magic host in
 * lockfile `resolved` URLs so it can be rewritten onto the configured registry (§1,
 * replace-registry-host).
 */
import { VetError } from '@vet/core';
import type { NpmrcLayer } from './npmrc.js';

/**
 * Hosts that in a lockfile's `resolved` mean "whatever registry is configured": npm's built-in
 * default and Yarn classic's alias for the same registry. Never contacted as such.
 */
export const DEFAULT_NPM_HOSTS: readonly string[] = ['registry.npmjs.org', 'registry.yarnpkg.com'];

/** The merged configuration: layers highest-priority first, plus what was ignored and why. */
export interface NpmConfig {
  layers: NpmrcLayer[];
  /** Non-fatal notes (ignored unscoped credentials, unreadable files). */
  warnings: string[];
  /** Files that were read, lowest priority first, for `--verbose` output. */
  files: string[];
}

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
  if (url === undefined) {
    throw new VetError('INVALID_ARGUMENT', 'no npm registry is configured', {
      hint: 'set registry=<url> in .npmrc or the npm_config_registry environment variable',
    });
  }
  return normalizeRegistryUrl(url);
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
 * replace-registry-host (§1): a URL on a DEFAULT_NPM_HOSTS host (or any host with `always`, or
 * the named host) is moved onto the package's configured registry. Unlike npm, the registry's
 * own path prefix is kept (`https://mirror/api/npm/` + `lodash/-/lodash-4.17.21.tgz`), which is
 * what path-prefixed mirrors need. `never` leaves URLs alone.
 */
export function rewriteRegistryUrl(config: NpmConfig, name: string, url: string): string {
  const mode = npmConfigGet(config, 'replace-registry-host') ?? 'npmjs';
  if (mode === 'never') return url;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  const matches =
    mode === 'always' || (mode === 'npmjs' ? DEFAULT_NPM_HOSTS.includes(parsed.hostname) : parsed.host === mode);
  if (!matches) return url;
  const registry = registryForPackage(config, name);
  if (new URL(registry).origin === parsed.origin) return url;
  return registry + parsed.pathname.replace(/^\/+/, '');
}
