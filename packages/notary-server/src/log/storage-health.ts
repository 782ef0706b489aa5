/**
 * Whether the log's storage takes writes. After a failed commit (a full disk, an I/O
 * error) the notary refuses submissions with 503 and reports not ready, and probes the
 * database with a tiny durable write transaction every interval; the first probe that
 * commits clears the failure, so the server recovers by itself once space returns.
 */
export class StorageHealth {
  #error: unknown;
  #timer: NodeJS.Timeout | undefined;
  readonly #probe: () => void;
  readonly #intervalMs: number;
  readonly #log: (e: Record<string, unknown>) => void;

  constructor(probe: () => void, intervalMs: number, log: (e: Record<string, unknown>) => void) {
    this.#probe = probe;
    this.#intervalMs = intervalMs;
    this.#log = log;
  }

  /** The failure in force, undefined when storage takes writes. */
  get error(): unknown {
    return this.#error;
  }

  failed(e: unknown): void {
    this.#error = e;
    this.#timer ??= setInterval(() => this.#check(), this.#intervalMs);
    this.#timer.unref();
  }

  #check(): void {
    try {
      this.#probe();
    } catch {
      return; // still failing
    }
    this.#log({ event: 'storage_recovered' });
    this.#error = undefined;
    this.stop();
  }

  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
