/**
 * Ed25519 checks on worker threads (verify-worker.ts), one engine of ed25519.ts each.
 * Verification is the largest CPU cost of admitting a submission and of importing a log, and
 * independent per signature, so the notary's event loop and the CLI's replay hand it off:
 *   verify()       one check; checks asked for in the same turn of the event loop travel as
 *                  ONE message, and only one batch is in flight per worker, so batches grow
 *                  with load and a worker is woken once per batch (the notary).
 *   verifyBatch()  a whole list, round robin over the workers (an import).
 * Workers only answer "does it verify"; which key is in force is the state machine's call.
 * A worker that dies is replaced by checks on the calling thread with the same engine.
 */
import type { Worker } from 'node:worker_threads';
import { ed25519Verifier, type Ed25519Engine, type Ed25519VerifyFn } from './ed25519.js';
import { checkPacked, packJobs, transferList, type Ed25519Job } from './verify-jobs.js';
import { startWorker } from './worker-module.js';

export interface Ed25519PoolOptions {
  threads?: number;
  engine?: Ed25519Engine;
}

interface Lane {
  worker: Worker;
  /** Answers awaited, in the order the batches were posted. */
  waiting: ((out: Uint8Array | undefined) => void)[];
  dead: boolean;
}

interface Queued extends Ed25519Job {
  resolve(ok: boolean): void;
}

export class Ed25519VerifyPool {
  readonly engine: Ed25519Engine;
  readonly #lanes: Lane[];
  readonly #inline: Ed25519VerifyFn;
  #next = 0;
  #queued: Queued[] = [];
  #scheduled = false;

  constructor(options: Ed25519PoolOptions = {}) {
    this.engine = options.engine ?? 'openssl';
    this.#inline = ed25519Verifier(this.engine);
    this.#lanes = Array.from({ length: Math.max(1, options.threads ?? 1) }, () => {
      const worker = startWorker(import.meta.url, 'verify-worker', { engine: this.engine });
      worker.unref(); // an idle pool must not keep the process alive
      const lane: Lane = { worker, waiting: [], dead: false };
      worker.on('message', (out: Uint8Array) => lane.waiting.shift()?.(out));
      worker.on('error', () => {
        lane.dead = true;
        for (const w of lane.waiting.splice(0)) w(undefined);
      });
      return lane;
    });
  }

  /** One check, batched with the others asked for in this turn of the event loop. */
  verify(publicKey: Uint8Array, msg: Uint8Array, sig: Uint8Array): Promise<boolean> {
    if (publicKey.length !== 32 || sig.length !== 64) return Promise.resolve(false);
    return new Promise((resolve) => {
      this.#queued.push({ publicKey, msg, sig, resolve });
      if (!this.#scheduled && this.#lanes[0]!.waiting.length === 0) {
        this.#scheduled = true;
        setImmediate(() => this.#sendQueued());
      }
    });
  }

  /** 1 per job that verifies, 0 otherwise; on the next worker in turn. */
  async verifyBatch(jobs: readonly Ed25519Job[]): Promise<Uint8Array> {
    if (jobs.length === 0) return new Uint8Array(0);
    const lane = this.#lanes[this.#next++ % this.#lanes.length]!;
    return (await this.#post(lane, jobs)) ?? checkPacked(packJobs(jobs), this.#inline);
  }

  /** Workers that died (their checks then ran on the calling thread). */
  get deadWorkers(): number {
    return this.#lanes.filter((l) => l.dead).length;
  }

  async close(): Promise<void> {
    await Promise.all(this.#lanes.map((l) => l.worker.terminate()));
  }

  #sendQueued(): void {
    this.#scheduled = false;
    const jobs = this.#queued;
    this.#queued = [];
    void this.#post(this.#lanes[0]!, jobs).then((out) => {
      jobs.forEach((j, i) => j.resolve(out === undefined ? this.#inline(j.sig, j.msg, j.publicKey) : out[i] === 1));
      // What arrived while this batch was out goes as the next one.
      if (this.#queued.length > 0 && !this.#scheduled) this.#sendQueued();
    });
  }

  /** undefined when the worker is (or just went) dead. */
  #post(lane: Lane, jobs: readonly Ed25519Job[]): Promise<Uint8Array | undefined> {
    if (lane.dead) return Promise.resolve(undefined);
    const packed = packJobs(jobs);
    return new Promise((resolve) => {
      lane.waiting.push(resolve);
      lane.worker.postMessage(packed, transferList(packed));
    });
  }
}
