/**
 * Which hosts are down, so one network failure per host ends a run's look-ups instead of
 * minutes of retries (a circuit breaker per origin). A host is marked down when a request to
 * it gives up at the network level (refused, DNS, reset, timeout after the retries) or when
 * `limit` network failures in a row — across all requests, with no answer in between — have
 * hit it. From then on every request to it fails at once with that first error. Any HTTP
 * answer (even a 500) proves the host is up and resets its count.
 *
 * One instance is shared by every client of a process (a CLI run); tests pass their own.
 */
import type { VetError } from '@vet/core';

export interface HostHealth {
  /** The error that took `origin` down, if it is down. */
  downError(origin: string): VetError | undefined;
  /** A network-level failure of one attempt; returns true when the host is now down. */
  failed(origin: string, error: VetError): boolean;
  /**
   * A request to `origin` gave up at the network level: the host is down. An earlier record
   * whose error is `replacing` (the same failure, said with less context) gives way to `error`.
   */
  markDown(origin: string, error: VetError, replacing?: VetError): void;
  /** An HTTP answer came back. */
  answered(origin: string): void;
}

export interface HostHealthOptions {
  /** Network failures in a row that mark a host down; default 4 (one request's whole budget). */
  limit?: number;
  /** How long a host stays down; default 10 minutes (a CLI run, not a server's lifetime). */
  downForMs?: number;
  now?: () => number;
}

export function createHostHealth(options: HostHealthOptions = {}): HostHealth {
  const limit = options.limit ?? 4;
  const downForMs = options.downForMs ?? 10 * 60_000;
  const now = options.now ?? Date.now;
  const streak = new Map<string, number>();
  const down = new Map<string, { error: VetError; until: number }>();
  const markDown = (origin: string, error: VetError, replacing?: VetError): void => {
    const d = down.get(origin);
    if (!d) down.set(origin, { error, until: now() + downForMs });
    else if (replacing !== undefined && d.error === replacing) d.error = error;
  };
  return {
    downError(origin) {
      const d = down.get(origin);
      if (d && d.until <= now()) {
        down.delete(origin);
        streak.delete(origin);
        return undefined;
      }
      return d?.error;
    },
    failed(origin, error) {
      const n = (streak.get(origin) ?? 0) + 1;
      streak.set(origin, n);
      if (n >= limit) markDown(origin, error);
      return down.has(origin);
    },
    markDown,
    answered(origin) {
      streak.delete(origin);
    },
  };
}

/** The process-wide instance the CLI's clients share. */
export const processHostHealth: HostHealth = createHostHealth();

/** `scheme://host:port` of a URL, the unit that is up or down. */
export function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}
