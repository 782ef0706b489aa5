/**
 * Request/response plumbing for node:http: a body reader that caps bytes while streaming
 * (STYLE §10: Content-Length is hostile too) and the one place errors become JSON bodies
 * `{error: {code, message}}`.
 */
import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { NotaryError, isNotaryError } from '../errors.js';

export function readBody(
  req: IncomingMessage,
  maxBytes: number,
  what = 'one submission is one log entry',
): Promise<Buffer> {
  const tooLarge = (max: number) => new NotaryError('PAYLOAD_TOO_LARGE', `request body exceeds ${max} bytes (${what})`);
  const declared = req.headers['content-length'];
  if (declared !== undefined && (!/^\d+$/.test(declared) || Number(declared) > maxBytes)) {
    return Promise.reject(tooLarge(maxBytes));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      total += chunk.length;
      if (total > maxBytes) {
        done = true;
        reject(tooLarge(maxBytes));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!done) resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, total));
    });
    req.on('error', (e) => {
      if (!done) reject(new NotaryError('MALFORMED', `request body could not be read: ${e.message}`));
      done = true;
    });
  });
}

/**
 * Caching by tree size: the answer's tag becomes a strong ETag; a request whose
 * If-None-Match names it gets 304 with no body (RFC 9110 §13.1.2, §15.4.5).
 */
export interface CacheTag {
  tag: string;
  ifNoneMatch: string | undefined;
  cacheControl: string;
}

/** Sends 304 and returns true when the client already holds this version. */
function notModified(res: ServerResponse, cache: CacheTag | undefined, headers: Record<string, string>): boolean {
  if (cache === undefined) return false;
  const etag = `"${cache.tag}"`;
  headers.etag = etag;
  headers['cache-control'] = cache.cacheControl;
  const inm = cache.ifNoneMatch;
  if (inm === undefined || !inm.split(',').some((t) => t.trim().replace(/^W\//, '') === etag || t.trim() === '*'))
    return false;
  res.writeHead(304, { ...headers, 'access-control-allow-origin': '*' });
  res.end();
  return true;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
  cache?: CacheTag,
): void {
  headers = { 'cache-control': 'no-store', ...headers };
  if (notModified(res, cache, headers)) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function sendBytes(
  res: ServerResponse,
  status: number,
  body: Uint8Array | string,
  contentType: string,
  headers: Record<string, string> = {},
  cache?: CacheTag,
): void {
  headers = { ...headers };
  if (notModified(res, cache, headers)) return;
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': typeof body === 'string' ? Buffer.byteLength(body) : body.length,
    'access-control-allow-origin': '*',
    ...headers,
  });
  res.end(body);
}

/**
 * An immutable file with a strong ETag: 304 when the client already holds it (RFC 9110
 * §13.1.2), else the bytes streamed from disk (nothing for HEAD).
 */
export function sendImmutableFile(
  req: IncomingMessage,
  res: ServerResponse,
  file: { path: string; size: number; etag: string; contentType: string; headers?: Record<string, string> },
): void {
  const headers = {
    etag: file.etag,
    'cache-control': 'public, max-age=31536000, immutable',
    'access-control-allow-origin': '*',
    ...file.headers,
  };
  if (etagMatches(req.headers['if-none-match'], file.etag)) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  res.writeHead(200, { ...headers, 'content-type': file.contentType, 'content-length': file.size });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const stream = createReadStream(file.path);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}

/** If-None-Match: `*` or a list of (weak or strong) entity tags; weak comparison (RFC 9110 §13.1.2). */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  const bare = etag.replace(/^W\//, '');
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === bare);
}

/** The single error → HTTP mapping. Unknown errors are internal and never echo details. */
export function sendError(res: ServerResponse, err: unknown, log: (e: unknown) => void): void {
  const e = isNotaryError(err) ? err : new NotaryError('INTERNAL', 'internal error; see the server log');
  if (!isNotaryError(err)) log(err);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const headers: Record<string, string> = {};
  if (e.retryAfter !== undefined) headers['retry-after'] = String(e.retryAfter);
  // A refused upload may still be streaming; close rather than drain it.
  if (e.status === 413) headers.connection = 'close';
  const rule = e.rule === undefined ? {} : { rule: e.rule };
  sendJson(res, e.status, { error: { code: e.apiCode, ...rule, message: e.message } }, headers);
}
