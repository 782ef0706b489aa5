#!/usr/bin/env node
// Notary client bench: time to import a 100,000-entry notary log from scratch (fetch every
// entry bundle, recompute the root, verify every DSSE signature against the auditor set in
// force, replay, translate, save the mirror state) and to refresh after 1,000 new entries,
// over real HTTP on 127.0.0.1. Also measures one Ed25519 verification with tweetnacl and
// with node:crypto on the log's own PAEs, which is how the verification path was chosen.
// The log is a genuine signed tlog-tiles log served by a small static server (building it
// through the notary server's submit path would take minutes); it is cached in the temp dir.
// Needs a build first (`pnpm exec tsc -b`). Usage: node bench/notary-import-bench.mjs [entries]
import { createHash, createPrivateKey, sign } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import os, { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const coreJs = join(root, 'packages/core/dist/index.js');
const refresherJs = join(root, 'packages/cli/dist/notary/refresher.js');
if (!existsSync(coreJs) || !existsSync(refresherJs)) {
  console.error('build first: pnpm exec tsc -b');
  process.exit(1);
}
// core's public API plus the internals this bench needs (a seeded log key, each Ed25519 engine).
const core = {
  ...(await import(coreJs)),
  ...(await import(join(root, 'packages/core/dist/tlog/note.js'))),
  ...(await import(join(root, 'packages/core/dist/sig/ed25519.js'))),
};
const { refreshNotaryImport } = await import(refresherJs);
const { createHttpClient } = await import(join(root, 'packages/cli/dist/registry/index.js'));

const BASE = Number(process.argv[2] ?? 100_000);
const EXTRA = 1_000;
const AUDITORS = 50;
const PACKAGES = 5_000;
const ORIGIN = 'bench.invalid/vet/log';
const TYPE = core.IN_TOTO_PAYLOAD_TYPE;

// ------------------------------------------------------------------ build (or reuse) the log
const seed = (label) => createHash('sha256').update(label).digest();
const keyObj = (s) =>
  createPrivateKey({
    key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), s]),
    format: 'der',
    type: 'pkcs8',
  });
const admin = core.ed25519KeyPairFromSeed(new Uint8Array(seed('admin')));
const adminKeyid = `vet-notary-admin:${createHash('sha256').update(admin.publicKey).digest('hex').slice(0, 16)}`;
const auditors = Array.from({ length: AUDITORS }, (_, i) => {
  const kp = core.ed25519KeyPairFromSeed(new Uint8Array(seed(`auditor-${i}`)));
  return {
    ...kp,
    key: keyObj(seed(`auditor-${i}`)),
    keyid: `vet-auditor:${createHash('sha256').update(kp.publicKey).digest('hex').slice(0, 16)}`,
    name: `Auditor ${i}`,
  };
});
const logKeys = core.noteSignerFromSeed(ORIGIN, new Uint8Array(seed('log')));

function env(payload, keyid, key) {
  const sig = sign(null, core.dssePae(TYPE, payload), key);
  return Buffer.from(
    JSON.stringify({
      payload: Buffer.from(payload).toString('base64'),
      payloadType: TYPE,
      signatures: [{ keyid, sig: sig.toString('base64') }],
    }),
  );
}

function buildLog(total) {
  const entries = [];
  const adminKey = keyObj(seed('admin'));
  for (const a of auditors)
    entries.push(
      env(
        core.makeAuditorStatement({ action: 'add', keyid: a.keyid, publicKey: a.publicKey, name: a.name }),
        adminKeyid,
        adminKey,
      ),
    );
  for (let i = entries.length; i < total; i++) {
    const a = auditors[i % AUDITORS];
    const pkg = `pkg-${i % PACKAGES}`;
    const version = `1.${Math.floor(i / PACKAGES)}.0`;
    const payload = core.makeAuditStatement({
      kind: 'audit',
      ecosystem: 'npm',
      package: pkg,
      version,
      criteria: ['safe-to-deploy'],
      who: a.name,
      digests: { [version]: `sha512-${createHash('sha512').update(`${pkg}@${version}`).digest('base64')}` },
      notes: 'Read the whole diff; no install scripts, no network access.',
    });
    entries.push(env(payload, a.keyid, a.key));
  }
  return entries;
}

const cacheFile = join(tmpdir(), `vet-notary-import-bench-${BASE + EXTRA}.bin`);
let entries;
const t0 = performance.now();
if (existsSync(cacheFile)) {
  const buf = readFileSync(cacheFile);
  entries = [];
  for (let at = 0; at < buf.length;) {
    const n = buf.readUInt32BE(at);
    entries.push(buf.subarray(at + 4, at + 4 + n));
    at += 4 + n;
  }
  console.log(`log: ${entries.length} entries from ${cacheFile}`);
} else {
  entries = buildLog(BASE + EXTRA);
  writeFileSync(
    cacheFile,
    Buffer.concat(
      entries.flatMap((e) => {
        const len = Buffer.alloc(4);
        len.writeUInt32BE(e.length);
        return [len, e];
      }),
    ),
  );
  console.log(
    `log: built ${entries.length} signed entries in ${((performance.now() - t0) / 1000).toFixed(1)} s (cached in ${cacheFile})`,
  );
}
const bytes = entries.reduce((s, e) => s + e.length, 0);
console.log(`     ${(bytes / entries.length).toFixed(0)} bytes per entry on average`);

// ------------------------------------------------------------------ serve it
let size = BASE;
const leafHashes = entries.map((e) => core.hashLeaf(e));
const checkpoints = new Map();
function checkpointAt(s) {
  if (!checkpoints.has(s))
    checkpoints.set(
      s,
      core.signNote(
        core.formatCheckpoint({ origin: ORIGIN, size: s, rootHash: core.rootOf(leafHashes.slice(0, s)) }),
        logKeys.signerKey,
      ),
    );
  return checkpoints.get(s);
}
checkpointAt(BASE);
checkpointAt(BASE + EXTRA);
const server = createServer((req, res) => {
  const path = (req.url ?? '/').slice(1);
  const send = (body) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
    res.end(body);
  };
  if (path === 'checkpoint') return send(Buffer.from(checkpointAt(size)));
  if (path === 'v1/keys')
    return send(
      Buffer.from(
        JSON.stringify({ admin: { keyid: adminKeyid, publicKey: Buffer.from(admin.publicKey).toString('base64') } }),
      ),
    );
  try {
    const t = core.parseTilePath(path);
    if (t.kind === 'entries' && t.index * 256 + t.width <= size)
      return send(Buffer.from(core.encodeEntryBundle(entries.slice(t.index * 256, t.index * 256 + t.width))));
  } catch {
    // not a tile path we serve: 404 below
  }
  res.writeHead(404).end();
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${server.address().port}`;

// ------------------------------------------------------------------ the consumer
const state = mkdtempSync(join(tmpdir(), 'vet-notary-import-state-'));
const http = createHttpClient({ retries: 0 });
const io = {
  out() {},
  err() {},
  isTTY: false,
  interactive: false,
  prompt: async () => '',
  now: () => new Date(),
  env: {},
};
const graph = {
  ecosystem: 'npm',
  lockfile: 'package-lock.json',
  format: 'bench',
  warnings: [],
  nodes: [
    {
      id: 'root',
      name: 'root',
      version: '1.0.0',
      source: { kind: 'workspace' },
      integrity: [],
      firstParty: true,
      workspaceMember: true,
      deps: [],
    },
  ],
};
for (let i = 0; i < 500; i++)
  graph.nodes.push({
    id: `pkg-${i}@1.0.0`,
    name: `pkg-${i}`,
    version: '1.0.0',
    source: { kind: 'registry' },
    integrity: [],
    firstParty: false,
    workspaceMember: false,
    deps: [],
  });
const store = core.emptyStore();
store.config.vet = { ecosystem: 'npm' };
store.config.imports = { bench: { url: [], exclude: [], criteriaMap: {}, notary: { url, key: logKeys.verifierKey } } };

async function timed(label) {
  const cpu0 = process.cpuUsage();
  const t = performance.now();
  const r = await refreshNotaryImport(
    { http, io, storeDir: state, stateDir: state },
    'bench',
    store.config.imports.bench,
    store,
    graph,
  );
  const wall = (performance.now() - t) / 1000;
  const cpu = process.cpuUsage(cpu0);
  console.log(
    `${label.padEnd(44)} ${wall.toFixed(2).padStart(7)} s wall  ${((cpu.user + cpu.system) / 1e6).toFixed(2).padStart(7)} s CPU  (${r.newEntries} entries verified and replayed)`,
  );
  console.log(
    `  phases (ms): ${Object.entries(r.timings)
      .map(([k, v]) => `${k} ${v.toFixed(0)}`)
      .join(', ')}`,
  );
  return wall;
}

const cpus = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
console.log(
  `machine: ${cpus} CPUs, load average ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')} (other processes compete for the same cores)`,
);
let scratch, incremental;
try {
  scratch = await timed(`import ${BASE} entries from scratch`);
  size = BASE + EXTRA;
  incremental = await timed(`refresh: ${EXTRA} new entries`);
  const kept = Object.keys(store.importsLock.audits.bench.audits).length;
  console.log(`imports.lock keeps audits of ${kept} packages (the graph's); mirror state in ${state}`);

  // Verification path: the same real PAEs through both implementations.
  const sample = entries.slice(AUDITORS, AUDITORS + 300).map((e) => {
    const j = JSON.parse(e.toString());
    const payload = Buffer.from(j.payload, 'base64');
    const a = auditors.find((x) => x.keyid === j.signatures[0].keyid);
    return { pae: core.dssePae(TYPE, payload), sig: Buffer.from(j.signatures[0].sig, 'base64'), pub: a.publicKey };
  });
  const perOp = (fn, n) => {
    const t = performance.now();
    for (let i = 0; i < n; i++) {
      const s = sample[i % sample.length];
      if (!fn(s.sig, s.pae, s.pub)) throw new Error('verification failed');
    }
    return (performance.now() - t) / n;
  };
  perOp(core.ed25519Verify, 200);
  const nodeMs = perOp(core.ed25519Verify, 3000);
  const naclMs = perOp(core.ed25519VerifyTweetnacl, 60);
  console.log(
    `Ed25519 verify, node:crypto: ${nodeMs.toFixed(3)} ms/op (${((nodeMs * BASE) / 1000).toFixed(1)} s per ${BASE})`,
  );
  console.log(
    `Ed25519 verify, tweetnacl:   ${naclMs.toFixed(3)} ms/op (${((naclMs * BASE) / 1000).toFixed(0)} s per ${BASE})  → the client verifies with node:crypto`,
  );
  console.log(
    JSON.stringify({
      cpus,
      loadAverage1m: +os.loadavg()[0].toFixed(2),
      entries: BASE,
      scratchSeconds: +scratch.toFixed(2),
      targetScratch: 15,
      refreshEntries: EXTRA,
      refreshSeconds: +incremental.toFixed(2),
      targetRefresh: 1,
      verifyMsNodeCrypto: +nodeMs.toFixed(3),
      verifyMsTweetnacl: +naclMs.toFixed(3),
    }),
  );
} finally {
  await http.close();
  server.close();
  rmSync(state, { recursive: true, force: true });
}
