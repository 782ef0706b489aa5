#!/usr/bin/env node
// Notary throughput bench: durable submissions/s and time-to-receipt (p50/p99) at
// concurrency 1, 16 and 64, then reads/s of /checkpoint and of a full tile, against a real
// `vet-notary serve` child process on 127.0.0.1 with a temp data dir. Every submission is a
// distinct, freshly signed DSSE audit; a 200 answer means the entry was committed with
// fsync. Bounded: each phase stops at its request budget or its time limit.
// Needs a build first (`pnpm exec tsc -b`). Usage: node bench/notary-bench.mjs [--quick]
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'packages/notary-server/dist');
if (!existsSync(join(dist, 'index.js'))) {
  console.error('build first: pnpm exec tsc -b');
  process.exit(1);
}
const core = await import(join(root, 'packages/core/dist/index.js'));
const notary = await import(join(dist, 'index.js'));

const quick = process.argv.includes('--quick');
const PHASES = [
  { concurrency: 1, maxRequests: quick ? 300 : 3000, maxSeconds: quick ? 3 : 8 },
  { concurrency: 16, maxRequests: quick ? 5000 : 40000, maxSeconds: quick ? 4 : 10 },
  { concurrency: 64, maxRequests: quick ? 8000 : 60000, maxSeconds: quick ? 4 : 12 },
];
const READ_SECONDS = quick ? 2 : 4;
const AUDITORS = 8;

const dir = mkdtempSync(join(tmpdir(), 'vet-notary-bench-'));
let child;
try {
  notary.initDataDir(dir, 'bench.invalid/vet/log', { listen: { host: '127.0.0.1', port: 0 } });
  const cfgPath = join(dir, 'notary.json');
  const cfg = JSON.parse(readFileSync(cfgPath, 'utf8'));
  Object.assign(cfg.limits, { ratePerSecond: 1_000_000, burst: 1_000_000, maxPending: 100_000 });
  writeFileSync(cfgPath, JSON.stringify(cfg, null, 2));
  const auditors = [];
  for (let i = 0; i < AUDITORS; i++) {
    const keys = core.generateEd25519KeyPair();
    const r = await notary.addAuditor(dir, { name: `auditor-${i}`, publicKey: keys.publicKey });
    auditors.push({ keyid: r.keyid, keys, token: r.token, name: `auditor-${i}` });
  }
  const total = PHASES.reduce((n, p) => n + p.maxRequests, 0);
  process.stderr.write(`signing ${total} envelopes…\n`);
  const envelopes = makeEnvelopes(auditors, total);

  // BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the server.
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  child = spawn(process.execPath, [...nodeArgs, join(dist, 'bin.js'), 'serve', dir, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await waitForUrl(dir, child);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const results = { machine: `${(await import('node:os')).cpus().length} CPUs, Node ${process.version}`, submissions: [], reads: [] };
  let next = 0;
  for (const phase of PHASES) {
    const batch = envelopes.slice(next, next + phase.maxRequests);
    next += phase.maxRequests;
    const r = await runPhase(url, agent, phase, (i) => batch[i]);
    results.submissions.push(r);
    console.log(`submit  c=${String(phase.concurrency).padStart(2)}  ${r.perSecond.toFixed(0).padStart(6)}/s  p50 ${r.p50Ms.toFixed(1)} ms  p99 ${r.p99Ms.toFixed(1)} ms  (${r.ok} ok, ${r.failed} failed, ${r.seconds.toFixed(1)} s)`);
  }
  for (const path of ['/checkpoint', '/tile/0/000']) {
    const r = await runReads(url, agent, path, 16, READ_SECONDS);
    results.reads.push(r);
    console.log(`read    ${path.padEnd(12)} c=16  ${r.perSecond.toFixed(0).padStart(6)}/s  p99 ${r.p99Ms.toFixed(1)} ms  (${r.ok} ok, ${r.failed} failed)`);
  }
  const metrics = await (await fetch(`${url}/metrics`)).text();
  const pick = (name) => Number(new RegExp(`^${name} ([0-9.e+-]+)$`, 'm').exec(metrics)?.[1] ?? NaN);
  results.batches = {
    count: pick('vet_notary_batch_entries_count'),
    meanEntries: pick('vet_notary_batch_entries_sum') / pick('vet_notary_batch_entries_count'),
    meanCommitMs: (1000 * pick('vet_notary_batch_commit_seconds_sum')) / pick('vet_notary_batch_commit_seconds_count'),
  };
  console.log(`batches ${results.batches.count}, mean ${results.batches.meanEntries.toFixed(1)} entries, mean commit ${results.batches.meanCommitMs.toFixed(2)} ms (append + sign + fsync'd transaction)`);
  const outDir = join(root, 'bench/.out');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'notary-bench.json'), JSON.stringify(results, null, 2));
  agent.destroy();
} finally {
  if (child) {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
  rmSync(dir, { recursive: true, force: true });
}

function makeEnvelopes(auditors, n) {
  const out = [];
  for (let i = 0; i < n; i++) {
    const a = auditors[i % auditors.length];
    const version = `1.${Math.floor(i / 1000)}.${i % 1000}`;
    const integrity = `sha512-${createHash('sha512').update(`bench-pkg-${i}`).digest('base64')}`;
    const payload = core.makeAuditStatement({
      kind: 'audit',
      ecosystem: 'npm',
      package: `bench-pkg-${i % 500}`,
      version,
      criteria: ['safe-to-deploy'],
      who: a.name,
      notes: 'bench',
      digests: { [version]: integrity },
    });
    const env = core.signDsse(payload, core.IN_TOTO_PAYLOAD_TYPE, { keyid: a.keyid, secretKey: a.keys.secretKey });
    out.push({ body: Buffer.from(JSON.stringify(env)), token: a.token });
  }
  return out;
}

async function waitForUrl(dir, child) {
  const file = join(dir, 'sequencer.lock.url');
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error('server exited');
    if (existsSync(file)) return readFileSync(file, 'utf8').trim();
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('server did not start');
}

function request(url, agent, method, path, body, token) {
  return new Promise((resolve) => {
    const req = http.request(`${url}${path}`, { method, agent, headers: token ? { authorization: `Bearer ${token}`, 'content-length': body.length } : {} }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

async function runPhase(url, agent, { concurrency, maxRequests, maxSeconds }, get) {
  const lat = [];
  let i = 0;
  let failed = 0;
  const start = performance.now();
  const deadline = start + maxSeconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (i < maxRequests && performance.now() < deadline) {
        const e = get(i++);
        const t0 = performance.now();
        const status = await request(url, agent, 'POST', '/v1/submit', e.body, e.token);
        if (status === 200) lat.push(performance.now() - t0);
        else failed++;
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  return { concurrency, ok: lat.length, failed, seconds, perSecond: lat.length / seconds, ...percentiles(lat) };
}

async function runReads(url, agent, path, concurrency, maxSeconds) {
  const lat = [];
  let failed = 0;
  const start = performance.now();
  const deadline = start + maxSeconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        const status = await request(url, agent, 'GET', path);
        if (status === 200) lat.push(performance.now() - t0);
        else failed++;
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  return { path, concurrency, ok: lat.length, failed, seconds, perSecond: lat.length / seconds, ...percentiles(lat) };
}

function percentiles(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q) => (s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.floor(q * s.length))]);
  return { p50Ms: at(0.5), p99Ms: at(0.99) };
}
