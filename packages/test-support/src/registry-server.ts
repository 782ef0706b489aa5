/**
 * A real npm registry for tests and benchmarks: HTTP on 127.0.0.1 (random port) serving the
 * registry's JSON (full and abbreviated packuments, scoped names as %2f, dist.tarball pointing
 * back at itself, dist.integrity/shasum, _npmUser, time, deprecated) and real gzip tarballs built
 * with tar's own Header encoder from in-memory file trees (with a `package/` prefix).
 *
 * Packuments carry an ETag (a hash of the document, as public registries send) and a matching
 * If-None-Match gets 304 Not Modified.
 *
 * Hooks: `inject` scripted failures (status codes, Retry-After, connection resets, delays) for
 * matching requests; publish with `serveBytes` to serve bytes that do not match the integrity;
 * `requireToken` to demand a bearer token; `requests` records every request (method, path,
 * headers) so tests can assert auth headers and that nothing else was contacted.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import * as tar from 'tar';
import { Agent, type Dispatcher } from 'undici';

// tar is a dependency of @vet/cli, not of the repository root: resolve it from there.

export type FileTree = Record<string, string | Buffer | { content: string | Buffer; mode: number }>;

export interface RawTarEntry {
  path: string;
  type?: 'File' | 'Directory' | 'SymbolicLink' | 'Link' | 'CharacterDevice' | 'BlockDevice' | 'FIFO';
  content?: string | Buffer;
  linkpath?: string;
  mode?: number;
}

const MTIME = new Date('2020-01-01T00:00:00Z');

function tarBlock(entry: RawTarEntry): Buffer[] {
  const body = entry.content === undefined ? Buffer.alloc(0) : Buffer.from(entry.content);
  const type = entry.type ?? 'File';
  const data = {
    path: entry.path,
    mode: entry.mode ?? (type === 'Directory' ? 0o755 : 0o644),
    size: type === 'File' ? body.length : 0,
    type,
    linkpath: entry.linkpath,
    mtime: MTIME,
    uid: 0,
    gid: 0,
    uname: '',
    gname: '',
  };
  const header = new tar.Header(data);
  const block = Buffer.alloc(512);
  header.encode(block, 0);
  const out: Buffer[] = [];
  if (header.needPax) {
    out.push(new tar.Pax({ path: entry.path, linkpath: entry.linkpath, mtime: MTIME }).encode());
  }
  out.push(block);
  if (type === 'File' && body.length > 0) {
    out.push(body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  return out;
}

/** A gzip tarball with exactly these raw entries (including hostile ones). */
export function buildRawTgz(entries: RawTarEntry[]): Buffer {
  return gzipSync(Buffer.concat([...entries.flatMap(tarBlock), Buffer.alloc(1024)]));
}

/** An npm-style tarball: every file under `package/`. */
export function buildTgz(files: FileTree, prefix = 'package/'): Buffer {
  const entries = Object.keys(files)
    .sort()
    .map((path): RawTarEntry => {
      const f = files[path]!;
      const { content, mode } = typeof f === 'string' || Buffer.isBuffer(f) ? { content: f, mode: 0o644 } : f;
      return { path: prefix + path, content, mode };
    });
  return buildRawTgz(entries);
}

export function sri(bytes: Buffer, algo = 'sha512'): string {
  return `${algo}-${createHash(algo).update(bytes).digest('base64')}`;
}

export interface PublishOptions {
  name: string;
  version: string;
  /** Files of the package (package.json is generated from the fields below unless given). */
  files?: FileTree;
  /** A prebuilt tarball instead of `files`. */
  tarball?: Buffer;
  npmUser?: string;
  deprecated?: string;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  gypfile?: boolean;
  /** npm `os` / `cpu` (platform packages); also puts `dist.fileCount` and `dist.unpackedSize` in the manifest. */
  os?: string[];
  cpu?: string[];
  time?: string;
  /** Serve these bytes instead of the real tarball (integrity stays that of the real one). */
  serveBytes?: Buffer;
}

export interface Published {
  name: string;
  version: string;
  tarball: Buffer;
  integrity: string;
  shasum: string;
  tarballUrl: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
}

export type InjectedResponse =
  { status: number; headers?: Record<string, string>; body?: string } | { reset: true } | { delayMs: number };

export interface InjectRule {
  match: RegExp;
  /** Responses used in order, one per matching request; then the rule is spent. */
  responses: InjectedResponse[];
}

export interface RegistryServer {
  /** Base URL with trailing slash (includes the path prefix). */
  url: string;
  host: string;
  requests: RecordedRequest[];
  publish(options: PublishOptions): Published;
  inject(rule: InjectRule): void;
  requireToken(token: string | undefined): void;
  close(): Promise<void>;
}

type Stored = Published & Omit<PublishOptions, 'tarball'>;

/** What the registry says of a platform package's contents (only for those, as in the tests' needs). */
function platformDist(p: PublishOptions): Record<string, number> {
  if (!p.os && !p.cpu) return {};
  const files = Object.values(p.files ?? {});
  const size = (f: unknown): number =>
    typeof f === 'string' ? Buffer.byteLength(f) : Buffer.isBuffer(f) ? f.length : 0;
  return {
    fileCount: files.length + 1,
    unpackedSize: files.reduce((n: number, f) => n + size(f), 0) + packageJson(p).length,
  };
}

function packageJson(o: PublishOptions): string {
  return `${JSON.stringify({ name: o.name, version: o.version, scripts: o.scripts, dependencies: o.dependencies }, null, 2)}\n`;
}

export async function startRegistryServer(options: { pathPrefix?: string } = {}): Promise<RegistryServer> {
  const prefix = options.pathPrefix ?? '/';
  const packages = new Map<string, Map<string, Stored>>();
  const requests: RecordedRequest[] = [];
  const rules: InjectRule[] = [];
  let token: string | undefined;

  const tarballPath = (name: string, version: string): string =>
    `${prefix}${name}/-/${name.slice(name.lastIndexOf('/') + 1)}-${version}.tgz`;

  function manifest(p: Stored, abbreviated: boolean): Record<string, unknown> {
    const m: Record<string, unknown> = {
      name: p.name,
      version: p.version,
      dependencies: p.dependencies,
      dist: { tarball: p.tarballUrl, integrity: p.integrity, shasum: p.shasum, ...platformDist(p) },
      deprecated: p.deprecated,
      ...(p.os ? { os: p.os } : {}),
      ...(p.cpu ? { cpu: p.cpu } : {}),
    };
    const hasScript = Object.keys(p.scripts ?? {}).some((k) => ['preinstall', 'install', 'postinstall'].includes(k));
    if (abbreviated) return { ...m, hasInstallScript: hasScript || undefined };
    return {
      ...m,
      scripts: p.scripts,
      gypfile: p.gypfile,
      _npmUser: p.npmUser ? { name: p.npmUser, email: `${p.npmUser}@example.test` } : undefined,
    };
  }

  function packument(name: string, abbreviated: boolean): string | undefined {
    const versions = packages.get(name);
    if (!versions) return undefined;
    const list = [...versions.values()];
    const time = Object.fromEntries(list.map((p) => [p.version, p.time ?? '2024-01-01T00:00:00.000Z']));
    return JSON.stringify({
      _id: name,
      name,
      'dist-tags': { latest: list[list.length - 1]!.version },
      versions: Object.fromEntries(list.map((p) => [p.version, manifest(p, abbreviated)])),
      ...(abbreviated
        ? { modified: '2024-01-01T00:00:00.000Z' }
        : { time: { created: '2024-01-01T00:00:00.000Z', modified: '2024-01-01T00:00:00.000Z', ...time } }),
    });
  }

  async function applyRule(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const rule = rules.find((r) => r.match.test(req.url ?? '') && r.responses.length > 0);
    const next = rule?.responses.shift();
    if (!next) return false;
    if ('reset' in next) {
      req.socket.destroy();
      return true;
    }
    if ('delayMs' in next) {
      await new Promise((r) => setTimeout(r, next.delayMs));
      return false;
    }
    res.writeHead(next.status, { 'content-type': 'application/json', ...next.headers });
    res.end(next.body ?? JSON.stringify({ error: `injected ${next.status}` }));
    return true;
  }

  /** `<name>/<version>`: one version's full manifest, as npm registries serve it. */
  function versionDocument(rest: string): string | undefined {
    const m = /^((?:@[^/]+\/)?[^/@][^/]*)\/([^/]+)$/.exec(rest);
    const p = m ? packages.get(m[1]!)?.get(m[2]!) : undefined;
    return p ? JSON.stringify(manifest(p, false)) : undefined;
  }

  function route(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0]!;
    if (token !== undefined && req.headers.authorization !== `Bearer ${token}`) {
      res.writeHead(401, { 'content-type': 'application/json' });
      return void res.end('{"error":"unauthorized"}');
    }
    if (!path.startsWith(prefix)) return notFound(res);
    const rest = decodeURIComponent(path.slice(prefix.length));
    const tgz = /^(.+)\/-\/[^/]+-([^/]+)\.tgz$/.exec(rest);
    if (tgz) {
      const p = packages.get(tgz[1]!)?.get(tgz[2]!);
      if (!p) return notFound(res);
      const bytes = p.serveBytes ?? p.tarball;
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(bytes.length) });
      return void res.end(bytes);
    }
    const abbreviated = (req.headers.accept ?? '').includes('application/vnd.npm.install-v1+json');
    const doc = versionDocument(rest) ?? packument(rest, abbreviated);
    if (doc === undefined) return notFound(res);
    const etag = `"${createHash('sha256').update(doc).digest('hex').slice(0, 32)}"`;
    if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag }).end();
    res.writeHead(200, {
      'content-type': abbreviated ? 'application/vnd.npm.install-v1+json' : 'application/json',
      etag,
      'cache-control': 'public, max-age=300',
    });
    res.end(doc);
  }

  const server: Server = createServer((req, res) => {
    requests.push({ method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers });
    applyRule(req, res)
      .then((handled) => (handled ? undefined : route(req, res)))
      .catch((e: unknown) => {
        res.writeHead(500);
        res.end(String(e));
      });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const host = `127.0.0.1:${port}`;
  const base = `http://${host}${prefix}`;

  return {
    url: base,
    host,
    requests,
    publish(o) {
      const tarball = o.tarball ?? buildTgz({ 'package.json': packageJson(o), ...o.files });
      const stored: Stored = {
        ...o,
        tarball,
        integrity: sri(tarball),
        shasum: createHash('sha1').update(tarball).digest('hex'),
        tarballUrl: `http://${host}${tarballPath(o.name, o.version)}`,
      };
      if (!packages.has(o.name)) packages.set(o.name, new Map());
      packages.get(o.name)!.set(o.version, stored);
      return stored;
    },
    inject(rule) {
      rules.push(rule);
    },
    requireToken(t) {
      token = t;
    },
    close() {
      server.closeAllConnections();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

function notFound(res: ServerResponse): void {
  res.writeHead(404, { 'content-type': 'application/json' });
  res.end('{"error":"Not found"}');
}

/**
 * An undici dispatcher that refuses any origin other than 127.0.0.1, so a test that goes wrong
 * (say, a `resolved` URL that was not rewritten) fails loudly instead of reaching the internet.
 */
export function localOnlyDispatcher(): Dispatcher {
  return new Agent({ connect: { timeout: 5_000 } }).compose((dispatch) => (opts, handler) => {
    const origin = new URL(String(opts.origin));
    if (origin.hostname !== '127.0.0.1') throw new Error(`test tried to contact ${origin.host}`);
    return dispatch(opts, handler);
  });
}
