/**
 * Decoding index responses (lockfiles.md §12.2), pure: the PEP 691 simple JSON project page,
 * the PEP 503 HTML project page (what many private indexes still serve only) and the PyPI
 * JSON API release document, all into one `PypiFile` list. File URLs are resolved
 * against the page they came from; unknown fields are ignored; anything malformed is a
 * PARSE_ERROR naming the URL.
 */
import { VetError, comparePep440, parsePythonDistFileName } from '@vet/core';
import { parse as parseHtml } from 'parse5';

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
/** The part of parse5's default tree this file reads. */
interface HtmlNode {
  nodeName: string;
  attrs?: Array<{ name: string; value: string }>;
  childNodes?: HtmlNode[];
}
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function bad(url: string, what: string): VetError {
  return new VetError('PARSE_ERROR', `${url}: unexpected index response (${what})`, {
    file: url,
    hint: 'check that the configured index URL points at a PEP 691 simple index',
  });
}

function hexHashes(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isObj(v)) return out;
  for (const [k, h] of Object.entries(v))
    if (typeof h === 'string' && /^[0-9a-f]+$/i.test(h)) out[k.toLowerCase()] = h.toLowerCase();
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
    if (!isObj(f) || typeof f.filename !== 'string' || typeof f.url !== 'string')
      throw bad(pageUrl, 'a file without filename/url');
    const file: PypiFile = {
      filename: f.filename,
      url: absolute(f.url, pageUrl, pageUrl),
      hashes: hexHashes(f.hashes),
      yanked: yankedOf(f.yanked),
    };
    if (typeof f.size === 'number' && Number.isSafeInteger(f.size) && f.size >= 0) file.size = f.size;
    const v = parsePythonDistFileName(f.filename)?.version;
    if (v) file.version = v;
    files.push(file);
  }
  return { name: typeof json.name === 'string' ? json.name : '', files };
}

/**
 * PEP 503 HTML project page: one `<a>` per file, `href` carrying the hash as a URL fragment
 * (`#sha256=<hex>`), `data-yanked` (PEP 592) present when yanked, its value the reason; a
 * `<base href>` changes what relative URLs resolve against. A file's name is the last path
 * segment of its URL, as pip reads it: an anchor whose URL names no distribution file is not
 * a file. Parsed with parse5 (the WHATWG algorithm browsers use, entities decoded).
 */
export function parseSimpleHtml(html: string, pageUrl: string): PypiProject {
  const anchors: Array<{ href: string; yanked: false | string }> = [];
  let base: string | undefined;
  // Iterative walk: a hostile page nests deeply, and recursion would overflow the stack.
  const stack: HtmlNode[] = [parseHtml(html)];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const attr = (n: string) => node.attrs?.find((a) => a.name === n)?.value;
    const href = attr('href');
    if (node.nodeName === 'base' && base === undefined && href !== undefined && URL.canParse(href, pageUrl))
      base = new URL(href, pageUrl).href;
    if (node.nodeName === 'a' && href !== undefined) {
      const yanked = attr('data-yanked');
      anchors.push({ href, yanked: yanked === undefined ? false : yanked });
    }
    const children = node.childNodes ?? [];
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  const files: PypiFile[] = [];
  for (const a of anchors) {
    if (!URL.canParse(a.href, base ?? pageUrl)) continue; // pip skips links it cannot parse
    const u = new URL(a.href, base ?? pageUrl);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') continue; // javascript:, data:, ftp: name no file vet can fetch
    const hashes: Record<string, string> = {};
    const frag = /^#([a-z0-9]+)=([0-9a-fA-F]+)$/.exec(u.hash);
    if (frag?.[1] && frag[2]) hashes[frag[1]] = frag[2].toLowerCase();
    u.hash = '';
    let filename: string;
    try {
      filename = decodeURIComponent(u.pathname.slice(u.pathname.lastIndexOf('/') + 1));
    } catch {
      continue; // malformed percent-encoding: not a file we could name
    }
    const version = parsePythonDistFileName(filename)?.version;
    if (!version) continue;
    files.push({ filename, url: u.href, hashes, yanked: a.yanked, version });
  }
  return { name: '', files };
}

/** PyPI JSON API `GET /pypi/{name}/{version}/json`: `info` plus the version's `urls`. */
export function parseJsonApiRelease(json: unknown, pageUrl: string): PypiProject {
  if (!isObj(json) || !isObj(json.info) || !Array.isArray(json.urls)) throw bad(pageUrl, 'no "info"/"urls"');
  const info = json.info;
  const version = typeof info.version === 'string' ? info.version : undefined;
  const files: PypiFile[] = [];
  for (const f of json.urls) {
    if (!isObj(f) || typeof f.filename !== 'string' || typeof f.url !== 'string')
      throw bad(pageUrl, 'a file without filename/url');
    const file: PypiFile = {
      filename: f.filename,
      url: absolute(f.url, pageUrl, pageUrl),
      hashes: hexHashes(f.digests),
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
  return project.files.filter(
    (f) => f.version !== undefined && (f.version === version || comparePep440(f.version, version) === 0),
  );
}
