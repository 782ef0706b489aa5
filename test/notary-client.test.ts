/**
 * The notary client against real servers on 127.0.0.1: the real notary for the happy path,
 * incremental refresh, revocation, content binding and a wrong key; a static tlog-tiles
 * server holding a genuinely signed log for the misbehaving-notary cases (tampered entry,
 * rollback, fork, stale checkpoint, non-canonical signature). Every refusal must carry its
 * code and evidence and write nothing: neither the store copy nor the user state dir.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  NOTE_ALG_COSIGNATURE_V1,
  generateNoteSigner,
  makeAuditStatement,
  resolve,
  type DependencyGraph,
  type Store,
} from '@vet/core';
import type { CommandIO } from '../packages/cli/src/io.js';
import { createHttpClient } from '../packages/cli/src/registry/index.js';
import { refreshNotaryImport } from '../packages/cli/src/notary/refresher.js';
import { notaryStateDir } from '../packages/cli/src/notary/state-dir.js';
import {
  ORIGIN,
  audit,
  envelope,
  integrity,
  notaryImport,
  npmGraph,
  startRealNotary,
  startStaticLog,
  storeWith,
  tempDir,
  type Auditor,
  type RealNotary,
} from '@vet/test-support/notary-fixtures';

const http = createHttpClient({ retries: 0 });
const cleanups: (() => void | Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
  await http.close();
});

function io(now = new Date()): CommandIO & { errText: () => string } {
  let err = '';
  return {
    out: () => {},
    err: (t) => void (err += t),
    isTTY: false,
    interactive: false,
    prompt: async () => '',
    now: () => now,
    env: {},
    errText: () => err,
  };
}

function stateRoot(): string {
  const t = tempDir('vet-state-');
  cleanups.push(t.cleanup);
  return t.dir;
}

async function refresh(
  store: Store,
  graph: DependencyGraph,
  stateDir: string,
  opts: { name?: string; now?: Date } = {},
) {
  const name = opts.name ?? 'notary';
  return refreshNotaryImport(
    { http, io: io(opts.now), storeDir: '/nonexistent', stateDir },
    name,
    store.config.imports[name]!,
    store,
    graph,
  );
}

/** Runs a refresh that must fail; checks that the store and the state dir are unchanged. */
async function refused(store: Store, graph: DependencyGraph, stateDir: string, opts: { now?: Date } = {}) {
  const before = structuredClone(store);
  const mirror = join(notaryStateDir(stateDir, ORIGIN), 'head.json');
  const saved = existsSync(mirror) ? readFileSync(mirror, 'utf8') : undefined;
  const error = await refresh(store, graph, stateDir, opts).then(
    () => undefined,
    (e: unknown) => e as { code: string; message: string; details?: Record<string, unknown> },
  );
  expect(error, 'refresh should have been refused').toBeDefined();
  expect(store).toEqual(before);
  expect(existsSync(mirror) ? readFileSync(mirror, 'utf8') : undefined).toBe(saved);
  return error!;
}

describe('with a real notary server', () => {
  let n: RealNotary;
  let alice: Auditor;
  beforeAll(async () => {
    n = await startRealNotary();
    cleanups.push(() => n.close());
    alice = await n.addAuditor('Alice <alice@example.com>');
  });

  it('happy path: auditor submits → consumer imports → check passes; then an incremental refresh', async () => {
    const r = await n.submit(envelope(alice, audit('left-pad', '1.3.0')), alice.token!);
    expect(r.status).toBe(200);
    const store = storeWith({ notary: notaryImport(n.url, n.vkey) });
    const graph = npmGraph({ 'left-pad': '1.3.0', 'is-odd': '3.0.1' });
    const state = stateRoot();
    const first = await refresh(store, graph, state);
    expect(first.newEntries).toBe(2); // auditor-add + audit
    expect(store.importsLock.audits['notary']?.audits['left-pad']?.[0]).toMatchObject({
      kind: 'full',
      version: '1.3.0',
      who: ['Alice <alice@example.com>'],
      criteria: ['safe-to-deploy'],
      digests: { '1.3.0': integrity('left-pad@1.3.0') },
    });
    expect(store.importsLock.notaryCheckpoints?.['notary']).toMatch(/^notary\.test\/vet\/log\n2\n/);
    const report = resolve({ graph, store });
    expect(report.failures.map((f) => f.node.name)).toEqual(['is-odd']);
    expect(report.vettedFully.map((x) => x.name)).toEqual(['left-pad']);
    expect(report.digestMismatches).toEqual([]);

    // Incremental: only the new tail is fetched and replayed.
    expect((await n.submit(envelope(alice, audit('is-odd', '3.0.1')), alice.token!)).status).toBe(200);
    const second = await refresh(store, graph, state);
    expect(second.newEntries).toBe(1);
    expect(resolve({ graph, store }).conclusion).toBe('success');
    const saved = readFileSync(join(notaryStateDir(state, ORIGIN), 'latest'), 'utf8');
    expect(saved).toBe(store.importsLock.notaryCheckpoints?.['notary']);
  });

  it('a revoked approval no longer vets the package', async () => {
    const r = await n.submit(envelope(alice, audit('revoke-me', '2.0.0')), alice.token!);
    expect(r.status).toBe(200);
    const store = storeWith({ notary: notaryImport(n.url, n.vkey) });
    const graph = npmGraph({ 'revoke-me': '2.0.0' });
    const state = stateRoot();
    await refresh(store, graph, state);
    expect(resolve({ graph, store }).conclusion).toBe('success');
    const revocation = makeAuditStatement({
      kind: 'revocation',
      ecosystem: 'npm',
      package: 'revoke-me',
      criteria: [],
      who: alice.name,
      digests: {},
      revokes: r.json.leafHash,
    });
    const { signDsse, IN_TOTO_PAYLOAD_TYPE } = await import('@vet/core');
    const env = Buffer.from(
      JSON.stringify(
        signDsse(revocation, IN_TOTO_PAYLOAD_TYPE, { keyid: alice.keyid, secretKey: alice.keys.secretKey }),
      ),
    );
    expect((await n.submit(env, alice.token!)).status).toBe(200);
    await refresh(store, graph, state);
    expect(store.importsLock.audits['notary']?.audits['revoke-me']).toBeUndefined();
    const report = resolve({ graph, store });
    expect(report.conclusion).toBe('fail (vetting)');
  });

  it('content binding: an approval for other bytes of the same version vets nothing and names both digests', async () => {
    expect((await n.submit(envelope(alice, audit('bound', '1.0.0')), alice.token!)).status).toBe(200);
    const store = storeWith({ notary: notaryImport(n.url, n.vkey) });
    const lockfileSri = integrity('evil bytes');
    const graph = npmGraph({ bound: { version: '1.0.0', integrity: lockfileSri } });
    await refresh(store, graph, stateRoot());
    const report = resolve({ graph, store });
    expect(report.conclusion).toBe('fail (vetting)');
    expect(report.digestMismatches).toEqual([
      {
        importName: 'notary',
        package: 'bound',
        version: '1.0.0',
        approved: integrity('bound@1.0.0'),
        lockfile: [lockfileSri],
        nodeIds: ['bound@1.0.0'],
      },
    ]);
  });

  it('a wrong verifier key is refused (SIGNATURE_INVALID) and writes nothing', async () => {
    const wrong = generateNoteSigner(ORIGIN).verifierKey;
    const store = storeWith({ notary: notaryImport(n.url, wrong) });
    const state = stateRoot();
    const e = await refused(store, npmGraph({ 'left-pad': '1.3.0' }), state);
    expect(e.code).toBe('SIGNATURE_INVALID');
    expect(existsSync(notaryStateDir(state, ORIGIN))).toBe(false);
  });

  it('a fork of the real notary (its key signing another tree of the same size) is refused with both checkpoints', async () => {
    const store = storeWith({ notary: notaryImport(n.url, n.vkey) });
    const graph = npmGraph({ 'left-pad': '1.3.0' });
    const state = stateRoot();
    await refresh(store, graph, state);
    const size = Number(store.importsLock.notaryCheckpoints!['notary']!.split('\n')[1]);
    const evil = await startStaticLog({ signerKey: n.signerKey });
    cleanups.push(() => evil.close());
    const mallory = evil.addAuditor('Mallory');
    while (evil.entries.length < size) evil.append(envelope(mallory, audit('left-pad', `9.9.${evil.entries.length}`)));
    store.config.imports['notary'] = notaryImport(evil.url, n.vkey);
    const e = await refused(store, graph, state);
    expect(e.code).toBe('LOG_INCONSISTENT');
    expect(e.message).toMatch(/forked/);
    expect(e.details).toMatchObject({
      kind: 'fork',
      trusted: store.importsLock.notaryCheckpoints!['notary'],
      received: evil.checkpoint(),
    });
  });
});

describe('with a misbehaving notary (static log, genuinely signed)', () => {
  async function log() {
    const l = await startStaticLog();
    cleanups.push(() => l.close());
    const bob = l.addAuditor('Bob <bob@example.com>');
    for (let i = 0; i < 4; i++) l.append(envelope(bob, audit('pkg', `1.0.${i}`, { who: bob.name })));
    return { l, bob, graph: npmGraph({ pkg: '1.0.0' }) };
  }

  it('a tampered entry (bytes changed in a bundle) is refused', async () => {
    const { l, graph } = await log();
    const tamper = (e: Uint8Array) => {
      const env = JSON.parse(Buffer.from(e).toString()) as { payload: string };
      const payload = JSON.parse(Buffer.from(env.payload, 'base64').toString()) as {
        predicate: { criteria: string[] };
      };
      payload.predicate.criteria = ['safe-to-run']; // a plausible edit, same length class
      return Buffer.from(JSON.stringify({ ...env, payload: Buffer.from(JSON.stringify(payload)).toString('base64') }));
    };
    const bundle = (await import('@vet/core')).encodeEntryBundle(l.entries.map((e, i) => (i === 2 ? tamper(e) : e)));
    l.overrides.set('tile/entries/000.p/5', bundle);
    const e = await refused(storeWith({ notary: notaryImport(l.url, l.vkey) }), graph, stateRoot());
    expect(e.code).toBe('LOG_INCONSISTENT');
    expect(e.message).toMatch(/do not match|not to the signed root/);
  });

  it('a rollback to an older checkpoint is refused, from the state dir and from imports.lock alone', async () => {
    const { l, graph } = await log();
    const store = storeWith({ notary: notaryImport(l.url, l.vkey) });
    const state = stateRoot();
    await refresh(store, graph, state);
    const newer = l.checkpoint();
    l.overrides.set('checkpoint', l.checkpoint(3));
    const e = await refused(store, graph, state);
    expect(e.code).toBe('LOG_INCONSISTENT');
    expect(e.details).toMatchObject({ kind: 'rollback', trusted: newer, received: l.checkpoint(3) });
    // A fresh machine: only imports.lock remembers the larger checkpoint.
    const e2 = await refused(store, graph, stateRoot());
    expect(e2.details).toMatchObject({ kind: 'rollback', trustedSource: 'imports.lock' });
  });

  it('a larger tree that does not extend the one in imports.lock is a fork', async () => {
    const { l, graph } = await log();
    const store = storeWith({ notary: notaryImport(l.url, l.vkey) });
    await refresh(store, graph, stateRoot());
    const trusted = store.importsLock.notaryCheckpoints!['notary']!;
    l.entries.splice(3, 1); // rewrite history, then grow past the old size
    for (let i = 0; i < 3; i++) l.append(envelope(l.admin, audit('other', `2.0.${i}`)));
    const e = await refused(store, graph, stateRoot());
    expect(e.code).toBe('LOG_INCONSISTENT');
    expect(e.details).toMatchObject({ kind: 'fork', trusted, received: l.checkpoint() });
  });

  it('a checkpoint whose witness cosignatures are older than max-age is stale; a fresh one passes', async () => {
    const { l, graph } = await log();
    const w = generateNoteSigner('witness.test/w1', NOTE_ALG_COSIGNATURE_V1);
    const now = new Date('2026-06-01T00:00:00Z');
    l.witnesses.push({ signerKey: w.signerKey, timestamp: now.getTime() / 1000 - 2 * 86400 });
    const config = notaryImport(l.url, l.vkey, { witnesses: [w.verifierKey], witnessQuorum: 1, maxAgeSeconds: 86400 });
    const store = storeWith({ notary: config });
    const e = await refused(store, graph, stateRoot(), { now });
    expect(e.code).toBe('CHECKPOINT_STALE');
    l.witnesses[0]!.timestamp = now.getTime() / 1000 - 60;
    await refresh(store, graph, stateRoot(), { now });
    expect(store.importsLock.audits['notary']?.audits['pkg']).toHaveLength(4);
  });

  it('an entry with a non-canonical signature (S + L) is refused even though the log includes it', async () => {
    const { l, bob, graph } = await log();
    const env = JSON.parse(envelope(bob, audit('pkg', '1.0.9')).toString()) as { signatures: { sig: string }[] };
    env.signatures[0]!.sig = Buffer.from(addL(Buffer.from(env.signatures[0]!.sig, 'base64'))).toString('base64');
    l.append(Buffer.from(JSON.stringify(env)));
    const e = await refused(storeWith({ notary: notaryImport(l.url, l.vkey) }), graph, stateRoot());
    expect(e.code).toBe('SIGNATURE_INVALID');
    expect(e.message).toMatch(/non-canonical/);
    expect(e.details).toMatchObject({ index: 5 });
  });

  it('an audit by a key the admin never registered is refused', async () => {
    const { l, graph } = await log();
    const stranger = {
      keyid: 'vet-auditor:0000000000000000',
      keys: (await import('@vet/core')).generateEd25519KeyPair(),
    };
    l.append(envelope(stranger, audit('pkg', '1.0.0')));
    const e = await refused(storeWith({ notary: notaryImport(l.url, l.vkey) }), graph, stateRoot());
    expect(e.code).toBe('SIGNATURE_INVALID');
    expect(e.message).toMatch(/not signed by any auditor/);
  });
});

describe('large imports (signatures verified on worker threads)', () => {
  it('2,500 entries import; one bad signature deep inside is still refused', async () => {
    const l = await startStaticLog();
    cleanups.push(() => l.close());
    const a = l.addAuditor('Ann');
    const b = l.addAuditor('Ben');
    for (let i = 0; i < 2_500; i++) l.append(envelope(i % 2 ? a : b, audit(`p${i % 40}`, `1.${i}.0`)));
    const graph = npmGraph({ p7: '1.7.0' });
    const store = storeWith({ notary: notaryImport(l.url, l.vkey) });
    const r = await refresh(store, graph, stateRoot());
    expect(r.newEntries).toBe(2_502);
    expect(resolve({ graph, store }).conclusion).toBe('success');

    const forged = JSON.parse(envelope(a, audit('p7', '9.9.9')).toString()) as { signatures: { sig: string }[] };
    const sig = Buffer.from(forged.signatures[0]!.sig, 'base64');
    sig[5] = sig[5]! ^ 1;
    forged.signatures[0]!.sig = sig.toString('base64');
    l.entries.splice(1_800, 0, Buffer.from(JSON.stringify(forged)));
    const e = await refused(storeWith({ notary: notaryImport(l.url, l.vkey) }), graph, stateRoot());
    expect(e.code).toBe('SIGNATURE_INVALID');
    expect(e.details).toMatchObject({ index: 1_800 });
  });
});

/** Ed25519 signature with S replaced by S + L (little-endian), the malleable twin tweetnacl accepts. */
function addL(sig: Buffer): Uint8Array {
  const L = [
    0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0x10,
  ];
  const out = Uint8Array.from(sig);
  let carry = 0;
  for (let i = 0; i < 32; i++) {
    const v = out[32 + i]! + L[i]! + carry;
    out[32 + i] = v & 0xff;
    carry = v >> 8;
  }
  return out;
}
