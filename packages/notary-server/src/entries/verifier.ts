/**
 * Ed25519 signature checks for admission, inline or on a worker thread. Verification is the
 * largest single cost of a submission, so the server moves it off the event loop: the main
 * thread keeps parsing requests and writing receipts while the other core verifies. Checks
 * requested in the same turn of the event loop travel as ONE message of packed, transferred
 * buffers (no per-entry structured clone).
 *
 * Two engines, the same verdicts: libsodium (`sodium-native`, prebuilt, ~80–100 µs per check
 * here) when it loads, else OpenSSL through node:crypto (~150–170 µs; Node's OpenSSL 3.0
 * Ed25519 is the slower of the two). Both enforce S < L (RFC 8032 §5.1.7), so the
 * non-canonical signatures tweetnacl accepts are refused either way; libsodium also refuses
 * small-order and non-canonical public keys and R, so what it admits is a subset of what
 * OpenSSL — and therefore every consumer's `vet`, which verifies with node:crypto — accepts.
 * verifier.test.ts runs both engines over the shared RFC 8032 vectors.
 * `VET_NOTARY_ED25519=openssl` forces OpenSSL (A/B measurements, a platform where the addon
 * misbehaves).
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

export type Ed25519Engine = 'libsodium' | 'openssl';

export interface SignatureVerifier {
  verify(publicKey: Uint8Array, msg: Uint8Array, sig: Uint8Array): Promise<boolean>;
  close(): Promise<void>;
}

const SPKI_PREFIX_HEX = '302a300506032b6570032100';

// Shared by both variants (the worker gets it as source text): plain JS on purpose.
// With `sodium` (the loaded addon) libsodium checks; else OpenSSL, with KeyObjects cached per
// raw key: building one costs more than the verify itself.
const VERIFY_FN = `(crypto, sodium) => {
  const view = (u8) => Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength);
  if (sodium) {
    return (pk, msg, sig) => sig.length === 64 && pk.length === 32 && sodium.crypto_sign_verify_detached(view(sig), view(msg), view(pk));
  }
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
interface Sodium {
  crypto_sign_verify_detached(sig: Buffer, msg: Buffer, pk: Buffer): boolean;
}
// eslint-disable-next-line @typescript-eslint/no-implied-eval -- same text the worker runs
const makeVerifyFn = new Function(`return ${VERIFY_FN}`)() as (
  crypto: { createPublicKey: typeof createPublicKey; verify: typeof verify },
  sodium?: Sodium,
) => VerifyFn;

const requireHere = createRequire(import.meta.url);
let sodiumPath: string | null | undefined;

/** Where `sodium-native` loads from, or undefined when it is absent or will not load here. */
function loadableSodium(): string | undefined {
  if (sodiumPath === undefined) {
    try {
      const path = requireHere.resolve('sodium-native');
      const mod = requireHere(path) as Partial<Sodium>;
      sodiumPath = typeof mod.crypto_sign_verify_detached === 'function' ? path : null;
    } catch {
      sodiumPath = null;
    }
  }
  return sodiumPath ?? undefined;
}

/** The engine to use: `prefer`, else VET_NOTARY_ED25519, else libsodium when it loads. */
export function ed25519Engine(prefer?: Ed25519Engine): Ed25519Engine {
  const want = prefer ?? (process.env.VET_NOTARY_ED25519 === 'openssl' ? 'openssl' : undefined);
  if (want === 'openssl') return 'openssl';
  return loadableSodium() !== undefined ? 'libsodium' : 'openssl';
}

const syncFns = new Map<Ed25519Engine, VerifyFn>();

/** A synchronous check on the calling thread with the given engine (default: ed25519Engine()). */
export function ed25519VerifierSync(engine: Ed25519Engine = ed25519Engine()): VerifyFn {
  let fn = syncFns.get(engine);
  if (fn === undefined) {
    const sodium = engine === 'libsodium' ? (requireHere(loadableSodium() ?? 'sodium-native') as Sodium) : undefined;
    fn = makeVerifyFn({ createPublicKey, verify }, sodium);
    syncFns.set(engine, fn);
  }
  return fn;
}

/** Synchronous check on the calling thread (CLI `verify`, tests, the inline verifier). */
let defaultCheck: VerifyFn | undefined;
export const verifyEd25519Sync: VerifyFn = (pk, msg, sig) => (defaultCheck ??= ed25519VerifierSync())(pk, msg, sig);

export function inlineVerifier(engine?: Ed25519Engine): SignatureVerifier {
  const check = ed25519VerifierSync(ed25519Engine(engine));
  return { verify: async (pk, msg, sig) => check(pk, msg, sig), close: async () => {} };
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
let sodium;
try { sodium = workerData.sodium ? require(workerData.sodium) : undefined; } catch { sodium = undefined; }
const check = (${VERIFY_FN})(require('node:crypto'), sodium);
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
export function workerVerifier(engine?: Ed25519Engine): SignatureVerifier {
  const chosen = ed25519Engine(engine);
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { sodium: chosen === 'libsodium' ? loadableSodium() : undefined },
  });
  const fallback = ed25519VerifierSync(chosen);
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
    for (const jobs of inFlight.splice(0)) for (const j of jobs) j.resolve(fallback(j.pk, j.msg, j.sig));
    if (queued.length > 0 && !scheduled) send();
  });
  const send = () => {
    scheduled = false;
    const jobs = queued;
    queued = [];
    if (dead) {
      for (const j of jobs) j.resolve(fallback(j.pk, j.msg, j.sig));
      return;
    }
    const m = pack(jobs);
    inFlight.push(jobs);
    worker.postMessage(
      m,
      [m.keys, m.sigs, m.msgs, m.offsets].map((a) => a.buffer as ArrayBuffer),
    );
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
