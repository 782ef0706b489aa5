/**
 * Packuments on disk, revalidated on every use: each run asks the registry "changed since
 * this ETag / Last-Modified?" and a 304 reuses the stored document. The registry stays the
 * source of truth — a version published a second ago is seen, a deprecation is never stale —
 * but a full packument (often megabytes: `_npmUser`, scripts and publish times of every
 * version) crosses the network once until it changes. Registries that send no validators get
 * a plain GET, as before.
 *
 * One file per (document kind, URL): a first line of JSON metadata, then the body exactly as
 * received. Written atomically; an unreadable or mismatched file is treated as absent.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { readCachedFile, writeFileAtomic, type VetCache } from './cache.js';
import type { GetOptions, HttpClient } from './http.js';

interface Meta {
  v: 1;
  url: string;
  etag?: string;
  lastModified?: string;
}

export interface CachedDocument {
  /** Final URL the body came from. */
  url: string;
  body: Buffer;
  /** True when the registry answered 304 and the stored body was used. */
  revalidated: boolean;
}

function pathFor(cache: VetCache, kind: string, url: string): string {
  return join(cache.root, 'packuments', createHash('sha256').update(`${kind}\n${url}`).digest('hex'));
}

function read(path: string, url: string): { meta: Meta; body: Buffer } | undefined {
  const raw = readCachedFile(path);
  if (!raw) return undefined;
  const nl = raw.indexOf(10);
  if (nl < 0) return undefined;
  try {
    const meta = JSON.parse(raw.subarray(0, nl).toString('utf8')) as Meta;
    if (meta.v !== 1 || meta.url !== url || (!meta.etag && !meta.lastModified)) return undefined;
    return { meta, body: raw.subarray(nl + 1) };
  } catch {
    return undefined;
  }
}

/**
 * GET `url` through the cache; `kind` separates documents that differ by Accept header.
 * `fresh` skips the stored copy (a caller that could not use it asks again this way).
 */
export async function getRevalidated(
  http: HttpClient,
  cache: VetCache,
  kind: string,
  url: string,
  get: GetOptions,
  fresh = false,
): Promise<CachedDocument> {
  const path = pathFor(cache, kind, url);
  const stored = fresh ? undefined : read(path, url);
  const res = await http.get(
    url,
    stored ? { ...get, revalidate: { etag: stored.meta.etag, lastModified: stored.meta.lastModified } } : get,
  );
  if (res.status === 304 && stored) return { url: res.url, body: stored.body, revalidated: true };
  const etag = res.headers.etag;
  const lastModified = res.headers['last-modified'];
  // no-store is the registry saying "do not keep this" (e.g. per-user private documents).
  if ((etag || lastModified) && !/no-store/i.test(res.headers['cache-control'] ?? '')) {
    const meta: Meta = { v: 1, url, ...(etag && { etag }), ...(lastModified && { lastModified }) };
    try {
      writeFileAtomic(path, Buffer.concat([Buffer.from(`${JSON.stringify(meta)}\n`), res.body]));
    } catch {
      // A read-only or full cache costs speed, not correctness.
    }
  }
  return { url: res.url, body: res.body, revalidated: false };
}
