/**
 * The worker thread of Ed25519VerifyPool: answers batches of "does this signature verify
 * over these bytes with this key" with one engine of ed25519.ts. A batch arrives as a few
 * transferred buffers (see packJobs) and the answer goes back as one transferred byte array.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ed25519Verifier, type Ed25519Engine } from './ed25519.js';
import { checkPacked, type PackedJobs } from './verify-jobs.js';

const check = ed25519Verifier((workerData as { engine: Ed25519Engine }).engine);
parentPort!.on('message', (m: PackedJobs) => {
  const out = checkPacked(m, check);
  parentPort!.postMessage(out, [out.buffer as ArrayBuffer]);
});
