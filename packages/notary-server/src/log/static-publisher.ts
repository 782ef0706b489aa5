/**
 * Keeps `<data>/static/` in step with the log: at most one publication per interval, always
 * of the latest checkpoint. The first publication (start-up) is synchronous; later ones write
 * on the thread pool, one at a time, so the event loop keeps admitting while they fsync. A
 * failed publication (full disk, a file in the way) is kept as `error` — /readyz reports it,
 * since a CDN serving these files would go stale — and retried every interval until one
 * succeeds.
 */
import { publishStatic, publishStaticAsync, publishedSize, type PublishSource } from './publish.js';

export interface StaticPublisher {
  /** The last publication's failure, undefined once one succeeds. */
  readonly error: unknown;
  /** The log grew: publish within the interval. */
  dirty(): void;
  /** Publishes what is pending, stops the timer and waits for the run in progress. */
  stop(): Promise<void>;
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
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  let error: unknown;
  const schedule = (ms: number) => {
    if (dir !== undefined && timer === undefined && !stopped)
      timer = setTimeout(() => {
        timer = undefined; // only here and in stop: a run after a run must not lose a pending timer
        run();
      }, ms);
  };
  const succeeded = (size: number, at: number) => {
    published = size;
    if (error !== undefined) logEvent({ event: 'publish_recovered', size: at });
    error = undefined;
  };
  const failed = (e: unknown) => {
    if (error === undefined) logEvent({ event: 'publish_failed', error: String(e) });
    error = e;
    schedule(Math.max(intervalMs, RETRY_MIN_MS));
  };
  function run(): void {
    if (dir === undefined) return;
    if (running !== undefined) {
      again = true; // publish the newer state when this run ends
      return;
    }
    const l = latest();
    running = publishStaticAsync(dir, src, published, l.size, l.note)
      .then((size) => succeeded(size, l.size), failed)
      .finally(() => {
        running = undefined;
        if (again) {
          again = false;
          run();
        }
      });
  }
  if (dir !== undefined) {
    const l = latest();
    try {
      succeeded(publishStatic(dir, src, published, l.size, l.note), l.size);
    } catch (e) {
      failed(e);
    }
  }
  return {
    get error() {
      return error;
    },
    dirty: () => schedule(intervalMs),
    async stop() {
      if (timer !== undefined) {
        clearTimeout(timer);
        timer = undefined;
        if (error === undefined) run();
      }
      stopped = true;
      while (running !== undefined) await running;
    },
  };
}
