#!/usr/bin/env node
// Notary throughput bench: durable submissions/s and time-to-receipt (p50/p99) at
// concurrency 1, 16, 64 and 256 (the last shows the server saturated), then reads/s of
// /checkpoint and of a full tile, against a real
// `vet-notary serve` child process on 127.0.0.1 with a temp data dir. Every submission is a
// distinct, freshly signed DSSE audit; a 200 answer means the entry was committed with
// fsync. Bounded: each phase stops at its request budget or its time limit.
// The client shares the server's cores, so it is kept cheap: every envelope is signed and
// serialised to request bytes before timing starts (with cached node:crypto keys), and each
// concurrent client owns one keep-alive connection of a lean HTTP/1.1 client
// (bench/lib/raw-http.mjs; undici cost ~4× its client CPU). Every response is read whole,
// and every 500th receipt is checked: its leaf hash is the submitted envelope's and its
// inclusion proof verifies against the signed checkpoint's root.
// Needs a build first (`pnpm exec tsc -b`).
// Usage: node bench/notary-bench.mjs [--quick] [--only=<concurrency>] [--against=<dist> [--rounds=N]]
// --against=<another build's packages/notary-server/dist> interleaves runs of this build and
// that one (head, base, head, base, … N rounds, each on a fresh server and data dir) and prints
// both builds' median submissions/s and server CPU µs/submission per phase: on a shared machine
// CPU per submission, measured minutes apart in the same run, is the figure to compare.
// --only=64 runs just that submission phase and no reads: for a CPU profile of one load.
// BENCH_SHOW_METRICS=1 also prints the server's batch histograms; BENCH_NOTARY_SEQUENCER and
// BENCH_NOTARY_DIST (below) are for A/B runs; VET_NOTARY_ED25519=openssl reaches the server.
// --postgres keeps the log in a fresh PostgreSQL database (created on VET_PG_URL, default
// postgres://root@127.0.0.1:5432/test, dropped at the end); --database=postgres://… uses that
// (empty) database instead. Either runs the c=64 and c=256 phases, then the failover
// measurement: two more `serve` instances on the same database, a c=16 load spread over the
// followers, kill -9 of the sequencer; reported: kill → new sequencer elected, and kill → the
// first receipt for a submission sent after the kill (only a new sequencer can commit it).
import { spawn } from 'node:child_process';
import { createHash, createPrivateKey, sign } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const against = process.argv.find((a) => a.startsWith('--against='))?.slice(10);
if (against !== undefined) {
  await interleave(against, Number(process.argv.find((a) => a.startsWith('--rounds='))?.slice(9) ?? 3));
  process.exit(0);
}
// BENCH_NOTARY_DIST=<a copy of an older dist> runs that build instead: A/B comparisons
// minutes apart on a shared machine say more than figures from different days.
const dist = process.env.BENCH_NOTARY_DIST ?? join(root, 'packages/notary-server/dist');
if (!existsSync(join(dist, 'index.js'))) {
  console.error('build first: pnpm exec tsc -b');
  process.exit(1);
}
const core = await import(join(root, 'packages/core/dist/index.js'));
const { RawConnection, serializeRequest } = await import('./lib/raw-http.mjs');
const notary = await import(join(dist, 'index.js'));

const quick = process.argv.includes('--quick');
const databaseArg = process.argv.find((a) => a.startsWith('--database='))?.slice(11);
const postgres = databaseArg !== undefined || process.argv.includes('--postgres');
const only = Number(process.argv.find((a) => a.startsWith('--only='))?.slice(7) ?? NaN);
const PHASES = [
  { concurrency: 1, maxRequests: quick ? 300 : 3000, maxSeconds: quick ? 3 : 8 },
  { concurrency: 16, maxRequests: quick ? 5000 : 40000, maxSeconds: quick ? 4 : 10 },
  { concurrency: 64, maxRequests: quick ? 8000 : 60000, maxSeconds: quick ? 4 : 12 },
  { concurrency: 256, maxRequests: quick ? 8000 : 60000, maxSeconds: quick ? 4 : 12 },
]
  .filter((p) => Number.isNaN(only) || p.concurrency === only)
  .filter((p) => !postgres || p.concurrency >= 64);
if (PHASES.length === 0) throw new Error('--only takes one of the phase concurrencies: 1, 16, 64, 256');
const READ_SECONDS = quick ? 2 : 4;
const results0 = {};
const extraChildren = [];
const AUDITORS = 8;
// One keep-alive socket per concurrent client of the busiest phase.
const CONNECTIONS = Math.max(...PHASES.map((p) => p.concurrency));

const dir = mkdtempSync(join(tmpdir(), 'vet-notary-bench-'));
let child;
const database = postgres ? await benchDatabase(databaseArg) : undefined;
try {
  if (database)
    await notary.initPgDataDir(dir, 'bench.invalid/vet/log', database.url, { listen: { host: '127.0.0.1', port: 0 } });
  else notary.initDataDir(dir, 'bench.invalid/vet/log', { listen: { host: '127.0.0.1', port: 0 } });
  const cfgPath = join(dir, 'notary.json');
  const cfg = JSON.parse(readFileSync(cfgPath, 'utf8'));
  // Every limit off, the per-address ones for unauthenticated reads too (an older build's
  // config has no such keys and ignores them): the bench measures the server, not its limiter.
  Object.assign(cfg.limits, {
    ratePerSecond: 1_000_000,
    burst: 1_000_000,
    maxPending: 100_000,
    ...(cfg.limits.anonymousRatePerSecond !== undefined && {
      anonymousRatePerSecond: 1_000_000,
      anonymousBurst: 1_000_000,
      lookupRatePerSecond: 1_000_000,
      lookupBurst: 1_000_000,
    }),
  });
  // BENCH_NOTARY_SEQUENCER='{"commitsInFlight":1}' overrides sequencer settings, for A/B runs.
  Object.assign(cfg.sequencer, JSON.parse(process.env.BENCH_NOTARY_SEQUENCER ?? '{}'));
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
  child = spawn(process.execPath, [...nodeArgs, join(dist, 'bin.js'), 'serve', dir, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await waitForUrl(dir, child);
  results0.database = database ? 'postgres' : 'sqlite';
  const pool = await Promise.all(Array.from({ length: CONNECTIONS }, () => RawConnection.open(url)));
  const logKey = await logVerifier(url);
  const results = {
    ...results0,
    machine: `${(await import('node:os')).cpus().length} CPUs, Node ${process.version}, load ${(await import('node:os')).loadavg()[0].toFixed(2)} at start`,
    submissions: [],
    reads: [],
  };
  let next = 0;
  for (const phase of PHASES) {
    const batch = envelopes.slice(next, next + phase.maxRequests);
    next += phase.maxRequests;
    const cpu = cpuMeter(child.pid);
    const phaseResult = await runPhase(pool, phase, (i) => batch[i], logKey);
    const r = { ...phaseResult, ...cpu(phaseResult.ok) };
    results.submissions.push(r);
    console.log(
      `submit  c=${String(phase.concurrency).padStart(2)}  ${r.perSecond.toFixed(0).padStart(6)}/s  p50 ${r.p50Ms.toFixed(1)} ms  p99 ${r.p99Ms.toFixed(1)} ms  ` +
        `(${r.ok} ok, ${r.failed} failed, ${r.receiptsChecked} receipts verified, ${r.seconds.toFixed(1)} s; CPU server ${r.serverCpu} = ${r.serverUsPerOp} µs/submission, client ${r.clientCpu})`,
    );
  }
  for (const path of Number.isNaN(only) ? ['/checkpoint', '/tile/0/000'] : []) {
    const r = await runReads(pool, path, 16, READ_SECONDS);
    results.reads.push(r);
    console.log(
      `read    ${path.padEnd(12)} c=16  ${r.perSecond.toFixed(0).padStart(6)}/s  p99 ${r.p99Ms.toFixed(1)} ms  (${r.ok} ok, ${r.failed} failed)`,
    );
  }
  const metrics = await (await fetch(`${url}/metrics`)).text();
  if (process.env.BENCH_SHOW_METRICS)
    console.log(
      metrics
        .split('\n')
        .filter((l) => l.startsWith('vet_notary_batch'))
        .join('\n'),
    );
  const pick = (name) => Number(new RegExp(`^${name} ([0-9.e+-]+)$`, 'm').exec(metrics)?.[1] ?? NaN);
  results.batches = {
    count: pick('vet_notary_batch_entries_count'),
    meanEntries: pick('vet_notary_batch_entries_sum') / pick('vet_notary_batch_entries_count'),
    meanCommitMs: (1000 * pick('vet_notary_batch_commit_seconds_sum')) / pick('vet_notary_batch_commit_seconds_count'),
  };
  console.log(
    `batches ${results.batches.count}, mean ${results.batches.meanEntries.toFixed(1)} entries, mean commit ${results.batches.meanCommitMs.toFixed(2)} ms (append + sign + fsync'd transaction)`,
  );
  for (const c of pool) c.close();
  if (database) {
    results.failover = await measureFailover(dir, child, auditors);
    console.log(
      `failover kill -9 of the sequencer → new sequencer elected ${results.failover.electedMs.toFixed(0)} ms, ` +
        `→ next receipt ${results.failover.nextReceiptMs.toFixed(0)} ms (load c=16 over 2 followers; ${results.failover.receipts} receipts)`,
    );
  }
  const outDir = join(root, 'bench/.out');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(
    process.env.BENCH_OUT ?? join(outDir, database ? 'notary-bench-postgres.json' : 'notary-bench.json'),
    JSON.stringify(results, null, 2),
  );
} finally {
  for (const c of [child, ...extraChildren])
    if (c && c.exitCode === null && c.signalCode === null) {
      c.kill('SIGTERM');
      await new Promise((r) => c.once('exit', r));
    }
  rmSync(dir, { recursive: true, force: true });
  await database?.drop();
}

/** A fresh database on the local PostgreSQL (dropped at the end), or the given URL as is. */
async function benchDatabase(url) {
  if (url !== undefined) return { url, drop: async () => {} };
  const { createRequire } = await import('node:module');
  const pg = createRequire(join(root, 'packages/notary-server/package.json'))('pg');
  const admin = process.env.VET_PG_URL ?? 'postgres://root@127.0.0.1:5432/test';
  const name = `vet_bench_${process.pid}_${Date.now()}`;
  const run = async (sql) => {
    const c = new pg.Client({ connectionString: admin });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await run(`CREATE DATABASE ${name}`);
  const u = new URL(admin);
  u.pathname = `/${name}`;
  return { url: u.toString(), drop: () => run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/**
 * Two more instances on the bench's database (data dirs with the same config and keys), a
 * c=16 load of fresh submissions over the two followers, kill -9 of the sequencer (`leader`,
 * the first instance: it was elected before the others started).
 */
async function measureFailover(dir, leader, auditors) {
  const { cpSync } = await import('node:fs');
  const urls = [];
  let electedAt;
  for (const name of ['f1', 'f2']) {
    const d = join(dir, name);
    mkdirSync(d);
    cpSync(join(dir, 'notary.json'), join(d, 'notary.json'));
    cpSync(join(dir, 'keys'), join(d, 'keys'), { recursive: true });
    const c = spawn(process.execPath, [join(dist, 'bin.js'), 'serve', d, '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    extraChildren.push(c);
    c.stderr.on('data', (b) => {
      if (String(b).includes('"sequencer_elected"')) electedAt ??= performance.now();
    });
    urls.push(await waitForUrl(d, c));
  }
  const envelopes = makeEnvelopes(auditors, 4000, 1_000_000);
  let next = 0;
  let killedAt = Infinity;
  let firstAfter = Infinity;
  let receipts = 0;
  let stop = false;
  const worker = async (w) => {
    while (!stop && next < envelopes.length) {
      const e = envelopes[next++];
      const sentAt = performance.now();
      try {
        const r = await fetch(`${urls[w % 2]}/v1/submit`, {
          method: 'POST',
          body: e.body,
          headers: { authorization: `Bearer ${e.token}` },
        });
        await r.arrayBuffer();
        if (r.status === 200) {
          receipts++;
          if (sentAt > killedAt) firstAfter = Math.min(firstAfter, performance.now());
        }
      } catch {
        /* refused connection */
      }
    }
  };
  const load = Promise.all(Array.from({ length: 16 }, (_, w) => worker(w)));
  while (receipts < 200) await new Promise((r) => setTimeout(r, 5));
  leader.kill('SIGKILL');
  killedAt = performance.now();
  while (firstAfter === Infinity && performance.now() - killedAt < 30_000) await new Promise((r) => setTimeout(r, 2));
  stop = true;
  await load;
  return { electedMs: (electedAt ?? NaN) - killedAt, nextReceiptMs: firstAfter - killedAt, receipts };
}

function makeEnvelopes(auditors, n, offset = 0) {
  // signDsse re-derives the private KeyObject per call (~0.7 ms); the bench signs ~100k
  // envelopes, so it signs the PAE itself with one cached KeyObject per auditor and checks
  // the first envelope against signDsse byte for byte (Ed25519 is deterministic).
  const keyObjects = auditors.map((a) =>
    createPrivateKey({
      key: Buffer.concat([PKCS8_ED25519_PREFIX, Buffer.from(a.keys.secretKey.subarray(0, 32))]),
      format: 'der',
      type: 'pkcs8',
    }),
  );
  const out = [];
  for (let i = offset; i < offset + n; i++) {
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
    const sig = sign(null, core.dssePae(core.IN_TOTO_PAYLOAD_TYPE, payload), keyObjects[i % auditors.length]).toString(
      'base64',
    );
    const env = {
      payload: Buffer.from(payload).toString('base64'),
      payloadType: core.IN_TOTO_PAYLOAD_TYPE,
      signatures: [{ keyid: a.keyid, sig }],
    };
    if (
      i === offset &&
      JSON.stringify(env) !==
        JSON.stringify(
          core.signDsse(payload, core.IN_TOTO_PAYLOAD_TYPE, { keyid: a.keyid, secretKey: a.keys.secretKey }),
        )
    ) {
      throw new Error('bench signing differs from core signDsse');
    }
    const body = Buffer.from(JSON.stringify(env));
    out.push({
      body,
      token: a.token,
      bytes: serializeRequest(
        'POST',
        '/v1/submit',
        { authorization: `Bearer ${a.token}`, 'content-type': 'application/json' },
        body,
      ),
    });
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

/** The log's checkpoint verifier key, from the server itself (what a consumer would pin). */
async function logVerifier(url) {
  const keys = await (await fetch(`${url}/v1/keys`)).json();
  return { origin: keys.origin, verifiers: keys.logKeys };
}

/**
 * A sampled receipt must be the real thing: the leaf hash of the bytes we sent, an inclusion
 * proof that reaches the root of a checkpoint signed by the log's key.
 */
function checkReceipt(body, sent, logKey) {
  const r = JSON.parse(body.toString('utf8'));
  if (r.leafHash !== Buffer.from(core.hashLeaf(sent)).toString('hex'))
    throw new Error(`receipt ${r.index}: leaf hash is not the submitted envelope's`);
  const cp = core.verifyCheckpoint(r.checkpoint, logKey.verifiers[0], { origin: logKey.origin });
  const proof = r.inclusionProof.map((h) => Buffer.from(h, 'base64'));
  if (cp.size !== r.treeSize || !core.verifyInclusion(core.hashLeaf(sent), r.index, r.treeSize, proof, cp.rootHash)) {
    throw new Error(`receipt ${r.index}: inclusion proof does not verify against the signed checkpoint`);
  }
}

async function runPhase(pool, { concurrency, maxRequests, maxSeconds }, get, logKey) {
  const lat = [];
  let i = 0;
  let failed = 0;
  let checked = 0;
  const start = performance.now();
  const deadline = start + maxSeconds * 1000;
  await Promise.all(
    pool.slice(0, concurrency).map(async (conn) => {
      while (i < maxRequests && performance.now() < deadline) {
        const n = i++;
        const e = get(n);
        const t0 = performance.now();
        const { status, body } = await conn.request(e.bytes).catch(() => ({ status: 0 }));
        if (status === 200) {
          lat.push(performance.now() - t0);
          if (n % 500 === 0) {
            checkReceipt(body, e.body, logKey);
            checked++;
          }
        } else failed++;
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  return {
    concurrency,
    ok: lat.length,
    failed,
    receiptsChecked: checked,
    seconds,
    perSecond: lat.length / seconds,
    ...percentiles(lat),
  };
}

async function runReads(pool, path, concurrency, maxSeconds) {
  const lat = [];
  let failed = 0;
  const bytes = serializeRequest('GET', path);
  const start = performance.now();
  const deadline = start + maxSeconds * 1000;
  await Promise.all(
    pool.slice(0, concurrency).map(async (conn) => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        const { status } = await conn.request(bytes).catch(() => ({ status: 0 }));
        if (status === 200) lat.push(performance.now() - t0);
        else failed++;
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  return { path, concurrency, ok: lat.length, failed, seconds, perSecond: lat.length / seconds, ...percentiles(lat) };
}

/**
 * CPU used by the server process (all threads, from /proc) and by this client since the
 * call, as a share of one core, and the server's CPU per successful operation: on a shared
 * 2-core machine wall-clock rates are noisy, CPU per submission is not.
 */
function cpuMeter(pid) {
  const ticks = () => {
    try {
      const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return Number(f[11]) + Number(f[12]); // utime + stime, in clock ticks (100/s)
    } catch {
      return NaN;
    }
  };
  // BENCH_THREADS=1 also prints the server's CPU per thread (from /proc/<pid>/task).
  const threads = () => {
    const out = new Map();
    try {
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        const f = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8').split(') ');
        const name = f[0].split(' (')[1];
        const t = f[1].split(' ');
        out.set(`${tid} ${name}`, Number(t[11]) + Number(t[12]));
      }
    } catch {
      /* the process is gone */
    }
    return out;
  };
  const t0 = performance.now();
  const s0 = ticks();
  const th0 = process.env.BENCH_THREADS ? threads() : undefined;
  const c0 = process.cpuUsage();
  return (ops) => {
    const wall = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    const server = (ticks() - s0) / 100;
    if (th0 !== undefined)
      for (const [k, v] of threads()) {
        const d = v - (th0.get(k) ?? 0);
        if (d > 0) console.log(`  thread ${k.padEnd(24)} ${Math.round((1e4 * d) / ops)} µs/submission`);
      }
    const pct = (x) => `${Math.round((100 * x) / wall)}%`;
    return {
      serverCpu: pct(server),
      serverUsPerOp: Math.round((1e6 * server) / ops),
      clientCpu: pct((c.user + c.system) / 1e6),
    };
  };
}

function percentiles(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q) => (s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.floor(q * s.length))]);
  return { p50Ms: at(0.5), p99Ms: at(0.99) };
}

/** Runs this bench alternately on this build and on `base`, then compares medians per phase. */
async function interleave(base, rounds) {
  const args = process.argv.slice(2).filter((a) => !a.startsWith('--against=') && !a.startsWith('--rounds='));
  const runs = { head: [], base: [] };
  const tmp = mkdtempSync(join(tmpdir(), 'vet-notary-ab-'));
  try {
    for (let r = 0; r < rounds; r++) {
      for (const build of ['head', 'base']) {
        const out = join(tmp, `${build}-${r}.json`);
        const env = { ...process.env, BENCH_OUT: out };
        if (build === 'base') env.BENCH_NOTARY_DIST = base;
        else delete env.BENCH_NOTARY_DIST;
        console.log(`-- round ${r + 1}/${rounds}: ${build}`);
        const child = spawn(process.execPath, [fileURLToPath(import.meta.url), ...args], { env, stdio: 'inherit' });
        await new Promise((res) => child.once('exit', res));
        runs[build].push(JSON.parse(readFileSync(out, 'utf8')));
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`\ninterleaved, ${rounds} rounds (median of each build's runs):`);
  for (const [i, phase] of runs.head[0].submissions.entries()) {
    const pick = (b, k) => median(runs[b].map((x) => x.submissions[i][k]));
    console.log(
      `submit  c=${String(phase.concurrency).padStart(3)}  head ${pick('head', 'perSecond').toFixed(0)}/s, ${pick('head', 'serverUsPerOp')} µs CPU/submission` +
        `   base ${pick('base', 'perSecond').toFixed(0)}/s, ${pick('base', 'serverUsPerOp')} µs CPU/submission`,
    );
  }
}
