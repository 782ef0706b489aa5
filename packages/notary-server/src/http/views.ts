/**
 * Routes of the vetted-only registry views (issue 14): parse the request, call one view
 * function, render the document with a strong ETag (304 on If-None-Match) and
 * `Cache-Control: no-cache`, so a client revalidates every time and a revocation takes
 * effect at the next request.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { NotaryError } from '../errors.js';
import type { Notary } from '../notary.js';
import type { ViewContext } from '../views/approved.js';
import { NPM_ABBREVIATED, npmPackument, type ViewDocument } from '../views/npm.js';
import { etagMatches } from './io.js';
import { crateIndexFile, cratesConfig } from '../views/crates.js';
import { pypiProjectPage, pypiRoot, wantsPypiJson } from '../views/pypi.js';

const HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

export function viewHandlers(notary: Notary) {
  const ctx = (criterion: string): ViewContext => {
    const views = notary.views;
    if (views === undefined) throw new NotaryError('NOT_FOUND', 'this notary keeps no archive, so it serves no views');
    if (!notary.config.policy.criteria.includes(criterion))
      throw new NotaryError('NOT_FOUND', `this notary offers no criterion "${criterion}"`);
    return views;
  };
  const baseUrl = (req: IncomingMessage): string => {
    const configured = notary.config.archive.publicUrl;
    if (configured !== undefined) return configured;
    const host = req.headers.host ?? '';
    if (!HOST.test(host)) throw new NotaryError('MALFORMED', 'a Host header is required (or set archive.publicUrl)');
    return `http://${host}`;
  };
  return {
    npm(criterion: string, name: string, req: IncomingMessage, res: ServerResponse): void {
      const abbreviated = (req.headers.accept ?? '').includes(NPM_ABBREVIATED);
      sendDocument(req, res, npmPackument(ctx(criterion), criterion, name, { abbreviated, baseUrl: baseUrl(req) }));
    },
    crates(criterion: string, path: string, req: IncomingMessage, res: ServerResponse): void {
      const view = ctx(criterion);
      sendDocument(
        req,
        res,
        path === 'config.json' ? cratesConfig(baseUrl(req)) : crateIndexFile(view, criterion, path),
      );
    },
    pypi(criterion: string, project: string | undefined, req: IncomingMessage, res: ServerResponse): void {
      const json = wantsPypiJson(req.headers.accept);
      const view = ctx(criterion);
      sendDocument(
        req,
        res,
        project === undefined
          ? pypiRoot(view, criterion, { json })
          : pypiProjectPage(view, criterion, project, { json, baseUrl: baseUrl(req) }),
      );
    },
  };
}

export function sendDocument(req: IncomingMessage, res: ServerResponse, doc: ViewDocument): void {
  const headers = { etag: doc.etag, 'cache-control': 'no-cache', vary: 'accept', 'access-control-allow-origin': '*' };
  if (etagMatches(req.headers['if-none-match'], doc.etag)) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  res.writeHead(200, { ...headers, 'content-type': doc.contentType, 'content-length': Buffer.byteLength(doc.body) });
  res.end(req.method === 'HEAD' ? undefined : doc.body);
}
