/**
 * Keeps the static copy (a directory or a bucket: static-target.ts) in step with the log: at
 * most one publication per interval, always of the latest published checkpoint (with its
 * witness cosignatures, when witnesses are configured). A directory's first publication
 * (start-up) is synchronous; later ones — and every one to a bucket — run asynchronously,
 * one at a time, so the event loop keeps admitting while they write. A failed publication
 * (full disk, a file in the way, an unreachable or refusing bucket) is kept as `error` —
 * /readyz reports it, since a CDN serving these files would go stale — and retried every
 * interval until one succeeds.
 */
import { publishStatic, publishStaticAsync, type PublishSource } from './publish.js';
import type { StaticTarget } from './static-target.js';

export interface StaticPublisher {
  /** The last publication's failure, undefined once one succeeds. */
  readonly error: unknown;
  /** The log grew (or its checkpoint got cosignatures): publish within the interval. */
  dirty(): void;
  /** Publishes what is pending, stops the timer and waits for the run in progress. */
  stop(): Promise<void>;
}

const RETRY_MIN_MS = 1000;

export function makeStaticPublisher(
  target: StaticTarget | undefined,
  intervalMs: number,
  src: PublishSource,
  latest: () => { size: number; note: string },
  logEvent: (e: Record<string, unknown>) => void,
  /** A target shared by several instances (a bucket) is written by the sequencing one only. */
  mayPublish: () => boolean = () => true,
): StaticPublisher {
  // Files up to the size of the checkpoint already there were written before it; unknown
  // (-1) for a bucket until the first run has asked it.
  let published = target?.sync ? Math.min(target.sync.publishedSize(), latest().size) : -1;
  let withKeys = true;
  let lastNote: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  let error: unknown;
  const schedule = (ms: number) => {
    if (target !== undefined && timer === undefined && !stopped)
      timer = setTimeout(() => {
        timer = undefined; // only here and in stop: a run after a run must not lose a pending timer
        run();
      }, ms);
  };
  const succeeded = (size: number, note: string) => {
    published = size;
    withKeys = false;
    lastNote = note;
    if (error !== undefined) logEvent({ event: 'publish_recovered', size, target: target?.where });
    error = undefined;
  };
  const failed = (e: unknown) => {
    if (error === undefined) logEvent({ event: 'publish_failed', error: String(e), target: target?.where });
    error = e;
    schedule(Math.max(intervalMs, RETRY_MIN_MS));
  };
  async function publishOnce(t: StaticTarget, l: { size: number; note: string }): Promise<number> {
    if (published < 0) published = Math.min(await t.publishedSize(), l.size);
    return publishStaticAsync(t, src, { fromSize: published, size: l.size, checkpoint: l.note, withKeys });
  }
  function run(): void {
    if (target === undefined || (target.sync === undefined && !mayPublish())) return;
    if (running !== undefined) {
      again = true; // publish the newer state when this run ends
      return;
    }
    const l = latest();
    if (l.note === lastNote) return;
    running = publishOnce(target, l)
      .then((size) => succeeded(size, l.note), failed)
      .finally(() => {
        running = undefined;
        if (again) {
          again = false;
          run();
        }
      });
  }
  if (target?.sync !== undefined) {
    const l = latest();
    try {
      succeeded(
        publishStatic(target, src, { fromSize: published, size: l.size, checkpoint: l.note, withKeys }),
        l.note,
      );
    } catch (e) {
      failed(e);
    }
  } else run();
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
