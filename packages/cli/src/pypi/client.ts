/**
 * PyPI-style index client: the PEP 691 simple JSON API first (the standard every index
 * implements), the PyPI JSON API (`/pypi/{name}/{version}/json`) when the simple page is not
 * JSON or lacks the version. HTTP — timeouts, bounded retries with backoff, a cap on parallel
 * requests, byte caps — is the shared registry client; this file only knows URLs. Credentials
 * written into the index URL (`https://user:pass@host/simple/`) are sent as Basic auth to that
 * origin only, never to a file host elsewhere.
 */
import { VetError, normalizePypiName } from '@vet/core';
import { createHttpClient, redactUrl, type HttpClient, type HttpClientOptions } from '../registry/http.js';
import { loadPypiIndex, normalizeIndexUrl, type LoadIndexOptions } from './config.js';
import { filesOfVersion, parseJsonApiRelease, parseSimpleProject, type PypiFile, type PypiProject } from './simple-api.js';

const SIMPLE_JSON = 'application/vnd.pypi.simple.v1+json';
const MIB = 1024 * 1024;

export interface PypiClientOptions extends LoadIndexOptions {
  /** Simple index URL; when absent it comes from pip/uv configuration. */
  indexUrl?: string;
  /** An HTTP client to share; otherwise one is made from `http`. */
  httpClient?: HttpClient;
  http?: HttpClientOptions;
  /** Largest project page / JSON document, default 64 MiB. */
  maxDocumentBytes?: number;
  /** Largest distribution file, default 512 MiB. */
  maxFileBytes?: number;
}

export interface PypiClient {
  readonly indexUrl: string;
  /** Files of one release, with hashes and yank state. NOT_FOUND when the index has none. */
  release(name: string, version: string): Promise<PypiFile[]>;
  /** The raw bytes of a file (not yet verified: callers verify before any use). */
  download(file: PypiFile): Promise<Buffer>;
  close(): Promise<void>;
}

function splitCredentials(indexUrl: string): { url: string; auth?: { origin: string; header: string } } {
  const u = new URL(indexUrl);
  if (!u.username && !u.password) return { url: u.href };
  const header = `Basic ${Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64')}`;
  u.username = '';
  u.password = '';
  return { url: u.href, auth: { origin: u.origin, header } };
}

/** `https://host/simple/` → `https://host/` (PyPI's JSON API lives beside the simple index). */
function jsonApiBase(indexUrl: string): string | undefined {
  const u = new URL(indexUrl);
  if (!/\/simple\/$/.test(u.pathname)) return undefined;
  u.pathname = u.pathname.replace(/simple\/$/, '');
  return u.href;
}

export async function createPypiClient(options: PypiClientOptions = {}): Promise<PypiClient> {
  const configured = options.indexUrl ? normalizeIndexUrl(options.indexUrl, 'the indexUrl option') : (await loadPypiIndex(options)).indexUrl;
  const { url: indexUrl, auth } = splitCredentials(configured);
  const http = options.httpClient ?? createHttpClient({
    ...options.http,
    authFor: (u) => (auth && new URL(u).origin === auth.origin ? auth.header : undefined),
  });
  const maxDoc = options.maxDocumentBytes ?? 64 * MIB;
  const maxFile = options.maxFileBytes ?? 512 * MIB;

  async function simpleRelease(name: string, version: string): Promise<PypiFile[] | undefined> {
    const page = `${indexUrl}${normalizePypiName(name)}/`;
    const res = await http.get(page, { maxBytes: maxDoc, accept: `${SIMPLE_JSON}, application/json;q=0.5`, what: `index page for ${name}` });
    if (!/json/i.test(res.headers['content-type'] ?? '')) return undefined; // an HTML-only (PEP 503) index
    let json: unknown;
    try {
      json = JSON.parse(res.body.toString('utf8'));
    } catch (cause) {
      throw new VetError('PARSE_ERROR', `${redactUrl(res.url)}: the index sent invalid JSON`, { cause, file: redactUrl(res.url) });
    }
    const files = filesOfVersion(parseSimpleProject(json, res.url), version);
    return files.length > 0 ? files : undefined;
  }

  async function jsonApiRelease(name: string, version: string): Promise<PypiFile[] | undefined> {
    const base = jsonApiBase(indexUrl);
    if (!base) return undefined;
    const url = `${base}pypi/${normalizePypiName(name)}/${encodeURIComponent(version)}/json`;
    try {
      const { url: final, json } = await http.getJson(url, { maxBytes: maxDoc, what: `${name} ${version} (JSON API)` });
      return parseJsonApiRelease(json, final).files;
    } catch (e) {
      if (e instanceof VetError && e.code === 'NOT_FOUND') return undefined;
      throw e;
    }
  }

  return {
    indexUrl,
    async release(name, version) {
      let simpleMissing: VetError | undefined;
      const fromSimple = await simpleRelease(name, version).catch((e: unknown) => {
        if (e instanceof VetError && e.code === 'NOT_FOUND') { simpleMissing = e; return undefined; }
        throw e;
      });
      const files = fromSimple ?? (await jsonApiRelease(name, version));
      if (files && files.length > 0) return files;
      throw new VetError('NOT_FOUND', `${name} ${version} is not on the package index ${redactUrl(indexUrl)}`, {
        cause: simpleMissing,
        hint: 'check the name and version, and PIP_INDEX_URL / pip.conf / uv.toml if you use a private index',
      });
    },
    async download(file) {
      const res = await http.get(file.url, { maxBytes: maxFile, what: file.filename });
      return res.body;
    },
    async close() {
      if (!options.httpClient) await http.close();
    },
  };
}

export type { PypiFile, PypiProject };
