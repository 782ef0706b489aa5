// Ed25519 verification throughput: node:crypto (OpenSSL) vs tweetnacl, both with the S < L check.
// Run from the repo root (TypeScript source via tsx):
//   node --import tsx packages/core/src/sig/bench/ed25519-verify.mjs [seconds-per-case]
// Prints one line per case and a JSON summary; numbers depend on the machine and its load.
import { randomBytes } from 'node:crypto';
import nacl from 'tweetnacl';
import { ed25519KeyPairFromSeed, ed25519Sign, ed25519Verify, ed25519VerifyTweetnacl } from '../ed25519.ts';

const seconds = Number(process.argv[2] ?? 2);
const KEYS = 64;
const pairs = Array.from({ length: KEYS }, () => {
  const kp = ed25519KeyPairFromSeed(new Uint8Array(randomBytes(32)));
  const msg = new Uint8Array(randomBytes(300)); // about a checkpoint or a DSSE PAE prefix
  return { ...kp, msg, sig: ed25519Sign(msg, kp.secretKey) };
});

/**
 * Runs fn(i) for ~`seconds` of wall time; returns operations per second of wall time and per
 * second of this process's CPU time (the second is steadier on a shared, loaded machine).
 */
function rate(name, fn) {
  for (let i = 0; i < 20; i++) fn(i); // warm up
  let ops = 0;
  const cpu0 = process.cpuUsage();
  const start = process.hrtime.bigint();
  const budget = BigInt(Math.round(seconds * 1e9));
  let elapsed = 0n;
  while (elapsed < budget) {
    for (let j = 0; j < 10; j++) fn(ops++);
    elapsed = process.hrtime.bigint() - start;
  }
  const cpu = process.cpuUsage(cpu0);
  const wall = ops / (Number(elapsed) / 1e9);
  const perCpu = ops / ((cpu.user + cpu.system) / 1e6);
  console.log(
    `${name.padEnd(44)} ${wall.toFixed(0).padStart(8)} ops/s wall  ${perCpu.toFixed(0).padStart(8)} ops/s cpu  ${(1000 / perCpu).toFixed(3)} ms cpu/op`,
  );
  return { wall: Math.round(wall), cpu: Math.round(perCpu) };
}

const check = (ok) => {
  if (!ok) throw new Error('verification failed during benchmark');
};
const results = {
  node: process.version,
  cpus: (await import('node:os')).cpus().length,
  secondsPerCase: seconds,
  verifyNodeCrypto: rate('verify node:crypto (64 keys, cached KeyObject)', (i) => {
    const p = pairs[i % KEYS];
    check(ed25519Verify(p.sig, p.msg, p.publicKey));
  }),
  verifyTweetnacl: rate('verify tweetnacl (+ S < L check)', (i) => {
    const p = pairs[i % KEYS];
    check(ed25519VerifyTweetnacl(p.sig, p.msg, p.publicKey));
  }),
  signNodeCrypto: rate('sign node:crypto', (i) => {
    const p = pairs[i % KEYS];
    ed25519Sign(p.msg, p.secretKey);
  }),
  signTweetnacl: rate('sign tweetnacl', (i) => {
    const p = pairs[i % KEYS];
    nacl.sign.detached(p.msg, p.secretKey);
  }),
};
results.verifySpeedupCpu = Number((results.verifyNodeCrypto.cpu / results.verifyTweetnacl.cpu).toFixed(1));
results.cpuMinutesFor100kVerifiesTweetnacl = Number((100_000 / results.verifyTweetnacl.cpu / 60).toFixed(1));
results.cpuSecondsFor100kVerifiesNodeCrypto = Number((100_000 / results.verifyNodeCrypto.cpu).toFixed(1));
console.log(JSON.stringify(results));
