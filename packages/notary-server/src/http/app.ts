/**
 * The HTTP surface of a notary: routes only. Each handler parses the request, calls one
 * method of the notary (its read API `notary.reads`, or `submit`), and renders; one error
 * mapping (io.ts sendError).
 *   GET  /checkpoint, /tile/<L>/<N>[.p/<W>], /tile/entries/<N>[.p/<W>]   c2sp.org/tlog-tiles
 *   POST /v1/submit                 DSSE envelope body, bearer token → receipt (JSON)
 *   GET  /v1/lookup/<eco>/<name>[?cursor=&limit=]  a package's entries, with inclusion proofs (a hint)
 *   GET  /v1/feeds/<eco>/audits.toml derived cargo-vet feed
 *   GET  /v1/proof/consistency?from=&to=, /v1/keys, /healthz, /readyz, /metrics
 *   PUT  /v1/artifacts/<eco>/<name>/<version>[?filename=]  an approved artifact, bearer token
 *   GET  /v1/artifacts/<sha256|sha512>/<hex>                archived artifact, immutable
 *   GET  /v1/artifacts/<algo>/<hex>/<file name>             the same, named (pip takes names from URLs)
 *   GET  /npm/<criterion>/<name>                             vetted-only npm packument (http/views.ts)
 *   GET  /pypi/<criterion>/simple/[<project>/]               vetted-only PEP 503/691 index
 *   GET  /crates/<criterion>/{config.json,<index path>}      vetted-only Cargo sparse index
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseArtifactAddress, parseTilePath } from '@vet/core';
import { ECOSYSTEMS, type Ecosystem } from '../entries/model.js';
import { NotaryError } from '../errors.js';
import type { TokenGrant } from '../log/commit.js';
import type { Notary } from '../notary.js';
import type { WebHandler } from '../web/router.js';
import { LOOKUP_MAX_PAGE } from '../reads.js';
import { createClientLimits, type LimitClass } from './client-limits.js';
import { readBody, sendBytes, sendError, sendImmutableFile, sendJson, type CacheTag } from './io.js';
import { viewHandlers } from './views.js';

const IMMUTABLE = { 'cache-control': 'public, max-age=31536000, immutable' };
/** Answers that change with the tree: caches keep them but revalidate (ETag = tree size tag). */
const REVALIDATE = 'public, no-cache';
const TEXT = 'text/plain; charset=utf-8';

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

type Handler = (m: RegExpExecArray, req: IncomingMessage, res: ServerResponse, url: URL) => void | Promise<void>;

/** Which client-address buckets a route takes from ('none': probes, and submit's own bucket). */
type Route = [RegExp, string, LimitClass | 'none', Handler];

/** `web`: the HTML pages (web/router.ts), tried after the API routes. */
export function createRequestHandler(notary: Notary, web?: WebHandler): RequestHandler {
  const reads = notary.reads;
  const views = viewHandlers(notary);
  const count = notary.metrics.counter('vet_notary_read_requests_total', 'Read-path requests by resource kind.');
  const limits = createClientLimits(notary.config.limits, notary.now);
  const tagged = (req: IncomingMessage, tag: string): CacheTag => ({
    tag,
    ifNoneMatch: req.headers['if-none-match'],
    cacheControl: REVALIDATE,
  });

  const routes: Route[] = [
    [
      /^\/checkpoint$/,
      'GET',
      'anonymous',
      (_m, req, res) => {
        count({ kind: 'checkpoint' });
        const cp = reads.checkpoint();
        sendBytes(res, 200, cp.value, TEXT, {}, tagged(req, cp.tag));
      },
    ],
    [/^\/tile\/.+$/, 'GET', 'anonymous', (_m, _q, res, url) => serveTile(url.pathname.slice(1), res)],
    [/^\/v1\/submit$/, 'POST', 'none', (_m, req, res) => submit(req, res)],
    [
      /^\/v1\/lookup\/([a-z]+)\/(.+)$/,
      'GET',
      'lookup',
      (m, req, res, url) => {
        const cursor = url.searchParams.get('cursor') ?? undefined;
        const limit = intParam(url, 'limit', LOOKUP_MAX_PAGE);
        if (limit < 1 || limit > LOOKUP_MAX_PAGE)
          throw new NotaryError('MALFORMED', `limit must be 1–${LOOKUP_MAX_PAGE}`);
        const page = reads.lookup(ecosystem(m[1]), decode(m[2] ?? ''), {
          limit,
          ...(cursor !== undefined && { cursor }),
        });
        sendJson(res, 200, page.value, {}, tagged(req, page.tag));
      },
    ],
    [
      /^\/v1\/feeds\/([a-z]+)\/audits\.toml$/,
      'GET',
      'anonymous',
      (m, req, res) => {
        const feed = reads.feed(ecosystem(m[1]));
        sendBytes(res, 200, feed.value, TEXT, {}, tagged(req, feed.tag));
      },
    ],
    [
      /^\/v1\/proof\/consistency$/,
      'GET',
      'anonymous',
      (_m, _q, res, url) => {
        const from = intParam(url, 'from', undefined);
        if (from === undefined) throw new NotaryError('MALFORMED', 'from is required');
        const to = intParam(url, 'to', undefined);
        // Between two given sizes the proof never changes; "to the latest" does.
        sendJson(res, 200, reads.consistencyProof(from, to), to === undefined ? {} : IMMUTABLE);
      },
    ],
    [
      /^\/v1\/artifacts\/(npm|pypi|cargo)\/(.+)\/([^/]+)$/,
      'PUT',
      'none',
      (m, req, res, url) => upload(ecosystem(m[1]), decode(m[2] ?? ''), decode(m[3] ?? ''), req, res, url),
    ],
    [
      /^\/v1\/artifacts\/([a-z0-9]+)\/([^/]+)\/([^/]+)$/,
      'GET',
      'anonymous',
      (m, req, res) => serveArtifact(m[1] ?? '', m[2] ?? '', req, res, decode(m[3] ?? '')),
    ],
    [
      /^\/v1\/artifacts\/([a-z0-9]+)\/([^/]+)$/,
      'GET',
      'anonymous',
      (m, req, res) => serveArtifact(m[1] ?? '', m[2] ?? '', req, res),
    ],
    [/^\/crates\/([^/]+)\/(.+)$/, 'GET', 'anonymous', (m, req, res) => views.crates(m[1] ?? '', m[2] ?? '', req, res)],
    [/^\/pypi\/([^/]+)\/simple\/?$/, 'GET', 'anonymous', (m, req, res) => views.pypi(m[1] ?? '', undefined, req, res)],
    [
      /^\/pypi\/([^/]+)\/simple\/([^/]+)\/?$/,
      'GET',
      'anonymous',
      (m, req, res) => views.pypi(m[1] ?? '', decode(m[2] ?? ''), req, res),
    ],
    [
      /^\/npm\/([^/]+)\/(.+)$/,
      'GET',
      'anonymous',
      (m, req, res) => views.npm(m[1] ?? '', decode(m[2] ?? ''), req, res),
    ],
    [
      /^\/v1\/keys$/,
      'GET',
      'anonymous',
      (_m, _q, res) => sendJson(res, 200, reads.keys(), { 'cache-control': REVALIDATE }),
    ],
    [/^\/healthz$/, 'GET', 'none', (_m, _q, res) => sendJson(res, 200, { ok: true })],
    [
      /^\/readyz$/,
      'GET',
      'none',
      (_m, _q, res) => {
        const r = notary.readiness();
        sendJson(res, r.ok ? 200 : 503, {
          ok: r.ok,
          size: r.size,
          ...(r.reasons.length > 0 && { reasons: r.reasons }),
          ...(r.entries.length > 0 && { entries: r.entries }),
        });
      },
    ],
    [
      /^\/metrics$/,
      'GET',
      'none',
      (_m, _q, res) =>
        sendBytes(res, 200, notary.metrics.render(), 'text/plain; version=0.0.4; charset=utf-8', {
          'cache-control': 'no-store',
        }),
    ],
  ];

  async function submit(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const who = authenticate(req);
      const body = await readBody(req, notary.config.limits.maxBodyBytes);
      const receipt = await notary.submit(body, who, tokenGrant(req));
      notary.recordSubmission('ok');
      sendJson(res, 200, receipt);
    } catch (e) {
      notary.recordSubmission(e instanceof NotaryError ? e.apiCode : 'INTERNAL');
      throw e;
    }
  }

  async function upload(
    eco: Ecosystem,
    name: string,
    version: string,
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
  ): Promise<void> {
    const who = authenticate(req);
    const max = notary.config.archive.maxArtifactBytes;
    const body = await readBody(req, max, 'the archive keeps artifacts up to archive.maxArtifactBytes');
    const fileName = url.searchParams.get('filename') ?? undefined;
    const meta = await notary.uploadArtifact({ ecosystem: eco, package: name, version }, fileName, body, who);
    sendJson(res, 201, { archived: true, ...meta });
  }

  function serveArtifact(
    algo: string,
    hex: string,
    req: IncomingMessage,
    res: ServerResponse,
    fileName?: string,
  ): void {
    const address = parseArtifactAddress(algo, hex);
    const found = address && notary.artifact(address);
    if (found === undefined || (fileName !== undefined && fileName !== found.meta.fileName))
      throw new NotaryError('NOT_FOUND', `no archived artifact ${algo}/${hex}${fileName ? ` named ${fileName}` : ''}`);
    count({ kind: 'artifact' });
    const { meta, path } = found;
    sendImmutableFile(req, res, {
      path,
      size: meta.size,
      etag: `"sha256-${meta.sha256}"`,
      contentType: meta.mediaType,
      headers: { 'content-disposition': `attachment; filename="${meta.fileName}"` },
    });
  }

  /** A refused token counts as an anonymous request: guessing tokens is rate-limited too. */
  function authenticate(req: IncomingMessage) {
    try {
      return notary.authenticate(req.headers.authorization);
    } catch (e) {
      limits.charge(req, 'anonymous');
      throw e;
    }
  }

  function serveTile(path: string, res: ServerResponse): void {
    let t;
    try {
      t = parseTilePath(path);
    } catch {
      throw new NotaryError('NOT_FOUND', `no such tile: /${path}`);
    }
    count({ kind: t.kind === 'hash' ? 'tile' : 'entries' });
    const bytes = t.kind === 'hash' ? reads.hashTile(t.level, t.index, t.width) : reads.entryBundle(t.index, t.width);
    sendBytes(res, 200, bytes, 'application/octet-stream', IMMUTABLE);
  }

  return (req, res) => {
    const fail = (e: unknown) =>
      sendError(res, e, (err) =>
        notary.logEvent({ event: 'internal_error', error: String(err), stack: (err as Error)?.stack }),
      );
    try {
      // The hot path skips the WHATWG URL parse (~2 % of the event loop under load): the
      // exact path has nothing to normalise and the handler reads no query.
      if (req.url === '/v1/submit' && req.method === 'POST') {
        submit(req, res).catch(fail);
        return;
      }
      const url = new URL(req.url ?? '/', 'http://notary.invalid');
      for (const [re, method, limit, handler] of routes) {
        const m = re.exec(url.pathname);
        if (!m) continue;
        if (req.method !== method && !(method === 'GET' && req.method === 'HEAD')) {
          throw new NotaryError(
            'METHOD_NOT_ALLOWED',
            `${req.method ?? '?'} not allowed on ${url.pathname} (use ${method})`,
          );
        }
        if (limit !== 'none') limits.charge(req, limit);
        const r = handler(m, req, res, url);
        if (r instanceof Promise) r.catch(fail);
        return;
      }
      if (web?.(req, res, url) === true) return;
      throw new NotaryError('NOT_FOUND', `no such resource: ${url.pathname}`);
    } catch (e) {
      fail(e);
    }
  };
}

/**
 * A token to store with this entry (operator `auditor add` through a running server): its
 * SHA-256 in `vet-token-grant`, optional expiry (ms since epoch) in `vet-token-expires`. The
 * token itself never crosses the wire; the notary binds it to the added auditor's key id.
 */
function tokenGrant(req: IncomingMessage): TokenGrant | undefined {
  const hash = req.headers['vet-token-grant'];
  if (hash === undefined) return undefined;
  const expires = req.headers['vet-token-expires'];
  if (typeof hash !== 'string' || !/^[0-9a-f]{64}$/.test(hash))
    throw new NotaryError('MALFORMED', 'vet-token-grant must be a SHA-256 in lowercase hex');
  if (expires !== undefined && (typeof expires !== 'string' || !/^[1-9]\d{0,15}$/.test(expires)))
    throw new NotaryError('MALFORMED', 'vet-token-expires must be a time in ms since the epoch');
  return { hash, subject: '', label: 'auditor add', expiresAt: expires === undefined ? null : Number(expires) };
}

function ecosystem(v: string | undefined): Ecosystem {
  if (!ECOSYSTEMS.includes(v as Ecosystem))
    throw new NotaryError('NOT_FOUND', `unknown ecosystem "${v ?? ''}" (npm, pypi, cargo)`);
  return v as Ecosystem;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new NotaryError('MALFORMED', 'bad percent-encoding in the package name');
  }
}

function intParam<T extends number | undefined>(url: URL, name: string, dflt: T): number | T {
  const v = url.searchParams.get(name);
  if (v === null) return dflt;
  if (!/^(0|[1-9]\d{0,15})$/.test(v)) throw new NotaryError('MALFORMED', `${name} must be a non-negative integer`);
  return Number(v);
}
