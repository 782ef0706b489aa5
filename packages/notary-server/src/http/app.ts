/**
 * The HTTP surface of a notary: routes only. Each handler parses the request, calls one
 * method of the notary (its read API `notary.reads`, or `submit`), and renders; one error
 * mapping (io.ts sendError).
 *   GET  /checkpoint, /tile/<L>/<N>[.p/<W>], /tile/entries/<N>[.p/<W>]   c2sp.org/tlog-tiles
 *   POST /v1/submit                 DSSE envelope body, bearer token → receipt (JSON)
 *   GET  /v1/lookup/<eco>/<name>[?cursor=&limit=]  a package's entries, with inclusion proofs (a hint)
 *   GET  /v1/feeds/<eco>/audits.toml derived cargo-vet feed
 *   GET  /v1/proof/consistency?from=&to=, /v1/keys, /healthz, /readyz, /metrics
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseTilePath } from '@vet/core';
import { ECOSYSTEMS, type Ecosystem } from '../entries/model.js';
import { NotaryError } from '../errors.js';
import type { Notary } from '../notary.js';
import { LOOKUP_MAX_PAGE } from '../reads.js';
import { readBody, sendBytes, sendError, sendJson } from './io.js';

const IMMUTABLE = { 'cache-control': 'public, max-age=31536000, immutable' };
const TEXT = 'text/plain; charset=utf-8';

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

type Handler = (m: RegExpExecArray, req: IncomingMessage, res: ServerResponse, url: URL) => void | Promise<void>;

export function createRequestHandler(notary: Notary): RequestHandler {
  const reads = notary.reads;
  const count = notary.metrics.counter('vet_notary_read_requests_total', 'Read-path requests by resource kind.');

  const routes: [RegExp, string, Handler][] = [
    [
      /^\/checkpoint$/,
      'GET',
      (_m, _q, res) => {
        count({ kind: 'checkpoint' });
        sendBytes(res, 200, reads.checkpoint().value, TEXT, { 'cache-control': 'no-cache' });
      },
    ],
    [/^\/tile\/.+$/, 'GET', (_m, _q, res, url) => serveTile(url.pathname.slice(1), res)],
    [/^\/v1\/submit$/, 'POST', (_m, req, res) => submit(req, res)],
    [
      /^\/v1\/lookup\/([a-z]+)\/(.+)$/,
      'GET',
      (m, _q, res, url) => {
        const cursor = url.searchParams.get('cursor') ?? undefined;
        const limit = intParam(url, 'limit', LOOKUP_MAX_PAGE);
        if (limit < 1 || limit > LOOKUP_MAX_PAGE)
          throw new NotaryError('MALFORMED', `limit must be 1–${LOOKUP_MAX_PAGE}`);
        const page = reads.lookup(ecosystem(m[1]), decode(m[2] ?? ''), {
          limit,
          ...(cursor !== undefined && { cursor }),
        });
        sendJson(res, 200, page.value);
      },
    ],
    [
      /^\/v1\/feeds\/([a-z]+)\/audits\.toml$/,
      'GET',
      (m, _q, res) => sendBytes(res, 200, reads.feed(ecosystem(m[1])).value, TEXT, { 'cache-control': 'no-cache' }),
    ],
    [
      /^\/v1\/proof\/consistency$/,
      'GET',
      (_m, _q, res, url) => {
        const from = intParam(url, 'from', undefined);
        if (from === undefined) throw new NotaryError('MALFORMED', 'from is required');
        sendJson(res, 200, reads.consistencyProof(from, intParam(url, 'to', undefined)));
      },
    ],
    [/^\/v1\/keys$/, 'GET', (_m, _q, res) => sendJson(res, 200, reads.keys())],
    [/^\/healthz$/, 'GET', (_m, _q, res) => sendJson(res, 200, { ok: true })],
    [
      /^\/readyz$/,
      'GET',
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
      (_m, _q, res) =>
        sendBytes(res, 200, notary.metrics.render(), 'text/plain; version=0.0.4; charset=utf-8', {
          'cache-control': 'no-store',
        }),
    ],
  ];

  async function submit(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const who = notary.authenticate(req.headers.authorization);
      const body = await readBody(req, notary.config.limits.maxBodyBytes);
      const receipt = await notary.submit(body, who);
      notary.recordSubmission('ok');
      sendJson(res, 200, receipt);
    } catch (e) {
      notary.recordSubmission(e instanceof NotaryError ? e.apiCode : 'INTERNAL');
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
      for (const [re, method, handler] of routes) {
        const m = re.exec(url.pathname);
        if (!m) continue;
        if (req.method !== method && !(method === 'GET' && req.method === 'HEAD')) {
          throw new NotaryError(
            'METHOD_NOT_ALLOWED',
            `${req.method ?? '?'} not allowed on ${url.pathname} (use ${method})`,
          );
        }
        const r = handler(m, req, res, url);
        if (r instanceof Promise) r.catch(fail);
        return;
      }
      throw new NotaryError('NOT_FOUND', `no such resource: ${url.pathname}`);
    } catch (e) {
      fail(e);
    }
  };
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
