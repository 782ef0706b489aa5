/**
 * Keeps `<data>/static/` in step with the log: at most one publication per interval, always
 * of the latest checkpoint. A failed publication (full disk, a file in the way) is kept as
 * `error` — /readyz reports it, since a CDN serving these files would go stale — and retried
 * every interval until one succeeds.
 */
import { publishStatic, publishedSize, type PublishSource } from './publish.js';

export interface StaticPublisher {
  /** The last publication's failure, undefined once one succeeds. */
  readonly error: unknown;
  /** The log grew: publish within the interval. */
  dirty(): void;
  /** Publishes what is pending and stops the timer. */
  stop(): void;
}

const RETRY_MIN_MS = 1000;

export function makeStaticPublisher(
  dir: string | undefined,
  intervalMs: number,
  src: PublishSource,
  latest: () => { size: number; note: string },
  logEvent: (e: Record<string, unknown>) => void,
): StaticPublisher {
  // Files up to the size of the checkpoint already on disk were written before it.
  let published = dir === undefined ? 0 : Math.min(publishedSize(dir), latest().size);
  let timer: NodeJS.Timeout | undefined;
  let error: unknown;
  const schedule = (ms: number) => {
    if (dir !== undefined && timer === undefined) timer = setTimeout(run, ms);
  };
  function run(): void {
    timer = undefined;
    if (dir === undefined) return;
    const l = latest();
    try {
      published = publishStatic(dir, src, published, l.size, l.note);
      if (error !== undefined) logEvent({ event: 'publish_recovered', size: l.size });
      error = undefined;
    } catch (e) {
      if (error === undefined) logEvent({ event: 'publish_failed', error: String(e) });
      error = e;
      schedule(Math.max(intervalMs, RETRY_MIN_MS));
    }
  }
  run();
  return {
    get error() {
      return error;
    },
    dirty: () => schedule(intervalMs),
    stop() {
      if (timer !== undefined) {
        clearTimeout(timer);
        timer = undefined;
        if (error === undefined) run();
      }
    },
  };
}
