/**
 * End to end with a real notary server on 127.0.0.1: an auditor creates a key, is
 * registered by the operator, signs and submits an audit (receipt verified); the consumer
 * imports (the same steps as `vet import --notary`: store lock, refreshImports with the
 * notary refresher, one atomic commit) and the built `vet check --locked` passes. Then
 * refusals: wrong key, rollback, tampered entry — a security error (exit code 1 by the CLI's
 * one mapping), the evidence in `details`, and not a byte of the store changed.
 * The last block drives the same flow through the built binary (`vet import --notary`,
 * `vet check --locked`), including a wrong key and a lockfile digest mismatch.
 * Needs `pnpm build` first (runVet says so when dist is missing).
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeEntryBundle, generateNoteSigner, type DependencyGraph } from '@vet/core';
import type { CommandIO } from '../packages/cli/src/io.js';
import { runAuditorKeygen } from '../packages/cli/src/commands/auditor.js';
import { exitCodeFor, renderErrorHuman } from '../packages/cli/src/exit-codes.js';
import { refreshImports } from '../packages/cli/src/imports/refresh.js';
import { createHttpClient } from '../packages/cli/src/registry/index.js';
import { mutateStore } from '../packages/cli/src/store-tx.js';
import { notaryRefresher } from '../packages/cli/src/notary/refresher.js';
import { readAuditorKey } from '../packages/cli/src/notary/auditor-key.js';
import { submitToNotary } from '../packages/cli/src/notary/submit.js';
import { addAuditor } from '@vet/notary-server';
import {
  ORIGIN,
  audit,
  envelope,
  integrity,
  npmGraph,
  startRealNotary,
  startStaticLog,
  type RealNotary,
} from '@vet/test-support/notary-fixtures';
import { leftPadProject, runVet, type TempProject } from './helpers/project.js';

function project(): TempProject {
  return leftPadProject(integrity('left-pad@1.3.0'));
}

const graph: DependencyGraph = npmGraph({ 'left-pad': '1.3.0' });
const projects: TempProject[] = [];
let n: RealNotary;
beforeAll(async () => {
  n = await startRealNotary();
});
afterAll(async () => {
  await n.close();
  for (const p of projects) p.cleanup();
});

function testIO(env: NodeJS.ProcessEnv): CommandIO & { outText(): string } {
  let out = '';
  return {
    out: (t) => void (out += t),
    err: () => {},
    isTTY: false,
    interactive: false,
    prompt: async () => '',
    now: () => new Date(),
    env,
    outText: () => out,
  };
}

/** What `vet import NAME --notary URL --key KEY` does, minus flag parsing. Returns the exit code. */
async function importNotary(
  p: TempProject,
  url: string,
  key: string,
): Promise<{ code: number; error?: { code: string; message: string; details?: Record<string, unknown> } }> {
  const io = testIO({ HOME: join(p.dir, '.home'), XDG_STATE_HOME: join(p.dir, '.state') });
  const http = createHttpClient({ retries: 0 });
  const storeDir = join(p.dir, 'supply-chain');
  try {
    await mutateStore(storeDir, async (store) => {
      store.config.imports['notary'] = { url: [], exclude: [], criteriaMap: {}, notary: { url, key } };
      const refreshed = await refreshImports(store, graph, {
        http,
        only: 'notary',
        notary: notaryRefresher({ http, io, storeDir }),
      });
      Object.assign(store, refreshed.store);
    });
    return { code: 0 };
  } catch (e) {
    return { code: exitCodeFor(e), error: e as { code: string; message: string } };
  } finally {
    await http.close();
  }
}

const storeFiles = (p: TempProject) =>
  ['config.toml', 'audits.toml', 'imports.lock'].map((f) => p.read(`supply-chain/${f}`));

describe('auditor → notary → consumer', () => {
  it('keygen, submit with a verified receipt, vet import, vet check --locked passes', async () => {
    const p = project();
    projects.push(p);
    const env = { HOME: join(p.dir, '.home'), XDG_STATE_HOME: join(p.dir, '.state') };

    // Consumer side first: nothing vets left-pad yet.
    expect((await runVet(['check', '--locked'], { cwd: p.dir })).code).toBe(1);
    expect((await importNotary(p, n.url, n.vkey)).code).toBe(0);
    expect((await runVet(['check', '--locked'], { cwd: p.dir })).code).toBe(1);

    // Auditor: `vet auditor keygen` (0600), registered by the operator, signs and submits.
    const io = testIO(env);
    expect(
      await runAuditorKeygen({ cwd: p.dir, locked: false, frozen: false, outputFormat: 'json' }, io, 'alice.key'),
    ).toBe(0);
    const keyFile = join(p.dir, 'alice.key');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const key = await readAuditorKey(keyFile);
    expect(JSON.parse(io.outText())).toEqual({
      keyFile,
      keyid: key.keyid,
      publicKey: Buffer.from(key.publicKey).toString('base64'),
    });
    const { token } = await addAuditor(n.dir, { name: 'Alice <alice@example.com>', publicKey: key.publicKey });
    const submitted = await submitToNotary({
      audit: {
        who: ['Alice <alice@example.com>'],
        criteria: ['safe-to-deploy'],
        kind: 'full',
        version: '1.3.0',
        importable: true,
        aggregatedFrom: [],
      },
      pkg: 'left-pad',
      storeDir: join(p.dir, 'supply-chain'),
      graph,
      notaryUrl: 'notary',
      keyFile,
      token,
      io: testIO(env),
    });
    expect(submitted.receipt.index).toBeGreaterThan(0);
    expect(statSync(submitted.receiptFile).isFile()).toBe(true);

    // Consumer: refresh imports, then check with no network at all.
    expect(await importNotary(p, n.url, n.vkey)).toEqual({ code: 0 });
    expect(p.read('supply-chain/imports.lock')).toContain(integrity('left-pad@1.3.0'));
    expect(p.read('supply-chain/imports.lock')).toMatch(/\[notary-checkpoints\]/);
    const check = await runVet(['check', '--locked'], { cwd: p.dir });
    expect(check.stderr + check.stdout).not.toMatch(/error/);
    expect(check.code).toBe(0);
  });

  it('submit refuses a token for another auditor, and a receipt is never stored then', async () => {
    const p = project();
    projects.push(p);
    expect((await importNotary(p, n.url, n.vkey)).code).toBe(0);
    const env = { HOME: join(p.dir, '.home'), XDG_STATE_HOME: join(p.dir, '.state') };
    const io = testIO(env);
    await runAuditorKeygen({ cwd: p.dir, locked: false, frozen: false, outputFormat: 'human' }, io, 'bob.key');
    const bob = await n.addAuditor('Bob <bob@example.com>');
    const err = await submitToNotary({
      audit: {
        who: ['Carol'],
        criteria: ['safe-to-deploy'],
        kind: 'full',
        version: '1.3.0',
        importable: true,
        aggregatedFrom: [],
      },
      pkg: 'left-pad',
      storeDir: join(p.dir, 'supply-chain'),
      graph,
      notaryUrl: n.url,
      keyFile: join(p.dir, 'bob.key'),
      token: bob.token!,
      io,
    }).catch((e: { code: string; message: string }) => e);
    expect(err).toMatchObject({ code: 'HTTP_ERROR' });
    expect((err as { message: string }).message).toMatch(/UNKNOWN_SIGNER|FORBIDDEN/);
  });
});

describe('refusals: security error (exit 1), nothing written', () => {
  it('wrong key', async () => {
    const p = project();
    projects.push(p);
    const before = storeFiles(p);
    const r = await importNotary(p, n.url, generateNoteSigner(ORIGIN).verifierKey);
    expect(r.code).toBe(1);
    expect(r.error).toMatchObject({ code: 'SIGNATURE_INVALID' });
    expect(r.error!.message).toMatch(/no signature by a known key/);
    expect(storeFiles(p)).toEqual(before);
  });

  it('rollback: the error carries both signed checkpoints; check --locked keeps working offline', async () => {
    const l = await startStaticLog();
    const bob = l.addAuditor('Bob');
    for (const v of ['1.0.0', '1.0.1', '1.3.0', '1.4.0']) l.append(envelope(bob, audit('left-pad', v)));
    const p = project();
    projects.push(p);
    expect((await importNotary(p, l.url, l.vkey)).code).toBe(0);
    const before = storeFiles(p);
    l.overrides.set('checkpoint', l.checkpoint(2));
    const r = await importNotary(p, l.url, l.vkey);
    await l.close();
    expect(r.code).toBe(1);
    expect(r.error!.code).toBe('LOG_INCONSISTENT');
    expect(r.error!.details).toMatchObject({ kind: 'rollback', trusted: l.checkpoint(), received: l.checkpoint(2) });
    expect(storeFiles(p)).toEqual(before);
    // `check --locked` still passes on the imports.lock written before: no network needed.
    expect((await runVet(['check', '--locked'], { cwd: p.dir })).code).toBe(0);
  });

  it('tampered entry', async () => {
    const l = await startStaticLog();
    const bob = l.addAuditor('Bob');
    l.append(envelope(bob, audit('left-pad', '1.3.0')));
    const evil = Buffer.from(envelope(bob, audit('left-pad', '1.3.0', { criteria: ['safe-to-run'] })));
    l.overrides.set('tile/entries/000.p/2', encodeEntryBundle([l.entries[0]!, evil]));
    const p = project();
    projects.push(p);
    const before = storeFiles(p);
    const r = await importNotary(p, l.url, l.vkey);
    await l.close();
    expect(r.code).toBe(1);
    expect(r.error!.code).toBe('LOG_INCONSISTENT');
    expect(r.error!.message).toMatch(/^notary import 'notary': .*signed root/);
    // Said once: the renderer's "error (security)" is the only prefix (was "error (security): SECURITY ERROR: …").
    expect(renderErrorHuman(r.error)).toMatch(/^error \(security\): notary import 'notary': /);
    expect(renderErrorHuman(r.error)).not.toContain('SECURITY ERROR');
    expect(storeFiles(p)).toEqual(before);
  });
});

describe('through the built binary (vet import --notary, vet check)', () => {
  it('imports, passes check --locked, refuses a wrong key with exit 1 and fails check on a digest mismatch', async () => {
    const alice = await n.addAuditor('Alice B <aliceb@example.com>');
    expect(
      (await n.submit(envelope(alice, audit('left-pad', '1.3.0', { who: alice.name })), alice.token!)).status,
    ).toBe(200);
    const p = project();
    projects.push(p);
    const env = { XDG_STATE_HOME: join(p.dir, '.state') };
    const imp = await runVet(['import', 'notary', '--notary', n.url, '--key', n.vkey], { cwd: p.dir, env });
    expect(imp.stderr).toMatch(/Imported 'notary': [1-9]\d* audits?/);
    expect(imp.code).toBe(0);
    expect((await runVet(['check', '--locked'], { cwd: p.dir, env })).code).toBe(0);

    const before = storeFiles(p);
    const wrong = await runVet(
      ['import', 'notary', '--notary', n.url, '--key', generateNoteSigner(ORIGIN).verifierKey],
      { cwd: p.dir, env },
    );
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/error \(security\)/);
    expect(storeFiles(p)).toEqual(before);

    // The lockfile now pins other bytes for left-pad@1.3.0: the approval no longer applies.
    const lock = JSON.parse(p.read('package-lock.json')) as { packages: Record<string, { integrity: string }> };
    lock.packages['node_modules/left-pad']!.integrity = integrity('tampered tarball');
    p.write('package-lock.json', JSON.stringify(lock, null, 2));
    const check = await runVet(['check', '--locked'], { cwd: p.dir, env });
    expect(check.code).toBe(1);
    expect(check.stdout + check.stderr).toContain(integrity('left-pad@1.3.0'));
    expect(check.stdout + check.stderr).toContain(integrity('tampered tarball'));
  });
});

describe('revocations reach imports.lock even when the check fails', () => {
  const notaries: RealNotary[] = [];
  afterAll(async () => {
    for (const x of notaries) await x.close();
  });

  it('an unlocked check that fails on a revoked approval records it, names it, and check --locked fails too', async () => {
    // A notary of its own: the other tests' approvals of left-pad must not vet it here.
    const n = await startRealNotary();
    notaries.push(n);
    const carol = await n.addAuditor('Carol <carol@example.com>');
    const approved = await n.submit(envelope(carol, audit('left-pad', '1.3.0', { who: carol.name })), carol.token!);
    expect(approved.status).toBe(200);
    const p = project();
    projects.push(p);
    const env = { XDG_STATE_HOME: join(p.dir, '.state') };
    expect((await runVet(['import', 'notary', '--notary', n.url, '--key', n.vkey], { cwd: p.dir, env })).code).toBe(0);
    expect((await runVet(['check', '--locked'], { cwd: p.dir, env })).code).toBe(0);

    // Carol withdraws her approval: a revocation signed with her key, naming the entry's leaf hash.
    const revocation = {
      kind: 'revocation' as const,
      ecosystem: 'npm' as const,
      package: 'left-pad',
      version: '1.3.0',
      criteria: [],
      who: carol.name,
      digests: {},
      revokes: (approved.json as { leafHash: string }).leafHash,
    };
    const revoked = await n.submit(envelope(carol, revocation), carol.token!);
    expect(revoked.status).toBe(200);
    const entry = (revoked.json as { index: number }).index;

    const lockBefore = p.read('supply-chain/imports.lock');
    const r = await runVet(['check'], { cwd: p.dir, env });
    expect(r.code).toBe(1);
    const why = `left-pad:1.3.0 missing ["safe-to-deploy"] (the approval of 1.3.0 by ${carol.name} in notary 'notary' was revoked by log entry ${entry})`;
    expect(r.stdout).toContain(why);
    // Recorded although the check failed: the approval is gone, the revocation kept.
    const lock = p.read('supply-chain/imports.lock');
    expect(lock).not.toBe(lockBefore);
    expect(lock).toContain(`[[revoked.notary.left-pad]]\nwho = "${carol.name}"`);
    expect(lock).toContain(`revoked-by = ${entry}`);
    expect(lock).not.toMatch(/\[\[audits\.notary\.audits\.left-pad\]\]\nwho = "Carol/);

    const locked = await runVet(['check', '--locked'], { cwd: p.dir, env });
    expect(locked.stdout).toContain(why);
    expect(locked.code).toBe(1);
    const json = await runVet(['check', '--locked', '--output-format', 'json'], { cwd: p.dir, env });
    expect(JSON.parse(json.stdout)).toMatchObject({
      conclusion: 'fail (vetting)',
      revoked_approvals: [
        { name: 'left-pad', version: '1.3.0', import: 'notary', who: [carol.name], revoked_by_entry: entry },
      ],
    });
  });
  it('a violation the notary publishes is recorded by the failing unlocked check, so check --locked fails too', async () => {
    const n = await startRealNotary();
    notaries.push(n);
    const dave = await n.addAuditor('Dave <dave@example.com>');
    expect((await n.submit(envelope(dave, audit('left-pad', '1.3.0', { who: dave.name })), dave.token!)).status).toBe(
      200,
    );
    const p = project();
    projects.push(p);
    const env = { XDG_STATE_HOME: join(p.dir, '.state') };
    expect((await runVet(['import', 'notary', '--notary', n.url, '--key', n.vkey], { cwd: p.dir, env })).code).toBe(0);
    expect((await runVet(['check', '--locked'], { cwd: p.dir, env })).code).toBe(0);

    const found = {
      kind: 'violation' as const,
      ecosystem: 'npm' as const,
      package: 'left-pad',
      violation: '>=1.3.0',
      criteria: ['safe-to-deploy'],
      who: dave.name,
      digests: {},
    };
    expect((await n.submit(envelope(dave, found), dave.token!)).status).toBe(200);
    const r = await runVet(['check'], { cwd: p.dir, env });
    expect(r.stdout).toMatch(/^Violations Found!\n {2}left-pad:1\.3\.0\n/);
    expect(r.code).toBe(1);
    expect(p.read('supply-chain/imports.lock')).toContain('violation = ">=1.3.0"');
    const locked = await runVet(['check', '--locked', '--output-format', 'json'], { cwd: p.dir, env });
    expect((JSON.parse(locked.stdout) as { conclusion: string }).conclusion).toBe('fail (violation)');
    expect(locked.code).toBe(1);
  });
});
