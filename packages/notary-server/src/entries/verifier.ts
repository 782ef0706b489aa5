/**
 * Ed25519 signature checks for admission, inline or on a worker thread. Verification is the
 * largest single cost of a submission (~150–200 µs of OpenSSL per envelope on the 2-vCPU
 * build machine, 28 % of the event loop at concurrency 64 in a CPU profile), so the server
 * moves it off the event loop: the main thread keeps parsing requests and writing receipts
 * while the other core verifies. Checks requested in the same turn of the event loop travel
 * as ONE message of packed, transferred buffers (no per-entry structured clone).
 * Both variants are pure Ed25519 via OpenSSL, which enforces S < L (RFC 8032 §5.1.7).
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { Worker } from 'node:worker_threads';

export interface SignatureVerifier {
  verify(publicKey: Uint8Array, msg: Uint8Array, sig: Uint8Array): Promise<boolean>;
  close(): Promise<void>;
}

const SPKI_PREFIX_HEX = '302a300506032b6570032100';

// Shared by both variants (the worker gets it as source text): plain JS on purpose.
// KeyObjects are cached per raw key: building one costs more than the verify itself.
const VERIFY_FN = `(crypto) => {
  const SPKI = Buffer.from('${SPKI_PREFIX_HEX}', 'hex');
  const cache = new Map();
  return (pk, msg, sig) => {
    if (sig.length !== 64 || pk.length !== 32) return false;
    const id = Buffer.from(pk.buffer, pk.byteOffset, pk.byteLength).toString('hex');
    let key = cache.get(id);
    if (key === undefined) {
      key = crypto.createPublicKey({ key: Buffer.concat([SPKI, pk]), format: 'der', type: 'spki' });
      if (cache.size > 10000) cache.clear();
      cache.set(id, key);
    }
    try { return crypto.verify(null, msg, key, sig); } catch { return false; }
  };
}`;

type VerifyFn = (pk: Uint8Array, msg: Uint8Array, sig: Uint8Array) => boolean;
// eslint-disable-next-line @typescript-eslint/no-implied-eval -- same text the worker runs
const makeVerifyFn = new Function(`return ${VERIFY_FN}`)() as (crypto: { createPublicKey: typeof createPublicKey; verify: typeof verify }) => VerifyFn;

/** Synchronous check on the calling thread (CLI `verify`, tests, the inline verifier). */
export const verifyEd25519Sync: VerifyFn = makeVerifyFn({ createPublicKey, verify });

export function inlineVerifier(): SignatureVerifier {
  return { verify: async (pk, msg, sig) => verifyEd25519Sync(pk, msg, sig), close: async () => {} };
}

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const check = (${VERIFY_FN})(require('node:crypto'));
parentPort.on('message', (m) => {
  const n = m.offsets.length - 1;
  const ok = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    ok[i] = check(m.keys.subarray(32 * i, 32 * i + 32), m.msgs.subarray(m.offsets[i], m.offsets[i + 1]), m.sigs.subarray(64 * i, 64 * i + 64)) ? 1 : 0;
  }
  parentPort.postMessage(ok, [ok.buffer]);
});
`;

interface Job {
  pk: Uint8Array;
  msg: Uint8Array;
  sig: Uint8Array;
  resolve(ok: boolean): void;
}

/** Verifies on one worker thread; a dead worker falls back to verifying inline. */
export function workerVerifier(): SignatureVerifier {
  const worker = new Worker(WORKER_SOURCE, { eval: true });
  worker.unref(); // an idle verifier must not keep the process alive
  const inFlight: Job[][] = [];
  let queued: Job[] = [];
  let dead = false;
  let scheduled = false;
  worker.on('message', (ok: Uint8Array) => {
    const jobs = inFlight.shift() ?? [];
    jobs.forEach((j, i) => j.resolve(ok[i] === 1));
    if (queued.length > 0 && !scheduled) send();
  });
  worker.on('error', () => {
    dead = true;
    for (const jobs of inFlight.splice(0)) for (const j of jobs) j.resolve(verifyEd25519Sync(j.pk, j.msg, j.sig));
    if (queued.length > 0 && !scheduled) send();
  });
  const send = () => {
    scheduled = false;
    const jobs = queued;
    queued = [];
    if (dead) {
      for (const j of jobs) j.resolve(verifyEd25519Sync(j.pk, j.msg, j.sig));
      return;
    }
    const m = pack(jobs);
    inFlight.push(jobs);
    worker.postMessage(m, [m.keys, m.sigs, m.msgs, m.offsets].map((a) => a.buffer as ArrayBuffer));
  };
  return {
    verify(pk, msg, sig) {
      if (pk.length !== 32 || sig.length !== 64) return Promise.resolve(false);
      return new Promise((resolve) => {
        // One batch in flight at a time: what arrives meanwhile goes out as one message when
        // it returns, so batches grow with load and the worker is woken (a costly cross-
        // thread wake-up, ~9 % of the event loop when sent per turn) far less often.
        if (!scheduled && inFlight.length === 0) {
          scheduled = true;
          setImmediate(send);
        }
        queued.push({ pk, msg, sig, resolve });
      });
    },
    async close() {
      if (!dead) await worker.terminate();
    },
  };
}

/** One batch of checks as four fresh buffers, so they can be transferred, not copied. */
function pack(jobs: Job[]): { keys: Uint8Array; sigs: Uint8Array; msgs: Uint8Array; offsets: Uint32Array } {
  const keys = new Uint8Array(32 * jobs.length);
  const sigs = new Uint8Array(64 * jobs.length);
  const offsets = new Uint32Array(jobs.length + 1);
  jobs.forEach((j, i) => (offsets[i + 1] = (offsets[i] ?? 0) + j.msg.length));
  const msgs = new Uint8Array(offsets[jobs.length] ?? 0);
  jobs.forEach((j, i) => {
    keys.set(j.pk, 32 * i); // lengths were checked in verify()
    sigs.set(j.sig, 64 * i);
    msgs.set(j.msg, offsets[i]);
  });
  return { keys, sigs, msgs, offsets };
}
