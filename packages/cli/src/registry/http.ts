/**
 * A small GET-only HTTP client on undici for registries (npm, Python indexes, Cargo's sparse
 * registries, import URLs): timeouts, bounded retries with backoff + jitter on network errors
 * and 429/5xx (Retry-After honoured; a timeout is retried once), a cap on parallel requests,
 * byte caps enforced while streaming, redirects followed by hand so credentials are recomputed
 * for every hop (a token never follows a redirect to another host), fail-fast per host (a host
 * that failed at the network level fails every later request at once: host-health.ts), and
 * VetErrors that name the URL and say what to do.
 */
import { Agent, EnvHttpProxyAgent, request, type Dispatcher } from 'undici';
import { VetError } from '@vet/core';
import { originOf, processHostHealth, type HostHealth } from './host-health.js';
import { createLimiter } from './limiter.js';
import {
  backoffDelay,
  isNetworkLevelError,
  isRetryableNetworkError,
  isRetryableStatus,
  isTimeoutError,
  parseRetryAfter,
} from './retry.js';

/** Where the user configures the registry this client talks to, for the hints in its errors. */
export interface RegistryHints {
  /** e.g. "the registry URL in .npmrc (npm config get registry)". */
  config: string;
  /** Where credentials for it are set. */
  credentials: string;
}

export const NPM_HINTS: RegistryHints = {
  config: 'the registry URL in .npmrc (npm config get registry)',
  credentials: 'the //host/:_authToken (or _auth) line for this registry in your .npmrc',
};

export interface HttpClientOptions {
  /** What the errors' hints point at; default: npm's configuration. */
  hints?: RegistryHints;
  /** `Authorization` value for a URL, or undefined. Asked for every request and redirect hop. */
  authFor?: (url: string) => string | undefined;
  userAgent?: string;
  /** Parallel requests across the client; default 8. */
  maxConcurrent?: number;
  /** Extra attempts after the first; default 3. */
  retries?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Longest Retry-After honoured; default 30 s. */
  maxRetryAfterMs?: number;
  connectTimeoutMs?: number;
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
  maxRedirects?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
  dispatcher?: Dispatcher;
  /** Which hosts are down; default: the one instance the whole process shares. */
  hostHealth?: HostHealth;
  /** Told the size of every body received (progress: bytes fetched). */
  onBody?: (bytes: number) => void;
}

export interface GetOptions {
  /** Refuse bodies larger than this (Content-Length checked first, then counted while streaming). */
  maxBytes: number;
  accept?: string;
  /** What is being fetched, for messages ("packument for lodash"). */
  what?: string;
  /** Validators of a cached copy: sent as If-None-Match / If-Modified-Since; a 304 is then a result. */
  revalidate?: { etag?: string; lastModified?: string };
}

export interface HttpResponse {
  /** Final URL after redirects. */
  url: string;
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export interface HttpClient {
  get(url: string, options: GetOptions): Promise<HttpResponse>;
  getJson(url: string, options: GetOptions): Promise<{ url: string; json: unknown }>;
  close(): Promise<void>;
}

/** A URL safe to print: no userinfo, no query (which may carry tokens). */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    u.search = u.search ? '?…' : '';
    return u.href;
  } catch {
    return '<invalid URL>';
  }
}

const MIB = 1024 * 1024;

function flatHeaders(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h))
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

async function readCapped(
  body: Dispatcher.ResponseData['body'],
  url: string,
  maxBytes: number,
  hints: RegistryHints,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > maxBytes) {
      body.destroy();
      throw tooLarge(url, maxBytes, hints);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}

function tooLarge(url: string, maxBytes: number, hints: RegistryHints): VetError {
  return new VetError(
    'HTTP_ERROR',
    `response from ${redactUrl(url)} is larger than the ${Math.round(maxBytes / MIB)} MiB limit`,
    {
      hint: `the registry sent more data than any package document should have; check ${hints.config}`,
      details: { url: redactUrl(url), maxBytes },
    },
  );
}

/** Thrown inside an attempt to say "this may work if tried again". */
class Retryable extends Error {
  constructor(
    readonly error: VetError,
    readonly retryAfterMs?: number,
    /** network: a network-level failure (not an HTTP status); final: do not try again. */
    readonly kind: { network?: boolean; timeout?: boolean; final?: boolean } = {},
  ) {
    super(error.message);
  }
}

function statusError(url: string, status: number, what: string | undefined, hints: RegistryHints): VetError {
  const subject = what ? `${what} (${redactUrl(url)})` : redactUrl(url);
  if (status === 404) {
    return new VetError('NOT_FOUND', `${subject} was not found (HTTP 404)`, {
      hint: `check the package name and version, and ${hints.config}`,
      details: { url: redactUrl(url), status },
    });
  }
  const auth = status === 401 || status === 403;
  return new VetError('HTTP_ERROR', `GET ${subject} failed with HTTP ${status}`, {
    hint: auth
      ? `the registry refused the request; check ${hints.credentials}`
      : `the registry had a problem; try again later or check ${hints.config}`,
    details: { url: redactUrl(url), status },
  });
}

export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const hints = options.hints ?? NPM_HINTS;
  const o = {
    retries: options.retries ?? 3,
    baseDelayMs: options.baseDelayMs ?? 300,
    maxDelayMs: options.maxDelayMs ?? 8_000,
    maxRetryAfterMs: options.maxRetryAfterMs ?? 30_000,
    maxRedirects: options.maxRedirects ?? 5,
    sleep: options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms))),
    random: options.random ?? Math.random,
    now: options.now ?? Date.now,
  };
  const agentOptions = {
    connect: { timeout: options.connectTimeoutMs ?? 10_000 },
    headersTimeout: options.headersTimeoutMs ?? 30_000,
    bodyTimeout: options.bodyTimeoutMs ?? 30_000,
  };
  const hasProxy = ['https_proxy', 'http_proxy'].some((k) => process.env[k] ?? process.env[k.toUpperCase()]);
  const ownDispatcher = options.dispatcher
    ? undefined
    : hasProxy
      ? new EnvHttpProxyAgent(agentOptions)
      : new Agent(agentOptions);
  const dispatcher = options.dispatcher ?? ownDispatcher;
  const limiter = createLimiter(options.maxConcurrent ?? 8);
  const health = options.hostHealth ?? processHostHealth;

  /** One attempt, following redirects; throws Retryable for failures worth retrying. */
  async function attempt(startUrl: string, get: GetOptions): Promise<HttpResponse> {
    let url = startUrl;
    for (let hop = 0; ; hop++) {
      const headers: Record<string, string> = { 'user-agent': options.userAgent ?? 'vet', accept: get.accept ?? '*/*' };
      const auth = options.authFor?.(url);
      if (auth) headers.authorization = auth;
      if (get.revalidate?.etag) headers['if-none-match'] = get.revalidate.etag;
      if (get.revalidate?.lastModified) headers['if-modified-since'] = get.revalidate.lastModified;
      const origin = originOf(url);
      const down = health.downError(origin);
      if (down) throw hostDown(url, down, hints);
      let res: Dispatcher.ResponseData;
      try {
        res = await request(url, { method: 'GET', headers, dispatcher });
      } catch (cause) {
        throw networkFailure(url, cause, hints, health);
      }
      health.answered(origin);
      const h = flatHeaders(res.headers);
      if (res.statusCode === 304 && get.revalidate) {
        await res.body.dump();
        return { url, status: 304, headers: h, body: Buffer.alloc(0) };
      }
      if (res.statusCode >= 300 && res.statusCode < 400 && h.location) {
        await res.body.dump();
        if (hop >= o.maxRedirects)
          throw new VetError('HTTP_ERROR', `too many redirects fetching ${redactUrl(startUrl)}`);
        url = followRedirect(url, h.location);
        continue;
      }
      if (res.statusCode !== 200) {
        await res.body.dump().catch(() => undefined);
        const err = statusError(url, res.statusCode, get.what, hints);
        if (!isRetryableStatus(res.statusCode)) throw err;
        throw new Retryable(err, parseRetryAfter(h['retry-after'], o.now(), o.maxRetryAfterMs));
      }
      const declared = Number(h['content-length']);
      if (Number.isFinite(declared) && declared > get.maxBytes) {
        res.body.destroy();
        throw tooLarge(url, get.maxBytes, hints);
      }
      try {
        const body = await readCapped(res.body, url, get.maxBytes, hints);
        options.onBody?.(body.length);
        return { url, status: res.statusCode, headers: h, body };
      } catch (cause) {
        if (cause instanceof VetError) throw cause;
        throw networkFailure(url, cause, hints, health);
      }
    }
  }

  async function get(url: string, getOptions: GetOptions): Promise<HttpResponse> {
    let timeouts = 0;
    for (let tries = 0; ; tries++) {
      try {
        return await limiter.run(() => attempt(url, getOptions));
      } catch (e) {
        if (!(e instanceof Retryable)) throw e;
        if (e.kind.timeout) timeouts++;
        // A host that did not answer twice in a row is not slow, it is gone.
        if (e.kind.final || tries >= o.retries || timeouts >= 2) throw gaveUp(e, tries + 1, health);
        await o.sleep(e.retryAfterMs ?? backoffDelay(tries, o, o.random));
      }
    }
  }

  return {
    get,
    async getJson(url, getOptions) {
      const res = await get(url, { accept: 'application/json', ...getOptions });
      try {
        return { url: res.url, json: JSON.parse(res.body.toString('utf8')) as unknown };
      } catch (cause) {
        throw new VetError('PARSE_ERROR', `${getOptions.what ?? redactUrl(res.url)}: the registry sent invalid JSON`, {
          cause,
          file: redactUrl(res.url),
          hint: `check ${hints.config}`,
        });
      }
    },
    async close() {
      await ownDispatcher?.close();
    },
  };
}

function followRedirect(from: string, location: string): string {
  let next: URL;
  try {
    next = new URL(location, from);
  } catch (cause) {
    throw new VetError('HTTP_ERROR', `invalid redirect from ${redactUrl(from)}`, { cause });
  }
  if (next.protocol !== 'https:' && next.protocol !== 'http:') {
    throw new VetError('HTTP_ERROR', `refusing redirect from ${redactUrl(from)} to a ${next.protocol} URL`);
  }
  return next.href;
}

const networkHint = (hints: RegistryHints) => `check your network connection, proxy settings and ${hints.config}`;

/**
 * One attempt failed before an HTTP answer. A network-level failure counts against the host;
 * it is final once it took the host down or cannot get better by retrying.
 */
function networkFailure(url: string, cause: unknown, hints: RegistryHints, health: HostHealth): Error {
  const reason = cause instanceof Error ? cause.message : String(cause);
  const err = new VetError('NETWORK_ERROR', `could not fetch ${redactUrl(url)}: ${reason}`, {
    cause,
    hint: networkHint(hints),
    details: { url: redactUrl(url), host: originOf(url), reason },
  });
  if (!isNetworkLevelError(cause)) return err;
  const origin = originOf(url);
  if (health.failed(origin, err)) {
    const first = health.downError(origin)!;
    // This failure took the host down: final, with the attempt count get() adds.
    if (first === err) return new Retryable(err, undefined, { network: true, final: true });
    return hostDown(url, first, hints);
  }
  if (!isRetryableNetworkError(cause)) {
    health.markDown(origin, err);
    return err;
  }
  return new Retryable(err, undefined, { network: true, timeout: isTimeoutError(cause) });
}

/** The request's retry budget is spent: say so; a network-level failure takes its host down. */
function gaveUp(e: Retryable, attempts: number, health: HostHealth): VetError {
  const err = e.error;
  const final = new VetError(err.code, `${err.message} (gave up after ${attempts} attempts)`, {
    cause: err.cause ?? err,
    hint: err.hint,
    details: { ...err.details, attempts },
  });
  if (e.kind.network) health.markDown(String(err.details?.['host']), final, err);
  return final;
}

/** A request to a host that is already down: fails at once, naming this URL and the first failure. */
function hostDown(url: string, first: VetError, hints: RegistryHints): VetError {
  const host = originOf(url);
  const reason = typeof first.details?.['reason'] === 'string' ? first.details['reason'] : first.message;
  return new VetError('NETWORK_ERROR', `could not fetch ${redactUrl(url)}: ${host} is unreachable (${reason})`, {
    cause: first,
    hint: first.hint ?? networkHint(hints),
    details: { url: redactUrl(url), host, reason, failedEarlier: first.details?.['url'] },
  });
}
