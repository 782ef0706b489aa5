/**
 * Runs the Ed25519 verifications of an import on core's worker pool (libsodium where it
 * loads, else node:crypto — core's encoding rule runs before either, so they decide alike):
 * they are most of the CPU of importing a log from scratch, and independent of each other.
 * The workers only answer "does this signature verify over these bytes with this key"; the
 * replay in @vet/core still decides which key is in force and what the entry means.
 * A slice's checks travel as a few transferred buffers (core's verify-jobs.ts). Small imports
 * skip the pool (starting workers costs more than it saves).
 */
import os from 'node:os';
import { Ed25519VerifyPool, ed25519Engine, type NotarySignatureJob, type NotarySignatureLookup } from '@vet/core';

export const MIN_PARALLEL_ENTRIES = 500;

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

/**
 * Core's Ed25519 worker pool, answering per slice: libsodium where the optional addon loads
 * (~55 µs per check here against OpenSSL's ~120 µs), else OpenSSL.
 */
export class VerifyPool {
  readonly #pool: Ed25519VerifyPool;

  constructor(threads = defaultThreads()) {
    this.#pool = new Ed25519VerifyPool({ threads, engine: ed25519Engine() });
  }

  /** Checks the jobs of entries [from, from + count) on the next worker (round robin). */
  async verify(from: number, count: number, jobs: readonly NotarySignatureJob[]): Promise<VerifiedSlice> {
    const out = await this.#pool.verifyBatch(jobs.map((j) => ({ publicKey: j.key, msg: j.msg, sig: j.sig })));
    return new VerifiedSlice(from, count, jobs, out);
  }

  async close(): Promise<void> {
    await this.#pool.close();
  }
}

function defaultThreads(): number {
  const cpus = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(4, cpus));
}
