/**
 * Fetching an approved artifact nobody uploaded, from the registry the operator configured
 * (`archive.registries`): npm packument → `dist.tarball`; PEP 691 JSON (or PEP 503 HTML)
 * project page → the file whose sha256 the approval names; Cargo sparse index
 * `config.json` → `dl`. What comes back is only a candidate: the archiver verifies it
 * against the approved digest before keeping a byte. Sizes are capped while streaming.
 */
import { NotaryError } from '../errors.js';
import type { NotaryRegistries } from '../config.js';
import type { Ecosystem } from '../entries/model.js';

export interface FetchedArtifact {
  bytes: Uint8Array;
  fileName: string;
}

export interface ArtifactRequest {
  ecosystem: Ecosystem;
  package: string;
  version: string;
  /** The approval's digest as (algo, hex). */
  digest: { algo: string; hex: string };
}

export type RegistryFetcher = (req: ArtifactRequest) => Promise<FetchedArtifact>;

const META_BYTES = 64 * 1024 * 1024;

export function registryFetcher(registries: NotaryRegistries, maxBytes: number): RegistryFetcher | undefined {
  if (Object.keys(registries).length === 0) return undefined;
  return (req) => {
    const base = registries[req.ecosystem];
    if (base === undefined) throw unavailable(`no registry is configured for ${req.ecosystem}`);
    switch (req.ecosystem) {
      case 'npm':
        return fetchNpm(base, req, maxBytes);
      case 'pypi':
        return fetchPypi(base, req, maxBytes);
      case 'cargo':
        return fetchCrate(base, req, maxBytes);
    }
  };
}

async function fetchNpm(base: string, req: ArtifactRequest, max: number): Promise<FetchedArtifact> {
  const doc = (await getJson(`${base}/${req.package.replace('/', '%2f')}`)) as {
    versions?: Record<string, { dist?: { tarball?: unknown } }>;
  };
  const tarball = doc.versions?.[req.version]?.dist?.tarball;
  if (typeof tarball !== 'string') throw unavailable(`the registry lists no tarball for ${req.package}@${req.version}`);
  const base2 = req.package.slice(req.package.lastIndexOf('/') + 1);
  return { bytes: await getBytes(tarball, max), fileName: `${base2}-${req.version}.tgz` };
}

interface PypiFile {
  filename?: unknown;
  url?: unknown;
  hashes?: { sha256?: unknown };
}

async function fetchPypi(base: string, req: ArtifactRequest, max: number): Promise<FetchedArtifact> {
  const page = `${base}/${req.package}/`;
  const res = await get(page, { accept: 'application/vnd.pypi.simple.v1+json, text/html;q=0.1' });
  const text = new TextDecoder().decode(await readCapped(res, page, META_BYTES));
  const files: PypiFile[] = (res.headers.get('content-type') ?? '').includes('json')
    ? ((JSON.parse(text) as { files?: PypiFile[] }).files ?? [])
    : htmlFiles(text);
  const f = files.find((x) => x.hashes?.sha256 === req.digest.hex);
  if (f === undefined || typeof f.url !== 'string' || typeof f.filename !== 'string')
    throw unavailable(`the index lists no file of ${req.package} ${req.version} with the approved sha256`);
  return { bytes: await getBytes(new URL(f.url, page).href, max), fileName: f.filename };
}

/** PEP 503 anchors: `<a href="url#sha256=hex">filename</a>`. */
function htmlFiles(html: string): PypiFile[] {
  const out: PypiFile[] = [];
  for (const m of html.matchAll(/<a\s[^>]*href="([^"]+)"[^>]*>([^<]+)<\/a>/gi)) {
    const href = m[1]!.replace(/&amp;/g, '&');
    const [url, frag] = href.split('#');
    const sha = /sha256=([0-9a-f]{64})/.exec(frag ?? '')?.[1];
    out.push({ url, filename: m[2]!.trim(), hashes: { sha256: sha } });
  }
  return out;
}

async function fetchCrate(base: string, req: ArtifactRequest, max: number): Promise<FetchedArtifact> {
  const config = (await getJson(`${base}/config.json`)) as { dl?: unknown };
  if (typeof config.dl !== 'string') throw unavailable(`${base}/config.json has no "dl"`);
  const sha256 = req.digest.algo === 'sha256' ? req.digest.hex : '';
  return {
    bytes: await getBytes(crateUrl(config.dl, { ...req, sha256 }), max),
    fileName: `${req.package}-${req.version}.crate`,
  };
}

/** The Cargo registry `dl` template (markers {crate} {version} {prefix} {lowerprefix} {sha256-checksum}). */
export function crateUrl(dl: string, req: Pick<ArtifactRequest, 'package' | 'version'> & { sha256?: string }): string {
  const name = req.package;
  const prefix =
    name.length <= 2
      ? String(name.length)
      : name.length === 3
        ? `3/${name[0]}`
        : `${name.slice(0, 2)}/${name.slice(2, 4)}`;
  if (!/\{(crate|version|prefix|lowerprefix|sha256-checksum)\}/.test(dl))
    return `${dl}/${name}/${req.version}/download`;
  return dl
    .replaceAll('{crate}', name)
    .replaceAll('{version}', req.version)
    .replaceAll('{prefix}', prefix)
    .replaceAll('{lowerprefix}', prefix.toLowerCase())
    .replaceAll('{sha256-checksum}', req.sha256 ?? '');
}

async function getJson(url: string): Promise<unknown> {
  const res = await get(url, { accept: 'application/json' });
  try {
    return JSON.parse(new TextDecoder().decode(await readCapped(res, url, META_BYTES)));
  } catch (cause) {
    throw unavailable(`${url} did not answer JSON`, cause);
  }
}

async function getBytes(url: string, max: number): Promise<Uint8Array> {
  return readCapped(await get(url, {}), url, max);
}

async function get(url: string, headers: Record<string, string>): Promise<Response> {
  if (!/^https?:\/\//.test(url)) throw unavailable(`refusing to fetch a non-HTTP URL: ${url}`);
  let res: Response;
  try {
    res = await fetch(url, { headers, signal: AbortSignal.timeout(60_000) });
  } catch (cause) {
    throw unavailable(`could not reach ${url}: ${(cause as Error).message}`, cause);
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw unavailable(`${url} answered HTTP ${res.status}`);
  }
  return res;
}

async function readCapped(res: Response, url: string, max: number): Promise<Uint8Array> {
  const declared = Number(res.headers.get('content-length') ?? '0');
  if (declared > max) {
    await res.body?.cancel();
    throw new NotaryError('PAYLOAD_TOO_LARGE', `${url} is ${declared} bytes, over the ${max}-byte cap`);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of res.body ?? []) {
    total += (chunk as Uint8Array).length;
    if (total > max) throw new NotaryError('PAYLOAD_TOO_LARGE', `${url} is over the ${max}-byte cap`);
    chunks.push(chunk as Uint8Array);
  }
  return Buffer.concat(chunks, total);
}

function unavailable(message: string, cause?: unknown): NotaryError {
  return new NotaryError('UNAVAILABLE', message, cause === undefined ? {} : { cause });
}
