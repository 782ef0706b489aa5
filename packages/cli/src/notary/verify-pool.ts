/**
 * Runs the Ed25519 verifications of a large import on worker threads (node:crypto in each):
 * they are most of the CPU of importing a log from scratch, and independent of each other.
 * The workers only answer "does this signature verify over these bytes with this key"; the
 * replay in @vet/core still decides which key is in force and what the entry means.
 * Chunks are posted as soon as they are listed, so parsing on the main thread overlaps
 * verification on the workers. Small batches are left to the replay (starting workers
 * costs more than it saves).
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { NotarySignatureJob, NotarySignatureLookup } from '@vet/core';

export const MIN_PARALLEL_ENTRIES = 2_000;

// CommonJS, node built-ins only: runs as an eval'd worker both from source (tests) and dist.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createPublicKey, verify } = require('node:crypto');
const SPKI = Buffer.from('302a300506032b6570032100', 'hex');
const L = Buffer.from('edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010', 'hex');
const keys = new Map();
function canonical(sig) { // RFC 8032 §5.1.7: S < L
  for (let i = 31; i >= 0; i--) { const s = sig[32 + i], l = L[i]; if (s !== l) return s < l; }
  return false;
}
parentPort.on('message', (m) => {
  const out = new Uint8Array(m.sigs.length);
  for (let i = 0; i < out.length; i++) {
    const b64 = m.keys[i];
    let key = keys.get(b64);
    if (key === undefined) {
      try { key = createPublicKey({ key: Buffer.concat([SPKI, Buffer.from(b64, 'base64')]), format: 'der', type: 'spki' }); } catch { key = null; }
      keys.set(b64, key);
    }
    const sig = m.sigs[i];
    try { out[i] = key !== null && sig.length === 64 && canonical(sig) && verify(null, m.msgs[i], key, sig) ? 1 : 0; } catch { out[i] = 0; }
  }
  parentPort.postMessage(out, [out.buffer]);
});
`;

export class VerifyPool {
  readonly #workers: Worker[];
  readonly #pending: ((out: Uint8Array) => void)[][];
  readonly #results = new Map<string, boolean>();
  readonly #done: Promise<void>[] = [];
  #next = 0;
  #failure: Error | undefined;

  constructor(threads = defaultThreads()) {
    this.#workers = Array.from({ length: threads }, () => new Worker(WORKER_SOURCE, { eval: true }));
    this.#pending = this.#workers.map(() => []);
    this.#workers.forEach((w, i) => {
      w.on('message', (out: Uint8Array) => this.#pending[i]!.shift()?.(out));
      w.on('error', (e) => {
        this.#failure = e;
        for (const r of this.#pending[i]!.splice(0)) r(new Uint8Array(0));
      });
    });
  }

  /** Queues a chunk on the next worker (round robin); results land in the lookup. */
  submit(jobs: readonly NotarySignatureJob[]): void {
    if (jobs.length === 0) return;
    const i = this.#next++ % this.#workers.length;
    this.#done.push(
      new Promise<void>((resolve) => {
        this.#pending[i]!.push((out) => {
          jobs.forEach((j, k) => {
            if (k < out.length) this.#results.set(`${j.index}:${j.sigIndex}:${j.publicKey}`, out[k] === 1);
          });
          resolve();
        });
      }),
    );
    this.#workers[i]!.postMessage({ keys: jobs.map((j) => j.publicKey), sigs: jobs.map((j) => j.sig), msgs: jobs.map((j) => j.msg) });
  }

  /** Waits for every chunk; signatures a crashed worker did not answer are verified by the replay. */
  async lookup(): Promise<NotarySignatureLookup> {
    await Promise.all(this.#done);
    const results = this.#results;
    return (index, sigIndex, publicKey) => results.get(`${index}:${sigIndex}:${publicKey}`);
  }

  async close(): Promise<void> {
    await Promise.all(this.#workers.map((w) => w.terminate()));
  }

  get failure(): Error | undefined {
    return this.#failure;
  }
}

function defaultThreads(): number {
  const cpus = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(4, cpus));
}
