/**
 * PyPI-style index client: the simple API first — PEP 691 JSON, or PEP 503 HTML when that is
 * all the index serves — then the PyPI JSON API (`/pypi/{name}/{version}/json`) when the
 * simple page lacks the version; then the same on each extra index, in order. HTTP — timeouts, bounded retries with backoff, a cap on parallel
 * requests, byte caps — is the shared registry client; this file only knows URLs. Credentials
 * written into an index URL (`https://user:pass@host/simple/`) are sent as Basic auth to that
 * index's origin only, never to a file host elsewhere or to another index.
 */
import { VetError, normalizePypiName } from '@vet/core';
import { createHttpClient, redactUrl, type HttpClient, type HttpClientOptions } from '../registry/http.js';
import { loadPypiIndex, normalizeIndexUrl, type LoadIndexOptions } from './config.js';
import {
  filesOfVersion,
  parseJsonApiRelease,
  parseSimpleHtml,
  parseSimpleProject,
  type PypiFile,
  type PypiProject,
} from './simple-api.js';

const SIMPLE_JSON = 'application/vnd.pypi.simple.v1+json';
// pip's Accept header: JSON preferred, then the versioned HTML, then any HTML.
const SIMPLE_ACCEPT = `${SIMPLE_JSON}, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01`;
const MIB = 1024 * 1024;
const PYPI_HINTS = {
  config: 'the index URLs in PIP_INDEX_URL / PIP_EXTRA_INDEX_URL, pip.conf or uv.toml',
  credentials: 'the user:token written into the index URL',
};

export interface PypiClientOptions extends LoadIndexOptions {
  /** Simple index URL; when absent it comes from pip/uv configuration. */
  indexUrl?: string;
  /** Extra indexes searched after it; with `indexUrl` given, none unless listed here. */
  extraIndexUrls?: string[];
  /** An HTTP client to share; otherwise one is made from `http`. */
  httpClient?: HttpClient;
  http?: HttpClientOptions;
  /** Largest project page / JSON document, default 64 MiB. */
  maxDocumentBytes?: number;
  /** Largest distribution file, default 512 MiB. */
  maxFileBytes?: number;
}

export interface PypiClient {
  /** The primary index (credentials removed). */
  readonly indexUrl: string;
  /** Every index searched, primary first (credentials removed). */
  readonly indexUrls: readonly string[];
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
  const configured = options.indexUrl
    ? {
        indexUrl: normalizeIndexUrl(options.indexUrl, 'the indexUrl option'),
        extraIndexUrls: (options.extraIndexUrls ?? []).map((u) => normalizeIndexUrl(u, 'the extraIndexUrls option')),
      }
    : await loadPypiIndex(options);
  const indexes = [configured.indexUrl, ...configured.extraIndexUrls].map(splitCredentials);
  const http =
    options.httpClient ??
    createHttpClient({
      hints: PYPI_HINTS,
      ...options.http,
      authFor: (u) => {
        const origin = new URL(u).origin;
        return indexes.find((i) => i.auth?.origin === origin)?.auth?.header;
      },
    });
  const maxDoc = options.maxDocumentBytes ?? 64 * MIB;
  const maxFile = options.maxFileBytes ?? 512 * MIB;

  async function simpleRelease(indexUrl: string, name: string, version: string): Promise<PypiFile[] | undefined> {
    const page = `${indexUrl}${normalizePypiName(name)}/`;
    const res = await http.get(page, { maxBytes: maxDoc, accept: SIMPLE_ACCEPT, what: `index page for ${name}` });
    const type = res.headers['content-type'] ?? '';
    let project;
    if (/json/i.test(type)) {
      let json: unknown;
      try {
        json = JSON.parse(res.body.toString('utf8'));
      } catch (cause) {
        throw new VetError('PARSE_ERROR', `${redactUrl(res.url)}: the index sent invalid JSON`, {
          cause,
          file: redactUrl(res.url),
        });
      }
      project = parseSimpleProject(json, res.url);
    } else if (/html/i.test(type)) {
      project = parseSimpleHtml(res.body.toString('utf8'), res.url);
    } else {
      return undefined;
    }
    const files = filesOfVersion(project, version);
    return files.length > 0 ? files : undefined;
  }

  async function jsonApiRelease(indexUrl: string, name: string, version: string): Promise<PypiFile[] | undefined> {
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

  const notFound = (e: unknown): undefined => {
    if (e instanceof VetError && e.code === 'NOT_FOUND') return undefined;
    throw e;
  };

  return {
    indexUrl: indexes[0]!.url,
    indexUrls: indexes.map((i) => i.url),
    async release(name, version) {
      for (const { url } of indexes) {
        const files =
          (await simpleRelease(url, name, version).catch(notFound)) ?? (await jsonApiRelease(url, name, version));
        if (files && files.length > 0) return files;
      }
      const where =
        indexes.length === 1
          ? `the package index ${redactUrl(indexes[0]!.url)}`
          : `any of the package indexes ${indexes.map((i) => redactUrl(i.url)).join(', ')}`;
      throw new VetError('NOT_FOUND', `${name} ${version} is not on ${where}`, {
        hint: 'check the name and version, and PIP_INDEX_URL / PIP_EXTRA_INDEX_URL / pip.conf / uv.toml if you use a private index',
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
