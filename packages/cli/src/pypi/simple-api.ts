/**
 * Decoding index responses (lockfiles.md §12.2), pure: the PEP 691 simple JSON project page and
 * the PyPI JSON API release document, both into one `PypiFile` list. File URLs are resolved
 * against the page they came from; unknown fields are ignored; anything malformed is a
 * PARSE_ERROR naming the URL.
 */
import { VetError, comparePep440, parsePythonDistFileName } from '@vet/core';

export interface PypiFile {
  filename: string;
  /** Absolute URL. */
  url: string;
  /** Lower-case algorithm → lower-case hex. */
  hashes: Record<string, string>;
  /** PEP 592: false, or the reason ('' when none was given). */
  yanked: false | string;
  size?: number;
  version?: string;
}

export interface PypiProject {
  name: string;
  files: PypiFile[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function bad(url: string, what: string): VetError {
  return new VetError('PARSE_ERROR', `${url}: unexpected index response (${what})`, { file: url, hint: 'check that the configured index URL points at a PEP 691 simple index' });
}

function hexHashes(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isObj(v)) return out;
  for (const [k, h] of Object.entries(v)) if (typeof h === 'string' && /^[0-9a-f]+$/i.test(h)) out[k.toLowerCase()] = h.toLowerCase();
  return out;
}

function yankedOf(v: unknown, reason?: unknown): false | string {
  if (v === true) return typeof reason === 'string' ? reason : '';
  if (typeof v === 'string') return v;
  return false;
}

function absolute(url: string, base: string, page: string): string {
  try {
    return new URL(url, base).href;
  } catch {
    throw bad(page, `bad file URL ${JSON.stringify(url)}`);
  }
}

/** PEP 691 `application/vnd.pypi.simple.v1+json` project page. */
export function parseSimpleProject(json: unknown, pageUrl: string): PypiProject {
  if (!isObj(json) || !Array.isArray(json.files)) throw bad(pageUrl, 'no "files" list');
  const files: PypiFile[] = [];
  for (const f of json.files) {
    if (!isObj(f) || typeof f.filename !== 'string' || typeof f.url !== 'string') throw bad(pageUrl, 'a file without filename/url');
    const file: PypiFile = { filename: f.filename, url: absolute(f.url, pageUrl, pageUrl), hashes: hexHashes(f.hashes), yanked: yankedOf(f.yanked) };
    if (typeof f.size === 'number' && Number.isSafeInteger(f.size) && f.size >= 0) file.size = f.size;
    const v = parsePythonDistFileName(f.filename)?.version;
    if (v) file.version = v;
    files.push(file);
  }
  return { name: typeof json.name === 'string' ? json.name : '', files };
}

/** PyPI JSON API `GET /pypi/{name}/{version}/json`: `info` plus the version's `urls`. */
export function parseJsonApiRelease(json: unknown, pageUrl: string): PypiProject {
  if (!isObj(json) || !isObj(json.info) || !Array.isArray(json.urls)) throw bad(pageUrl, 'no "info"/"urls"');
  const info = json.info;
  const version = typeof info.version === 'string' ? info.version : undefined;
  const files: PypiFile[] = [];
  for (const f of json.urls) {
    if (!isObj(f) || typeof f.filename !== 'string' || typeof f.url !== 'string') throw bad(pageUrl, 'a file without filename/url');
    const file: PypiFile = {
      filename: f.filename, url: absolute(f.url, pageUrl, pageUrl), hashes: hexHashes(f.digests),
      yanked: yankedOf(f.yanked ?? info.yanked, f.yanked_reason ?? info.yanked_reason),
    };
    if (typeof f.size === 'number' && Number.isSafeInteger(f.size) && f.size >= 0) file.size = f.size;
    if (version) file.version = version;
    files.push(file);
  }
  return { name: typeof info.name === 'string' ? info.name : '', files };
}

/** The files of one version (PEP 440 equality, so `1.0` finds `1.0.0` files). */
export function filesOfVersion(project: PypiProject, version: string): PypiFile[] {
  return project.files.filter((f) => f.version !== undefined && (f.version === version || comparePep440(f.version, version) === 0));
}
