/**
 * Token-bucket rate limiter, one bucket per key (the hash of a bearer token, or a client IP).
 * The clock is a parameter so tests can drive it; buckets idle long enough to be full are
 * dropped so the map cannot grow without bound.
 */
export interface RateLimiter {
  /** Takes one token; returns 0 when allowed, else the seconds until one is available. */
  take(key: string): number;
}

export function createRateLimiter(ratePerSecond: number, burst: number, now: () => number): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  let lastSweep = now();
  const sweep = (t: number) => {
    if (t - lastSweep < 60_000) return;
    lastSweep = t;
    for (const [k, b] of buckets) if (b.tokens + ((t - b.at) / 1000) * ratePerSecond >= burst) buckets.delete(k);
  };
  return {
    take(key) {
      const t = now();
      sweep(t);
      const b = buckets.get(key) ?? { tokens: burst, at: t };
      b.tokens = Math.min(burst, b.tokens + ((t - b.at) / 1000) * ratePerSecond);
      b.at = t;
      buckets.set(key, b);
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return 0;
      }
      return Math.max(1, Math.ceil((1 - b.tokens) / ratePerSecond));
    },
  };
}
