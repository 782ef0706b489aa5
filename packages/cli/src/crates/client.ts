/**
 * A sparse crates registry over HTTP (the shared registry client: timeouts, retries with
 * backoff, parallel cap, byte caps): `config.json` once, one index file per crate, and the
 * `.crate` downloads. Where the index URL is not known but cargo's copy of the registry's
 * config.json is (registry.ts), a release is found in cargo's cached index entry or from the
 * checksum Cargo.lock pins. This file only knows URLs; verification is the callers'.
 */
import { VetError } from '@vet/core';
import { createHttpClient, redactUrl, type HttpClient, type HttpClientOptions } from '../registry/http.js';
import { CRATES_HINTS, CRATES_SETTING, type CratesRegistry } from './registry.js';
import { downloadUrl, indexPath, parseIndexFile, type IndexRecord } from './sparse-index.js';

const MIB = 1024 * 1024;

export interface CrateRelease extends IndexRecord {
  /** Where the .crate is downloaded from. */
  url: string;
}

/** One version as the registry's web API reports it (`GET {api}/api/v1/crates/{name}`). */
export interface CrateVersionInfo {
  num: string;
  /** RFC 3339 publication time. */
  createdAt: string;
  publishedBy?: { id: number; login?: string; name?: string };
  /** `<provider>:<repository>` when published through trusted publishing. */
  trustedPublisher?: string;
}

export interface CratesClient {
  /** Where the registry came from, for messages. */
  readonly from: string;
  /** name@version's record and download URL; `locked` is Cargo.lock's checksum, when it pins this version. */
  release(name: string, version: string, locked?: string): Promise<CrateRelease>;
  /** Every version with its publisher, from the API named by the index's config.json `api`. */
  versions(name: string): Promise<CrateVersionInfo[]>;
  download(release: CrateRelease): Promise<Buffer>;
  close(): Promise<void>;
}

export function createCratesClient(options: {
  registry: CratesRegistry;
  http?: HttpClient;
  httpOptions?: HttpClientOptions;
  maxCrateBytes?: number;
}): CratesClient {
  const { registry } = options;
  const indexUrl = registry.indexUrl;
  const http = options.http ?? createHttpClient({ hints: CRATES_HINTS, ...options.httpOptions });
  let config: Promise<{ dl: string; api?: string }> | undefined;
  const files = new Map<string, Promise<IndexRecord[]>>();

  const badDl = (url: string, where: string) =>
    new VetError('PARSE_ERROR', `${where}: "dl" gives ${JSON.stringify(url)}, not an http(s) URL`, {
      file: where,
      hint: `check ${CRATES_HINTS.config}`,
    });

  const registryConfig = () =>
    (config ??=
      indexUrl === undefined
        ? Promise.resolve(registry.config!)
        : http
            .getJson(`${indexUrl}config.json`, { maxBytes: MIB, what: 'registry config.json' })
            .then(({ url, json }) => {
              const { dl, api } = (json ?? {}) as { dl?: unknown; api?: unknown };
              if (typeof dl !== 'string')
                throw new VetError('PARSE_ERROR', `${redactUrl(url)}: no "dl" download URL`, {
                  file: redactUrl(url),
                  hint: `check ${CRATES_HINTS.config}`,
                });
              return { dl, ...(typeof api === 'string' && { api }) };
            }));

  const indexFile = (name: string): Promise<IndexRecord[]> => {
    if (indexUrl === undefined) return Promise.resolve(registry.cachedIndex?.(name) ?? []);
    const key = name.toLowerCase();
    let p = files.get(key);
    if (!p) {
      const url = `${indexUrl}${indexPath(name)}`;
      p = http
        .get(url, { maxBytes: 64 * MIB, what: `index entry for ${name}` })
        .then((r) => parseIndexFile(r.body.toString('utf8'), redactUrl(r.url)));
      files.set(key, p);
      p.catch(() => files.delete(key));
    }
    return p;
  };

  /** The record for name@version: the index's, else (no index URL) what Cargo.lock pins. */
  async function record(name: string, version: string, locked: string | undefined): Promise<IndexRecord> {
    const records = await indexFile(name);
    const rec =
      records.find((r) => r.name === name && r.vers === version) ??
      records.find((r) => r.name.toLowerCase() === name.toLowerCase() && r.vers === version);
    if (rec) return rec;
    if (indexUrl === undefined && locked !== undefined) return { name, vers: version, cksum: locked, yanked: false };
    if (indexUrl === undefined)
      throw new VetError(
        'NOT_FOUND',
        `${name} ${version} is not in Cargo.lock, and vet knows no index to look it up in`,
        {
          hint: `vet uses the index cargo fetched from (${registry.from}), which has no entry for it; set ${CRATES_SETTING} to a sparse registry in .cargo/config.toml`,
        },
      );
    throw new VetError('NOT_FOUND', `${name} ${version} is not in the registry index ${redactUrl(indexUrl)}`, {
      hint: 'check the crate name and version',
    });
  }

  return {
    from: registry.from,
    async release(name, version, locked) {
      const rec = await record(name, version, locked);
      const { dl } = await registryConfig();
      const url = downloadUrl(dl, rec.name, rec.vers, rec.cksum);
      if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
        throw badDl(url, indexUrl === undefined ? registry.from : `${redactUrl(indexUrl)}config.json`);
      }
      return { ...rec, url };
    },
    async versions(name) {
      const { api } = await registryConfig();
      if (api === undefined) {
        throw new VetError(
          'NOT_FOUND',
          `the registry (${indexUrl === undefined ? registry.from : redactUrl(indexUrl)}) names no web API ("api" in config.json), so publishers cannot be looked up`,
        );
      }
      const url = `${api.replace(/\/+$/, '')}/api/v1/crates/${encodeURIComponent(name)}`;
      const { json } = await http.getJson(url, { maxBytes: 64 * MIB, what: `publishers of ${name}` });
      const list = (json as { versions?: unknown })?.versions;
      if (!Array.isArray(list))
        throw new VetError('PARSE_ERROR', `${redactUrl(url)}: no "versions" list`, { file: redactUrl(url) });
      const out: CrateVersionInfo[] = [];
      for (const v of list as Array<Record<string, unknown>>) {
        if (typeof v?.num !== 'string' || typeof v.created_at !== 'string') continue;
        const by = v.published_by as Record<string, unknown> | null | undefined;
        const tp = v.trustpub_data as Record<string, unknown> | null | undefined;
        out.push({
          num: v.num,
          createdAt: v.created_at,
          ...(by &&
            typeof by.id === 'number' && {
              publishedBy: {
                id: by.id,
                ...(typeof by.login === 'string' && { login: by.login }),
                ...(typeof by.name === 'string' && { name: by.name }),
              },
            }),
          ...(tp &&
            typeof tp.provider === 'string' &&
            typeof tp.repository === 'string' && { trustedPublisher: `${tp.provider}:${tp.repository}` }),
        });
      }
      return out;
    },
    async download(release) {
      return (
        await http.get(release.url, {
          maxBytes: options.maxCrateBytes ?? 512 * MIB,
          what: `${release.name} ${release.vers} .crate`,
        })
      ).body;
    },
    async close() {
      if (!options.http) await http.close();
    },
  };
}
