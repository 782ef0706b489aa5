// Public API of the registry module: npm configuration, HTTP client, cache, integrity, packuments.
export { expandNpmEnv, npmEnvLayer, parseNpmrc } from './npmrc.js';
export type { EnvLike, NpmrcLayer } from './npmrc.js';
export {
  defaultTarballUrl,
  mayNeedDefaultHosts,
  normalizeRegistryUrl,
  npmConfigGet,
  packageScope,
  packumentUrl,
  registryForPackage,
  rewriteRegistryUrl,
  settleDefaultRegistry,
} from './npm-config.js';
export { packageManagerDefaults } from './npm-defaults.js';
export type { NpmDefaults } from './npm-defaults.js';
export type { NpmConfig } from './npm-config.js';
export { authorizationFor, credentialPrefixFor } from './npm-auth.js';
export { findNpmProjectRoot, loadNpmConfig } from './load-npm-config.js';
export type { LoadNpmConfigOptions } from './load-npm-config.js';
export { createHttpClient, redactUrl, NPM_HINTS } from './http.js';
export type { GetOptions, HttpClient, HttpClientOptions, HttpResponse, RegistryHints } from './http.js';
export {
  backoffDelay,
  isNetworkLevelError,
  isRetryableNetworkError,
  isRetryableStatus,
  isTimeoutError,
  parseRetryAfter,
} from './retry.js';
export { createHostHealth, originOf, processHostHealth } from './host-health.js';
export type { HostHealth, HostHealthOptions } from './host-health.js';
export { createLimiter, mapLimit } from './limiter.js';
export type { Limiter } from './limiter.js';
export {
  openCache,
  readCacheJson,
  resolveCacheDir,
  tarballCachePath,
  treeCachePath,
  writeCacheJson,
  writeFileAtomic as writeCacheFileAtomic,
} from './cache.js';
export type { CacheDirOptions, VetCache } from './cache.js';
export {
  digestOf,
  formatSri,
  integrityKey,
  isWeak as isWeakIntegrity,
  parseSri,
  sriFromIntegrity,
  sriFromShasum,
  strongest as strongestSri,
  verifyIntegrity,
} from './integrity.js';
export type { SriHash } from './integrity.js';
export { installScripts, packumentVersion, parsePackument } from './packument.js';
export type { Packument, PackumentDist, PackumentVersion } from './packument.js';
export { createNpmRegistry, lockfileHashes } from './npm-registry.js';
export type { NpmRegistry, NpmRegistryOptions, TarballRequest, VerifiedTarball } from './npm-registry.js';
