/**
 * The npm registry as vet uses it: packuments and integrity-checked tarballs, with URLs and
 * credentials from the user's npm configuration and a content-addressed disk cache.
 * A tarball is verified against the lockfile integrity (plus the registry's `dist.integrity` when
 * the lockfile has none or only sha1) before it is cached or returned; a mismatch throws
 * INTEGRITY_MISMATCH and the bytes go nowhere.
 */
import { VetError, isVetError, type Integrity } from '@vet/core';
import { createHash } from 'node:crypto';
import {
  readCacheJson,
  readCachedFile,
  tarballCachePath,
  writeCacheJson,
  writeFileAtomic,
  type VetCache,
} from './cache.js';
import { createHttpClient, redactUrl, type HttpClient, type HttpClientOptions } from './http.js';
import {
  formatSri,
  integrityKey,
  isWeak,
  parseSri,
  sriFromIntegrity,
  sriFromShasum,
  strongest,
  verifyIntegrity,
  type SriHash,
} from './integrity.js';
import { authorizationFor } from './npm-auth.js';
import {
  defaultTarballUrl,
  mayNeedDefaultHosts,
  packumentUrl,
  registryForPackage,
  rewriteRegistryUrl,
  settleDefaultRegistry,
  type NpmConfig,
} from './npm-config.js';
import {
  packumentVersion,
  parsePackument,
  parseVersionManifest,
  type Packument,
  type PackumentVersion,
} from './packument.js';
import { getRevalidated } from './packument-cache.js';

const MIB = 1024 * 1024;
const ABBREVIATED_ACCEPT = 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*';

export interface NpmRegistryOptions {
  config: NpmConfig;
  cache: VetCache;
  /** Share one client between registries; otherwise one is built from httpOptions. */
  http?: HttpClient;
  httpOptions?: HttpClientOptions;
  maxTarballBytes?: number;
  maxPackumentBytes?: number;
}

export interface TarballRequest {
  name: string;
  version: string;
  /** Lockfile integrity: an SRI string or the graph's Integrity records. */
  integrity?: string | readonly Integrity[];
  /** Lockfile `resolved` URL, if any (a default registry's host is rewritten onto the configured registry). */
  resolved?: string;
}

export interface VerifiedTarball {
  bytes: Buffer;
  /** Cache key of the verified bytes (`sha512-<hex>`). */
  key: string;
  /** The strongest hash that was verified, as SRI. */
  integrity: string;
  fromCache: boolean;
}

export interface NpmRegistry {
  readonly config: NpmConfig;
  readonly cache: VetCache;
  readonly http: HttpClient;
  /** Abbreviated document unless `full` (needed for scripts, `_npmUser`, publish times). Memoised per run. */
  packument(name: string, options?: { full?: boolean }): Promise<Packument>;
  /**
   * One version's full manifest (`GET <registry>/<name>/<version>`, a few KB where a packument
   * can be tens of MB), from the full packument when the registry does not serve it. Memoised.
   */
  manifest(name: string, version: string, options?: { immutable?: boolean }): Promise<PackumentVersion>;
  tarball(request: TarballRequest): Promise<VerifiedTarball>;
  /** Expected hashes for a request, from the lockfile (and the registry when the lockfile's are weak). */
  expectedHashes(request: TarballRequest): Promise<SriHash[]>;
  close(): Promise<void>;
}

function parseJsonBody(body: Buffer, url: string, what: string): unknown {
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch (cause) {
    throw new VetError('PARSE_ERROR', `${what}: the registry sent invalid JSON`, {
      cause,
      file: redactUrl(url),
      hint: 'check that the registry URL in .npmrc points at an npm registry',
    });
  }
}

function isStoredManifest(v: unknown, name: string, version: string): v is PackumentVersion {
  if (typeof v !== 'object' || v === null) return false;
  const m = v as Partial<PackumentVersion>;
  return (
    m.name === name &&
    m.version === version &&
    typeof m.dist === 'object' &&
    m.dist !== null &&
    typeof m.scripts === 'object' &&
    typeof m.dependencies === 'object' &&
    typeof m.optionalDependencies === 'object'
  );
}

export function lockfileHashes(integrity: TarballRequest['integrity']): SriHash[] {
  if (integrity === undefined) return [];
  return typeof integrity === 'string' ? parseSri(integrity) : sriFromIntegrity(integrity);
}

export function createNpmRegistry(options: NpmRegistryOptions): NpmRegistry {
  const { config, cache } = options;
  const http =
    options.http ?? createHttpClient({ authFor: (url) => authorizationFor(config, url), ...options.httpOptions });
  const ownHttp = options.http === undefined ? http : undefined;
  const packuments = new Map<string, Promise<Packument>>();
  const maxTarball = options.maxTarballBytes ?? 512 * MIB;
  const maxPackument = options.maxPackumentBytes ?? 128 * MIB;

  // The network is about to be used: a registry no file sets is asked of npm now, once.
  let settled: Promise<void> | undefined;
  const registryFor = async (name: string): Promise<string> => {
    await (settled ??= settleDefaultRegistry(config));
    return registryForPackage(config, name);
  };
  let defaultHosts: Promise<readonly string[]> | undefined;
  /** replace-registry-host; the package managers are asked for their default hosts only when a URL may need them. */
  async function rewrite(name: string, url: string): Promise<string> {
    await registryFor(name);
    if (!mayNeedDefaultHosts(config, name, url)) return rewriteRegistryUrl(config, name, url);
    const hosts = await (defaultHosts ??= config.defaults?.defaultHosts() ?? Promise.resolve([]));
    return rewriteRegistryUrl(config, name, url, hosts);
  }

  function packument(name: string, opts: { full?: boolean } = {}): Promise<Packument> {
    const full = opts.full ?? false;
    const hit = packuments.get(`full:${name}`) ?? (full ? undefined : packuments.get(`abbr:${name}`));
    if (hit) return hit;
    const p = fetchPackument(name, full);
    packuments.set(`${full ? 'full' : 'abbr'}:${name}`, p);
    p.catch(() => packuments.delete(`${full ? 'full' : 'abbr'}:${name}`));
    return p;
  }

  async function fetchPackument(name: string, full: boolean): Promise<Packument> {
    const url = packumentUrl(await registryFor(name), name);
    const what = `packument for ${name}`;
    const get = { maxBytes: maxPackument, accept: full ? 'application/json' : ABBREVIATED_ACCEPT, what };
    const kind = full ? 'full' : 'abbreviated';
    // A stored copy that no longer parses (a damaged cache file the registry still calls
    // current) is fetched again in full rather than left to fail every run.
    const fetchParsed = async (fresh: boolean): Promise<Packument> => {
      const r = await getRevalidated(http, cache, kind, url, get, fresh);
      try {
        return parsePackument(parseJsonBody(r.body, r.url, what), r.url, !full);
      } catch (e) {
        if (r.revalidated && isVetError(e) && e.code === 'PARSE_ERROR') return fetchParsed(true);
        throw e;
      }
    };
    return fetchParsed(false);
  }

  const manifests = new Map<string, Promise<PackumentVersion>>();

  function manifest(name: string, version: string, o: { immutable?: boolean } = {}): Promise<PackumentVersion> {
    return manifests.get(`${name}@${version}`) ?? fetchManifest(name, version, o);
  }

  async function fetchManifest(name: string, version: string, o: { immutable?: boolean }): Promise<PackumentVersion> {
    const id = `${name}@${version}`;
    // The registry may be npm's built-in default, asked of npm once (no file sets one).
    const url = `${packumentUrl(await registryFor(name), name)}/${encodeURIComponent(version)}`;
    // What a published version cannot change (dist hashes and URL, os/cpu/libc) may come from the
    // stored copy without asking again; deprecation and the like always ask (`immutable` unset).
    const storedName = createHash('sha256').update(url).digest('hex');
    if (o.immutable) {
      const stored = readCacheJson(cache, 'manifests', storedName);
      if (isStoredManifest(stored, name, version)) return stored;
    }
    const inFlight = manifests.get(id); // a concurrent caller asked while the registry was settled
    if (inFlight) return inFlight;
    const what = `manifest of ${id}`;
    const p = getRevalidated(http, cache, 'version', url, { maxBytes: maxPackument, accept: 'application/json', what })
      .then((r) => parseVersionManifest(parseJsonBody(r.body, r.url, what), name, version, r.url))
      // A registry without per-version documents, or a version it does not have: the full
      // packument answers (and names what exists when the version is missing).
      .catch(async () => packumentVersion(await packument(name, { full: true }), version));
    manifests.set(id, p);
    p.then(
      (v) => {
        try {
          writeCacheJson(cache, 'manifests', storedName, v);
        } catch {
          // Only slower next time.
        }
      },
      () => manifests.delete(id),
    );
    return p;
  }

  /** Registry-side hashes and tarball URL for name@version. */
  async function fromPackument(req: TarballRequest): Promise<{ hashes: SriHash[]; url: string | undefined }> {
    const v = await manifest(req.name, req.version, { immutable: true });
    const hashes = v.dist.integrity ? parseSri(v.dist.integrity) : [];
    const sha1 = v.dist.shasum ? sriFromShasum(v.dist.shasum) : undefined;
    if (sha1 && !hashes.some((h) => h.algo === 'sha1')) hashes.push(sha1);
    return { hashes, url: v.dist.tarball };
  }

  async function plan(req: TarballRequest): Promise<{ hashes: SriHash[]; url: string }> {
    const locked = lockfileHashes(req.integrity);
    const resolved = req.resolved && /^https?:\/\//i.test(req.resolved) ? req.resolved : undefined;
    const registry = !resolved || isWeak(locked) ? await fromPackument(req) : undefined;
    const hashes = isWeak(locked) ? [...locked, ...(registry?.hashes ?? [])] : locked;
    const raw = resolved ?? registry?.url ?? defaultTarballUrl(await registryFor(req.name), req.name, req.version);
    return { hashes, url: await rewrite(req.name, raw) };
  }

  async function tarball(req: TarballRequest): Promise<VerifiedTarball> {
    const subject = `${req.name}@${req.version}`;
    const known = lockfileHashes(req.integrity);
    const cached = isWeak(known) ? undefined : fromCache(known, subject);
    if (cached) return cached;
    const { hashes, url } = await plan(req);
    if (hashes.length === 0) {
      throw new VetError(
        'INTEGRITY_MISMATCH',
        `no integrity is known for ${subject}; refusing to use unverified bytes`,
        {
          hint: 'the lockfile has no integrity for this package and the registry published none',
          details: { name: req.name, version: req.version },
        },
      );
    }
    const again = fromCache(hashes, subject);
    if (again) return again;
    const res = await http.get(url, { maxBytes: maxTarball, what: `tarball of ${subject}` });
    const best = verifyIntegrity(res.body, hashes, subject);
    const key = integrityKey(best);
    writeFileAtomic(tarballCachePath(cache, key), res.body);
    return { bytes: res.body, key, integrity: formatSri(best), fromCache: false };
  }

  /** A cached archive is re-verified on every read; a corrupt entry is ignored (and later replaced). */
  function fromCache(hashes: SriHash[], subject: string): VerifiedTarball | undefined {
    const best = strongest(hashes);
    if (!best) return undefined;
    const key = integrityKey(best);
    const bytes = readCachedFile(tarballCachePath(cache, key));
    if (!bytes) return undefined;
    try {
      verifyIntegrity(bytes, hashes, subject);
    } catch {
      return undefined;
    }
    return { bytes, key, integrity: formatSri(best), fromCache: true };
  }

  return {
    config,
    cache,
    http,
    packument,
    manifest,
    tarball,
    async expectedHashes(req) {
      const locked = lockfileHashes(req.integrity);
      return isWeak(locked) ? (await plan(req)).hashes : locked;
    },
    async close() {
      await ownHttp?.close();
    },
  };
}
