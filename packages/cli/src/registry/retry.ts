/**
 * Retry policy for registry requests, as pure functions so the timing is testable:
 * exponential backoff with jitter, `Retry-After` honoured but capped (a number from outside is
 * hostile, STYLE §10), and which failures are worth another attempt.
 */

export interface BackoffOptions {
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * Delay before retry number `attempt` (0 = first retry): "equal jitter" — half of
 * min(max, base·2^attempt) fixed plus a random half, so retries spread out but never collapse to 0.
 */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** attempt);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/**
 * `Retry-After` (RFC 9110 §10.2.3): delay-seconds or an HTTP-date. Returns milliseconds clamped
 * to [0, capMs], or undefined when absent or unparseable.
 */
export function parseRetryAfter(value: string | undefined, now: number, capMs: number): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  let ms: number;
  if (/^\d+$/.test(v)) ms = Number(v) * 1000;
  else {
    // An HTTP-date always names a weekday and month; anything else (like "-5") is not one.
    const date = /[A-Za-z]/.test(v) ? Date.parse(v) : Number.NaN;
    if (Number.isNaN(date)) return undefined;
    ms = date - now;
  }
  return Math.min(capMs, Math.max(0, ms));
}

/** 429 and 5xx may succeed later; other statuses will not. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status <= 599);
}

const RETRYABLE_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);

const TIMEOUT_CODES = new Set([
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** Failures of the network itself that no retry will mend: the name does not resolve, TLS refuses the peer. */
const FINAL_NETWORK_CODES =
  /^(ENOTFOUND|ENETDOWN|EHOSTDOWN|ECONNABORTED|EPROTO|CERT_|ERR_TLS_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_)/;

function errorCodes(error: unknown): string[] {
  const out: string[] = [];
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') out.push(code);
  }
  return out;
}

/** Transport failures (resets, timeouts, refused connections) are retried; programming errors are not. */
export function isRetryableNetworkError(error: unknown): boolean {
  return errorCodes(error).some((c) => RETRYABLE_CODES.has(c));
}

/** The host did not answer in time (connect, headers or body). */
export function isTimeoutError(error: unknown): boolean {
  return errorCodes(error).some((c) => TIMEOUT_CODES.has(c));
}

/** The network failed (retryable or not), as opposed to a bad argument: it counts against the host. */
export function isNetworkLevelError(error: unknown): boolean {
  return errorCodes(error).some((c) => RETRYABLE_CODES.has(c) || FINAL_NETWORK_CODES.test(c));
}
