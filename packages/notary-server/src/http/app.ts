/**
 * The HTTP surface of a notary: routes → handlers, one error mapping (io.ts sendError).
 *   GET  /checkpoint, /tile/<L>/<N>[.p/<W>], /tile/entries/<N>[.p/<W>]   c2sp.org/tlog-tiles
 *   POST /v1/submit                 DSSE envelope body, bearer token → receipt (JSON)
 *   GET  /v1/lookup/<eco>/<name>    entries for a package, with inclusion proofs (a hint)
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
import { ECOSYSTEMS, type Ecosystem, type EntryClaim } from '../entries/model.js';
import { NotaryError } from '../errors.js';
import { formatAuditsFeed } from '../feed/audits-toml.js';
import { packageRows, publishedAudits } from '../feed/approvals.js';
import { NotaryState } from '../entries/state.js';
import { encodeBundle, hashTileBytes, TILE_W } from '../log/tiles.js';
import { proveConsistency, proveInclusion } from '../log/proofs.js';
import type { Notary } from '../notary.js';
import type { WebHandler } from '../web/router.js';
import { readBody, sendBytes, sendError, sendImmutableFile, sendJson } from './io.js';
import { viewHandlers } from './views.js';

const IMMUTABLE = { 'cache-control': 'public, max-age=31536000, immutable' };
const LOOKUP_PAGE = 100;

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** `web`: the HTML pages (web/router.ts), tried after the API routes. */
export function createRequestHandler(notary: Notary, web?: WebHandler): RequestHandler {
  const reads = notary.metrics.counter('vet_notary_read_requests_total', 'Read-path requests by resource kind.');
  const bundleCache = new Map<number, Buffer>();
  const feedCache = new Map<string, { size: number; text: string }>();
  const views = viewHandlers(notary);

  const routes: [
    RegExp,
    string,
    (m: RegExpExecArray, req: IncomingMessage, res: ServerResponse, url: URL) => void | Promise<void>,
  ][] = [
    [
      /^\/checkpoint$/,
      'GET',
      (_m, _q, res) => {
        reads({ kind: 'checkpoint' });
        sendBytes(res, 200, notary.latest().note, 'text/plain; charset=utf-8', { 'cache-control': 'no-cache' });
      },
    ],
    [/^\/tile\/.+$/, 'GET', (_m, _q, res, url) => serveTile(url.pathname.slice(1), res)],
    [/^\/v1\/submit$/, 'POST', (_m, req, res) => submit(req, res)],
    [
      /^\/v1\/lookup\/([a-z]+)\/(.+)$/,
      'GET',
      (m, _q, res, url) => lookup(ecosystem(m[1]), decode(m[2] ?? ''), url, res),
    ],
    [/^\/v1\/feeds\/([a-z]+)\/audits\.toml$/, 'GET', (m, _q, res) => feed(ecosystem(m[1]), res)],
    [
      /^\/v1\/artifacts\/(npm|pypi|cargo)\/(.+)\/([^/]+)$/,
      'PUT',
      (m, req, res, url) => upload(ecosystem(m[1]), decode(m[2] ?? ''), decode(m[3] ?? ''), req, res, url),
    ],
    [
      /^\/v1\/artifacts\/([a-z0-9]+)\/([^/]+)\/([^/]+)$/,
      'GET',
      (m, req, res) => serveArtifact(m[1] ?? '', m[2] ?? '', req, res, decode(m[3] ?? '')),
    ],
    [
      /^\/v1\/artifacts\/([a-z0-9]+)\/([^/]+)$/,
      'GET',
      (m, req, res) => serveArtifact(m[1] ?? '', m[2] ?? '', req, res),
    ],
    [/^\/crates\/([^/]+)\/(.+)$/, 'GET', (m, req, res) => views.crates(m[1] ?? '', m[2] ?? '', req, res)],
    [/^\/pypi\/([^/]+)\/simple\/?$/, 'GET', (m, req, res) => views.pypi(m[1] ?? '', undefined, req, res)],
    [
      /^\/pypi\/([^/]+)\/simple\/([^/]+)\/?$/,
      'GET',
      (m, req, res) => views.pypi(m[1] ?? '', decode(m[2] ?? ''), req, res),
    ],
    [/^\/npm\/([^/]+)\/(.+)$/, 'GET', (m, req, res) => views.npm(m[1] ?? '', decode(m[2] ?? ''), req, res)],
    [/^\/v1\/proof\/consistency$/, 'GET', (_m, _q, res, url) => consistency(url, res)],
    [
      /^\/v1\/keys$/,
      'GET',
      (_m, _q, res) =>
        sendJson(res, 200, {
          origin: notary.config.origin,
          logKeys: notary.keys.logVerifiers,
          admin: {
            keyid: notary.keys.admin.keyid,
            publicKey: Buffer.from(notary.keys.admin.publicKey).toString('base64'),
          },
        }),
    ],
    [/^\/healthz$/, 'GET', (_m, _q, res) => sendJson(res, 200, { ok: true })],
    [
      /^\/readyz$/,
      'GET',
      (_m, _q, res) => {
        const failed = notary.sequencer.failed !== undefined;
        // Stored entries the state machine refuses: the log is served, but not ready.
        const entries = notary.problems();
        const ok = !failed && entries.length === 0;
        sendJson(res, ok ? 200 : 503, { ok, size: notary.latest().size, ...(entries.length > 0 && { entries }) });
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

  async function upload(
    eco: Ecosystem,
    name: string,
    version: string,
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
  ): Promise<void> {
    const who = notary.authenticate(req.headers.authorization);
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
    reads({ kind: 'artifact' });
    const { meta, path } = found;
    sendImmutableFile(req, res, {
      path,
      size: meta.size,
      etag: `"sha256-${meta.sha256}"`,
      contentType: meta.mediaType,
      headers: { 'content-disposition': `attachment; filename="${meta.fileName}"` },
    });
  }

  function serveTile(path: string, res: ServerResponse): void {
    let t;
    try {
      t = parseTilePath(path);
    } catch {
      throw new NotaryError('NOT_FOUND', `no such tile: /${path}`);
    }
    if (t.kind === 'hash') {
      reads({ kind: 'tile' });
      // The tree may hold a batch that is still committing: serve only what the latest
      // checkpoint covers.
      const nodes = Math.floor(notary.latest().size / TILE_W ** t.level);
      const bytes =
        t.index * TILE_W + t.width > nodes ? undefined : hashTileBytes(notary.log.tree, t.level, t.index, t.width);
      if (bytes === undefined) throw new NotaryError('NOT_FOUND', `tile /${path} does not exist yet`);
      sendBytes(res, 200, bytes, 'application/octet-stream', IMMUTABLE);
      return;
    }
    reads({ kind: 'entries' });
    const start = t.index * TILE_W;
    if (start + t.width > notary.latest().size)
      throw new NotaryError('NOT_FOUND', `entry bundle /${path} does not exist yet`);
    const full = bundleCache.get(t.index);
    const bytes = full ?? encodeBundle(notary.readLeaves(start, start + t.width));
    if (t.width === TILE_W && !full) {
      if (bundleCache.size >= 64) bundleCache.delete(bundleCache.keys().next().value as number);
      bundleCache.set(t.index, bytes);
    }
    sendBytes(res, 200, bytes, 'application/octet-stream', IMMUTABLE);
  }

  function lookup(eco: Ecosystem, name: string, url: URL, res: ServerResponse): void {
    const state = notary.log.state;
    const latest = notary.latest();
    const after = intParam(url, 'after', -1);
    const all = state.byPackage.get(NotaryState.packageKey(eco, name)) ?? [];
    const page = all.filter((i) => i > after && i < latest.size).slice(0, LOOKUP_PAGE);
    const leaves = new Map<number, Buffer>();
    for (const i of page) leaves.set(i, notary.readLeaves(i, i + 1)[0] ?? Buffer.alloc(0));
    sendJson(res, 200, {
      origin: notary.config.origin,
      checkpoint: latest.note,
      treeSize: latest.size,
      approvals: packageRows(
        state,
        all.filter((i) => i < latest.size),
        notary.config.policy.quorum,
      ),
      entries: page.map((i) => ({
        index: i,
        leafHash: state.entries[i]?.leafHash,
        claim: state.entries[i]?.claim,
        revokedBy: state.revoked.get(i),
        archived: archivedOf(state.entries[i]?.claim),
        envelope: leaves.get(i)?.toString('base64'),
        inclusionProof: proveInclusion(notary.log.tree, i, latest.size).map((h) => Buffer.from(h).toString('base64')),
      })),
      next: page.length === LOOKUP_PAGE ? page[page.length - 1] : undefined,
    });
  }

  /** Per version of an audit: the archive address of its artifact once it is stored durably, else null. */
  function archivedOf(claim: EntryClaim | undefined): Record<string, string | null> | undefined {
    if (claim?.type !== 'audit' || notary.archiver === undefined) return undefined;
    const out: Record<string, string | null> = Object.create(null) as Record<string, string | null>;
    for (const [v, d] of Object.entries(claim.digests)) {
      const meta = notary.archiver.archived(d);
      out[v] = meta ? `v1/artifacts/sha256/${meta.sha256}` : null;
    }
    return out;
  }

  function feed(eco: Ecosystem, res: ServerResponse): void {
    const latest = notary.latest();
    let cached = feedCache.get(eco);
    if (cached?.size !== latest.size) {
      const rows = publishedAudits(notary.log.state, eco, notary.config.policy.quorum);
      const text = formatAuditsFeed(rows, notary.config.policy, {
        origin: notary.config.origin,
        ecosystem: eco,
        size: latest.size,
        rootHash: Buffer.from(latest.rootHash).toString('base64'),
      });
      cached = { size: latest.size, text };
      feedCache.set(eco, cached);
    }
    sendBytes(res, 200, cached.text, 'text/plain; charset=utf-8', { 'cache-control': 'no-cache' });
  }

  function consistency(url: URL, res: ServerResponse): void {
    const size = notary.latest().size;
    const from = intParam(url, 'from', undefined);
    const to = intParam(url, 'to', size);
    if (from === undefined || from < 1 || from > to || to > size) {
      throw new NotaryError('MALFORMED', `need 1 ≤ from ≤ to ≤ ${size} (the current tree size)`);
    }
    sendJson(res, 200, {
      from,
      to,
      proof: proveConsistency(notary.log.tree, from, to).map((h) => Buffer.from(h).toString('base64')),
    });
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
      if (web?.(req, res, url) === true) return;
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
