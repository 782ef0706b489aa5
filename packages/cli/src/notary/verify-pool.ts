/**
 * Runs the Ed25519 verifications of an import on worker threads (node:crypto in each):
 * they are most of the CPU of importing a log from scratch, and independent of each other.
 * The workers only answer "does this signature verify over these bytes with this key"; the
 * replay in @vet/core still decides which key is in force and what the entry means.
 * A slice's signatures and messages travel as one transferred buffer (structured-cloning
 * thousands of small Uint8Arrays, each a view into an 8 KiB pool, was most of the cost of
 * posting). Small imports skip the pool (starting workers costs more than it saves).
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { NotarySignatureJob, NotarySignatureLookup } from '@vet/core';

export const MIN_PARALLEL_ENTRIES = 500;

// CommonJS, node built-ins only: runs as an eval'd worker both from source (tests) and dist.
// Message: { keys: base64[], keyOf: Uint32Array, bounds: Uint32Array, data: Uint8Array };
// job i = sig data[bounds[2i]..bounds[2i+1]), message data[bounds[2i+1]..bounds[2i+2]).
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createPublicKey, verify } = require('node:crypto');
const SPKI = Buffer.from('302a300506032b6570032100', 'hex');
const L = Buffer.from('edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010', 'hex');
const cache = new Map();
function keyOf(b64) {
  let key = cache.get(b64);
  if (key === undefined) {
    try { key = createPublicKey({ key: Buffer.concat([SPKI, Buffer.from(b64, 'base64')]), format: 'der', type: 'spki' }); } catch { key = null; }
    cache.set(b64, key);
  }
  return key;
}
function canonical(sig) { // RFC 8032 §5.1.7: S < L
  for (let i = 31; i >= 0; i--) { const s = sig[32 + i], l = L[i]; if (s !== l) return s < l; }
  return false;
}
parentPort.on('message', (m) => {
  const keys = m.keys.map(keyOf);
  const out = new Uint8Array(m.keyOf.length);
  for (let i = 0; i < out.length; i++) {
    const key = keys[m.keyOf[i]];
    const sig = m.data.subarray(m.bounds[2 * i], m.bounds[2 * i + 1]);
    const msg = m.data.subarray(m.bounds[2 * i + 1], m.bounds[2 * i + 2]);
    try { out[i] = key !== null && sig.length === 64 && canonical(sig) && verify(null, msg, key, sig) ? 1 : 0; } catch { out[i] = 0; }
  }
  parentPort.postMessage(out, [out.buffer]);
});
`;

/** The answers for one slice of entries [from, from + count). */
export class VerifiedSlice {
  readonly #from: number;
  readonly #jobs: readonly NotarySignatureJob[];
  readonly #out: Uint8Array;
  /** Entry i − from has jobs [#first[i − from], #first[i − from + 1]). */
  readonly #first: Uint32Array;

  constructor(from: number, count: number, jobs: readonly NotarySignatureJob[], out: Uint8Array) {
    this.#from = from;
    this.#jobs = jobs;
    this.#out = out;
    this.#first = new Uint32Array(count + 1);
    for (const j of jobs) this.#first[j.index - from + 1]! += 1;
    for (let i = 0; i < count; i++) this.#first[i + 1]! += this.#first[i]!;
  }

  /** undefined = not computed (e.g. a crashed worker): the replay verifies it itself. */
  readonly lookup: NotarySignatureLookup = (index, sigIndex, publicKey) => {
    const i = index - this.#from;
    if (i < 0 || i + 1 >= this.#first.length) return undefined;
    for (let k = this.#first[i]!; k < this.#first[i + 1]!; k++) {
      const j = this.#jobs[k]!;
      if (j.sigIndex === sigIndex && j.publicKey === publicKey)
        return k < this.#out.length ? this.#out[k] === 1 : undefined;
    }
    return undefined;
  };
}

export class VerifyPool {
  readonly #workers: Worker[];
  readonly #pending: ((out: Uint8Array) => void)[][];
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

  /** Queues the jobs of entries [from, from + count) on the next worker (round robin). */
  verify(from: number, count: number, jobs: readonly NotarySignatureJob[]): Promise<VerifiedSlice> {
    if (jobs.length === 0) return Promise.resolve(new VerifiedSlice(from, count, jobs, new Uint8Array(0)));
    const i = this.#next++ % this.#workers.length;
    const done = new Promise<VerifiedSlice>((resolve) =>
      this.#pending[i]!.push((out) => resolve(new VerifiedSlice(from, count, jobs, out))),
    );
    const msg = pack(jobs);
    this.#workers[i]!.postMessage(msg, [msg.data.buffer, msg.bounds.buffer, msg.keyOf.buffer]);
    return done;
  }

  async close(): Promise<void> {
    await Promise.all(this.#workers.map((w) => w.terminate()));
  }

  get failure(): Error | undefined {
    return this.#failure;
  }
}

function pack(jobs: readonly NotarySignatureJob[]): {
  keys: string[];
  keyOf: Uint32Array<ArrayBuffer>;
  bounds: Uint32Array<ArrayBuffer>;
  data: Uint8Array<ArrayBuffer>;
} {
  const keys: string[] = [];
  const keyIndex = new Map<string, number>();
  const keyOf = new Uint32Array(jobs.length);
  const bounds = new Uint32Array(2 * jobs.length + 1);
  let size = 0;
  jobs.forEach((j, i) => {
    let k = keyIndex.get(j.publicKey);
    if (k === undefined) keyIndex.set(j.publicKey, (k = keys.push(j.publicKey) - 1));
    keyOf[i] = k;
    bounds[2 * i] = size;
    size += j.sig.length;
    bounds[2 * i + 1] = size;
    size += j.msg.length;
  });
  bounds[2 * jobs.length] = size;
  const data = new Uint8Array(size);
  jobs.forEach((j, i) => {
    data.set(j.sig, bounds[2 * i]);
    data.set(j.msg, bounds[2 * i + 1]);
  });
  return { keys, keyOf, bounds, data };
}

function defaultThreads(): number {
  const cpus = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(4, cpus));
}
