/**
 * Runs the Ed25519 verifications of a large import on worker threads (node:crypto in each):
 * they are ~90% of the CPU of importing a log from scratch, and independent of each other.
 * The workers only answer "does this signature verify over these bytes with this key"; the
 * replay in @vet/core still decides which key is in force and what the entry means.
 * Small batches are left to the replay (starting workers costs more than it saves).
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { NotarySignatureJob, NotarySignatureLookup } from '@vet/core';

const MIN_PARALLEL_JOBS = 2_000;
const CHUNK = 2_000;

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

export async function preverifySignatures(jobs: readonly NotarySignatureJob[]): Promise<NotarySignatureLookup | undefined> {
  if (jobs.length < MIN_PARALLEL_JOBS) return undefined;
  const cpus = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  const workers = Array.from({ length: Math.max(1, Math.min(4, cpus)) }, () => new Worker(WORKER_SOURCE, { eval: true }));
  const results = new Map<string, boolean>();
  try {
    const chunks: NotarySignatureJob[][] = [];
    for (let i = 0; i < jobs.length; i += CHUNK) chunks.push(jobs.slice(i, i + CHUNK));
    let next = 0;
    await Promise.all(
      workers.map(async (w) => {
        while (next < chunks.length) {
          const chunk = chunks[next++]!;
          const out = await run(w, chunk);
          chunk.forEach((j, k) => results.set(`${j.index}:${j.sigIndex}:${j.publicKey}`, out[k] === 1));
        }
      }),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return (index, sigIndex, publicKey) => results.get(`${index}:${sigIndex}:${publicKey}`);
}

function run(w: Worker, chunk: NotarySignatureJob[]): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const onMessage = (out: Uint8Array) => {
      w.off('error', onError);
      resolve(out);
    };
    const onError = (e: Error) => {
      w.off('message', onMessage);
      reject(e);
    };
    w.once('message', onMessage);
    w.once('error', onError);
    w.postMessage({ keys: chunk.map((j) => j.publicKey), sigs: chunk.map((j) => j.sig), msgs: chunk.map((j) => j.msg) });
  });
}
