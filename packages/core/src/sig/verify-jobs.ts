/**
 * A batch of Ed25519 checks as four flat buffers: what crosses to a verifier worker.
 * Structured-cloning one object (and its Uint8Arrays) per check cost several per cent of an
 * event loop; fresh flat buffers are transferred, not copied.
 */
import type { Ed25519VerifyFn } from './ed25519.js';

export interface Ed25519Job {
  publicKey: Uint8Array;
  msg: Uint8Array;
  sig: Uint8Array;
}

export interface PackedJobs {
  /** 32 bytes per job. */
  keys: Uint8Array;
  /** 64 bytes per job (shorter signatures are zero-padded and marked in `bad`). */
  sigs: Uint8Array;
  /** Job i's message is msgs[offsets[i] .. offsets[i+1]). */
  msgs: Uint8Array;
  offsets: Uint32Array;
  /** 1 where the job's key or signature has the wrong length: false without checking. */
  bad: Uint8Array;
}

export function packJobs(jobs: readonly Ed25519Job[]): PackedJobs {
  const n = jobs.length;
  const keys = new Uint8Array(32 * n);
  const sigs = new Uint8Array(64 * n);
  const bad = new Uint8Array(n);
  const offsets = new Uint32Array(n + 1);
  for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i]! + jobs[i]!.msg.length;
  const msgs = new Uint8Array(offsets[n]!);
  jobs.forEach((j, i) => {
    if (j.publicKey.length !== 32 || j.sig.length !== 64) bad[i] = 1;
    else {
      keys.set(j.publicKey, 32 * i);
      sigs.set(j.sig, 64 * i);
    }
    msgs.set(j.msg, offsets[i]);
  });
  return { keys, sigs, msgs, offsets, bad };
}

/** The buffers to transfer with a PackedJobs message. */
export function transferList(p: PackedJobs): ArrayBuffer[] {
  return [p.keys, p.sigs, p.msgs, p.offsets, p.bad].map((a) => a.buffer as ArrayBuffer);
}

/** 1 per job that verifies, 0 otherwise. */
export function checkPacked(m: PackedJobs, check: Ed25519VerifyFn): Uint8Array {
  const n = m.offsets.length - 1;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (m.bad[i] === 1) continue;
    const sig = m.sigs.subarray(64 * i, 64 * i + 64);
    const key = m.keys.subarray(32 * i, 32 * i + 32);
    out[i] = check(sig, m.msgs.subarray(m.offsets[i], m.offsets[i + 1]), key) ? 1 : 0;
  }
  return out;
}
