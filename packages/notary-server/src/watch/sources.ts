/**
 * What a registry says about one package's releases, for the release watch: npm's
 * packument (`time` per version), PyPI's JSON API (earliest upload per release), Cargo's
 * sparse index (one JSON line per version, in publish order; it carries no time). Every
 * request is conditional once an ETag is known: a 304 costs no body. Parsing is pure and
 * separate from fetching.
 */
import type { Ecosystem } from '../entries/model.js';

export interface Release {
  version: string;
  /** Publish time (ms) as the registry states it; undefined where the registry has none. */
  publishedAt?: number;
}

export type FetchResult = { status: 'unchanged' } | { status: 'ok'; etag?: string; releases: Release[] };

const MAX_BODY_BYTES = 64 * 1024 * 1024;

export class WatchFetchError extends Error {
  constructor(
    readonly url: string,
    message: string,
  ) {
    super(`${url}: ${message}`);
  }
}

export function packageUrl(eco: Ecosystem, base: string, name: string): string {
  if (eco === 'npm') return `${base}/${encodeURIComponent(name).replace(/^%40/, '@')}`;
  if (eco === 'pypi') return `${base}/pypi/${encodeURIComponent(name)}/json`;
  return `${base}/${sparsePrefix(name.toLowerCase())}`;
}

/** Cargo's index layout: 1/a, 2/ab, 3/a/abc, ab/cd/abcd… */
export function sparsePrefix(n: string): string {
  if (n.length <= 2) return `${n.length}/${n}`;
  if (n.length === 3) return `3/${n[0]}/${n}`;
  return `${n.slice(0, 2)}/${n.slice(2, 4)}/${n}`;
}

export async function fetchReleases(
  eco: Ecosystem,
  base: string,
  name: string,
  etag: string | undefined,
  timeoutMs: number,
): Promise<FetchResult> {
  const url = packageUrl(eco, base, name);
  let res: Response;
  try {
    res = await fetch(url, {
      headers: { accept: 'application/json', ...(etag !== undefined && { 'if-none-match': etag }) },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (e) {
    throw new WatchFetchError(url, `request failed (${e instanceof Error ? e.message : String(e)})`);
  }
  if (res.status === 304) {
    await res.body?.cancel();
    return { status: 'unchanged' };
  }
  if (res.status !== 200) {
    await res.body?.cancel();
    throw new WatchFetchError(url, `HTTP ${res.status}`);
  }
  const text = await readCapped(res, url);
  const newTag = res.headers.get('etag') ?? undefined;
  return { status: 'ok', ...(newTag !== undefined && { etag: newTag }), releases: parseReleases(eco, text, url) };
}

async function readCapped(res: Response, url: string): Promise<string> {
  const declared = Number(res.headers.get('content-length') ?? '0');
  if (declared > MAX_BODY_BYTES) throw new WatchFetchError(url, `body of ${declared} bytes is over the cap`);
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of res.body ?? []) {
    total += (chunk as Uint8Array).length;
    if (total > MAX_BODY_BYTES) throw new WatchFetchError(url, `body over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Uint8Array);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function parseReleases(eco: Ecosystem, text: string, url: string): Release[] {
  try {
    if (eco === 'cargo') return parseSparse(text);
    const json = JSON.parse(text) as Record<string, unknown>;
    return eco === 'npm' ? parsePackument(json) : parsePypi(json);
  } catch (e) {
    throw new WatchFetchError(url, `unreadable answer (${e instanceof Error ? e.message : String(e)})`);
  }
}

function time(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? undefined : ms;
}

function parsePackument(json: Record<string, unknown>): Release[] {
  const versions = Object.keys(json.versions ?? {});
  const times = (json.time ?? {}) as Record<string, unknown>;
  return versions.map((version) => ({ version, publishedAt: time(times[version]) }));
}

function parsePypi(json: Record<string, unknown>): Release[] {
  const releases = (json.releases ?? {}) as Record<string, unknown>;
  return Object.entries(releases).map(([version, files]) => {
    const uploads = (Array.isArray(files) ? files : [])
      .map((f) => time((f as Record<string, unknown>).upload_time_iso_8601))
      .filter((t): t is number => t !== undefined);
    return { version, publishedAt: uploads.length > 0 ? Math.min(...uploads) : undefined };
  });
}

function parseSparse(text: string): Release[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { vers?: unknown; yanked?: unknown })
    .filter((e) => typeof e.vers === 'string' && e.yanked !== true)
    .map((e) => ({ version: e.vers as string }));
}
