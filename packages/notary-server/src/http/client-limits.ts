/**
 * Limits for requests nobody vouches for: every request without a valid bearer token (reads,
 * and submissions whose token is refused) takes a token from its client address's bucket;
 * `/v1/lookup`, the costliest read, also from a second, smaller bucket. An empty bucket is a
 * 429 RATE_LIMITED with Retry-After. Authenticated submissions have their own per-token
 * bucket (notary.ts), so a reader flooding `/checkpoint` cannot slow an auditor down.
 */
import type { IncomingMessage } from 'node:http';
import type { NotaryLimits } from '../config.js';
import { NotaryError } from '../errors.js';
import { createRateLimiter } from './rate-limit.js';

export type LimitClass = 'anonymous' | 'lookup';

export interface ClientLimits {
  /** Takes from the address's buckets for `kind`; throws RATE_LIMITED when one is empty. */
  charge(req: IncomingMessage, kind: LimitClass): void;
}

export function createClientLimits(limits: NotaryLimits, now: () => number): ClientLimits {
  const anonymous = createRateLimiter(limits.anonymousRatePerSecond, limits.anonymousBurst, now);
  const lookup = createRateLimiter(limits.lookupRatePerSecond, limits.lookupBurst, now);
  const header = limits.clientAddressHeader;
  return {
    charge(req, kind) {
      const address = clientAddress(req, header);
      const wait = anonymous.take(address) || (kind === 'lookup' ? lookup.take(address) : 0);
      if (wait > 0) {
        const rate = kind === 'lookup' ? limits.lookupRatePerSecond : limits.anonymousRatePerSecond;
        throw new NotaryError('RATE_LIMITED', `too many requests from this address (limit ${rate}/s); retry later`, {
          retryAfter: wait,
        });
      }
    },
  };
}

/** The socket's peer, or the last value of the proxy's header when one is configured. */
export function clientAddress(req: IncomingMessage, header: string): string {
  if (header !== '') {
    const v = req.headers[header];
    const last = (Array.isArray(v) ? v.join(',') : (v ?? '')).split(',').pop()?.trim();
    if (last) return last.slice(0, 64);
  }
  return req.socket.remoteAddress ?? 'unknown';
}
