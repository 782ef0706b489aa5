/**
 * A sparse crates registry over HTTP (the shared registry client: timeouts, retries with
 * backoff, parallel cap, byte caps): `config.json` once, one index file per crate, and the
 * `.crate` downloads. This file only knows URLs; verification is inspect.ts's.
 */
import { VetError } from '@vet/core';
import { createHttpClient, redactUrl, type HttpClient, type HttpClientOptions } from '../registry/http.js';
import { downloadUrl, indexPath, parseIndexFile, type IndexRecord } from './sparse-index.js';

const MIB = 1024 * 1024;

export interface CrateRelease extends IndexRecord {
  /** Where the .crate is downloaded from. */
  url: string;
}

export interface CratesClient {
  readonly indexUrl: string;
  release(name: string, version: string): Promise<CrateRelease>;
  download(release: CrateRelease): Promise<Buffer>;
  close(): Promise<void>;
}

export function createCratesClient(options: { indexUrl: string; http?: HttpClient; httpOptions?: HttpClientOptions; maxCrateBytes?: number }): CratesClient {
  const { indexUrl } = options;
  const http = options.http ?? createHttpClient(options.httpOptions);
  let config: Promise<{ dl: string }> | undefined;
  const files = new Map<string, Promise<IndexRecord[]>>();

  const registryConfig = () =>
    (config ??= http.getJson(`${indexUrl}config.json`, { maxBytes: MIB, what: 'registry config.json' }).then(({ url, json }) => {
      const dl = (json as { dl?: unknown })?.dl;
      if (typeof dl !== 'string') throw new VetError('PARSE_ERROR', `${redactUrl(url)}: no "dl" download URL`, { file: redactUrl(url), hint: 'check the sparse registry configured for crates.io in .cargo/config.toml' });
      return { dl };
    }));

  const indexFile = (name: string) => {
    const key = name.toLowerCase();
    let p = files.get(key);
    if (!p) {
      const url = `${indexUrl}${indexPath(name)}`;
      p = http.get(url, { maxBytes: 64 * MIB, what: `index entry for ${name}` }).then((r) => parseIndexFile(r.body.toString('utf8'), redactUrl(r.url)));
      files.set(key, p);
      p.catch(() => files.delete(key));
    }
    return p;
  };

  return {
    indexUrl,
    async release(name, version) {
      const records = await indexFile(name);
      const rec = records.find((r) => r.name === name && r.vers === version) ?? records.find((r) => r.name.toLowerCase() === name.toLowerCase() && r.vers === version);
      if (!rec) throw new VetError('NOT_FOUND', `${name} ${version} is not in the registry index ${redactUrl(indexUrl)}`, { hint: 'check the crate name and version' });
      const { dl } = await registryConfig();
      const url = downloadUrl(dl, rec.name, rec.vers, rec.cksum);
      if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
        throw new VetError('PARSE_ERROR', `${redactUrl(indexUrl)}config.json: "dl" gives ${JSON.stringify(url)}, not an http(s) URL`, {
          file: `${redactUrl(indexUrl)}config.json`,
          hint: 'check the sparse registry configured for crates.io in .cargo/config.toml',
        });
      }
      return { ...rec, url };
    },
    async download(release) {
      return (await http.get(release.url, { maxBytes: options.maxCrateBytes ?? 512 * MIB, what: `${release.name} ${release.vers} .crate` })).body;
    },
    async close() {
      if (!options.http) await http.close();
    },
  };
}
