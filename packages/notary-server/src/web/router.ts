/**
 * The notary's web pages, hooked into the HTTP router: GET `/`, `/search`,
 * `/entries/<index>`, `/auditors/<keyid>`, `/packages/<ecosystem>/<name>` and
 * `/packages/<ecosystem>/<name>@<version>`, plus the two static files `/web/style.css` and
 * `/web/verify.js`. Each page is one data builder (data.ts): `Accept: application/json`
 * gets that object, anything else its HTML rendering.
 */
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NotaryStorage } from '../db/storage.js';
import { ECOSYSTEMS, type Ecosystem } from '../entries/model.js';
import { isNotaryError, NotaryError } from '../errors.js';
import { sendBytes, sendError, sendJson } from '../http/io.js';
import type { Notary } from '../notary.js';
import {
  auditorData,
  entryData,
  homeData,
  packageData,
  pendingData,
  searchData,
  versionData,
  type WebContext,
} from './data.js';
import { makeEntryTimes } from './entry-times.js';
import { type Html } from './html.js';
import { HTML_HEADERS, page } from './layout.js';
import {
  renderAuditor,
  renderError,
  renderHome,
  renderPackage,
  renderPending,
  renderSearch,
  renderVersion,
} from './render.js';
import { renderEntry } from './render-entry.js';
import { STYLE_CSS } from './style.js';
import { parseDay } from './time.js';
import type { ReleaseWatch } from '../watch/watcher.js';
import { pendingAtom } from './atom.js';

/** Answers a request if it is one of the web pages; false lets the API router go on. */
export type WebHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => boolean;

interface Page {
  title: string;
  data: unknown;
  html: () => Html;
  script?: boolean;
}

const ASSET_HEADERS = { 'cache-control': 'public, max-age=300', 'x-content-type-options': 'nosniff' };

export function createWebPages(notary: Notary, db: NotaryStorage, watch?: ReleaseWatch): WebHandler {
  const times = makeEntryTimes((start, end) => db.receivedAt(start, end));
  const script = readVerifyScript();
  const context = (): WebContext => {
    times.refresh(notary.latest().size);
    return { notary, times, now: notary.now(), ...(watch && { watch }) };
  };
  return (req, res, url) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const path = url.pathname;
    if (path === '/web/style.css') {
      sendBytes(res, 200, STYLE_CSS, 'text/css; charset=utf-8', ASSET_HEADERS);
      return true;
    }
    if (path === '/favicon.ico') {
      res.writeHead(204, ASSET_HEADERS).end();
      return true;
    }
    if (path === '/web/verify.js') {
      if (script === undefined) return false;
      sendBytes(res, 200, script, 'text/javascript; charset=utf-8', ASSET_HEADERS);
      return true;
    }
    if (path === '/pending.atom') {
      const data = pendingData(context());
      sendBytes(res, 200, pendingAtom(notary.config.origin, data.pending), 'application/atom+xml; charset=utf-8', {
        'cache-control': 'no-cache',
      });
      return true;
    }
    const json = wantsJson(req) || path === '/v1/pending';
    try {
      const p = route(path, url, context);
      if (p === undefined) return false;
      if (json) sendJson(res, 200, p.data, { vary: 'accept' });
      else sendHtml(res, 200, page(p.title, notary.config.origin, p.html(), { script: p.script === true }));
    } catch (e) {
      if (json || !isNotaryError(e))
        sendError(res, e, (err) => notary.logEvent({ event: 'internal_error', error: String(err) }));
      else
        sendHtml(
          res,
          e.status,
          page(e.status === 404 ? 'Not found' : 'Error', notary.config.origin, renderError(e.status, e.message)),
        );
    }
    return true;
  };
}

function route(path: string, url: URL, context: () => WebContext): Page | undefined {
  if (path === '/') {
    const data = homeData(context());
    return { title: 'Home', data, html: () => renderHome(data) };
  }
  if (path === '/pending' || path === '/v1/pending') {
    const data = pendingData(context());
    return { title: 'Pending releases', data, html: () => renderPending(data) };
  }
  if (path === '/search') {
    const data = searchData(context(), searchQuery(url));
    return { title: 'Search', data, html: () => renderSearch(data) };
  }
  let m = /^\/entries\/(0|[1-9]\d{0,15})$/.exec(path);
  if (m) {
    const data = entryData(context(), Number(m[1]));
    return { title: `Entry ${data.index}`, data, html: () => renderEntry(data), script: true };
  }
  m = /^\/auditors\/(.+)$/.exec(path);
  if (m) {
    const data = auditorData(context(), decode(m[1] ?? ''));
    return { title: data.name, data, html: () => renderAuditor(data) };
  }
  m = /^\/packages\/([a-z]+)\/(.+)$/.exec(path);
  if (m && ECOSYSTEMS.includes(m[1] as Ecosystem)) return packageRoute(m[1] as Ecosystem, decode(m[2] ?? ''), context);
  return undefined;
}

function packageRoute(eco: Ecosystem, spec: string, context: () => WebContext): Page {
  // `name@version`; an npm scope's leading `@` is part of the name.
  const at = spec.lastIndexOf('@');
  if (at > 0) {
    const [name, version] = [spec.slice(0, at), spec.slice(at + 1)];
    const data = versionData(context(), eco, name, version);
    return { title: `${name} ${version}`, data, html: () => renderVersion(data) };
  }
  const data = packageData(context(), eco, spec);
  return { title: spec, data, html: () => renderPackage(data) };
}

function searchQuery(url: URL) {
  const p = url.searchParams;
  const day = (name: string): number | undefined => {
    const v = p.get(name) ?? '';
    if (v === '') return undefined;
    const ms = parseDay(v);
    if (ms === undefined) throw new NotaryError('MALFORMED', `${name} must be a date YYYY-MM-DD`);
    return ms;
  };
  const to = day('to');
  return {
    prefix: (p.get('q') ?? '').slice(0, 214),
    auditor: (p.get('auditor') ?? '').slice(0, 256),
    from: day('from'),
    to: to === undefined ? undefined : to + 86_400_000,
  };
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new NotaryError('MALFORMED', 'bad percent-encoding in the path');
  }
}

/** JSON when the client asks for it ahead of HTML (`Accept: application/json`). */
function wantsJson(req: IncomingMessage): boolean {
  const accept = req.headers.accept ?? '';
  return /application\/json/i.test(accept) && !/text\/html/i.test(accept);
}

function sendHtml(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { ...HTML_HEADERS, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** The browser bundle (scripts/bundle-web.mjs writes it next to this module's build; tests run from src). */
function readVerifyScript(): Buffer | undefined {
  for (const rel of ['./verify.js', '../../dist/web/verify.js']) {
    try {
      return readFileSync(new URL(rel, import.meta.url));
    } catch {
      // try the next place
    }
  }
  return undefined;
}
