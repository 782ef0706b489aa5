/**
 * Witnesses end to end (issue 16): two `vet-notary witness` servers on 127.0.0.1 follow a
 * real notary, whose sequencer asks both after each checkpoint and serves the cosigned
 * checkpoint. A fork — a copy of the notary's data dir (same origin, same key) that then
 * logs other entries — is fed to the witnesses by its own sequencer: both refuse it (the
 * honest witness's state is a tree the fork does not extend), so the fork's checkpoint
 * carries no cosignature. The built `vet import --witness w1 --witness w2
 * --witness-quorum 2` accepts the honest notary and refuses the fork (exit 1, security).
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  addWitnessedLog,
  formatNotaryConfig,
  initWitnessDir,
  notaryPaths,
  parseNotaryConfig,
  serveNotary,
  serveWitness,
  type RunningNotary,
  type RunningWitness,
} from '@vet/notary-server';
import {
  ORIGIN,
  addTestAuditor,
  fullAudit,
  initTestDataDir,
  integrity,
  post,
  randomAuditEnvelope,
  signStatement,
  tempDir,
  type TestAuditor,
} from '@vet/test-support/notary-harness';
import { leftPadProject, runVet, type TempProject } from './helpers/project.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function until(cond: () => Promise<boolean> | boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function startWitness(name: string, logKey: string): Promise<{ w: RunningWitness; events: unknown[] }> {
  const t = tempDir('vet-witness-');
  cleanups.push(t.cleanup);
  initWitnessDir(t.dir, name, { host: '127.0.0.1', port: 0 });
  addWitnessedLog(t.dir, { origin: ORIGIN, keys: [logKey] });
  const events: unknown[] = [];
  const w = await serveWitness(t.dir, { port: 0, log: (e) => events.push(e) });
  cleanups.push(() => w.close());
  return { w, events };
}

async function serve(dir: string): Promise<{ n: RunningNotary; events: Record<string, unknown>[] }> {
  const events: Record<string, unknown>[] = [];
  const n = await serveNotary(dir, { port: 0, log: (e) => events.push(e) });
  return { n, events };
}

/** The served checkpoint once it is the latest one and carries `count` signature lines. */
async function cosigned(n: RunningNotary, count: number): Promise<string> {
  let note = '';
  await until(async () => {
    note = await fetch(`${n.url}/checkpoint`).then((r) => r.text());
    return note.startsWith(n.notary.latest().note) && note.split('\n— ').length - 1 === count;
  });
  return note;
}

function project(): TempProject {
  const p = leftPadProject(integrity('left-pad@1.3.0'));
  cleanups.push(p.cleanup);
  return p;
}

const submitMany = async (url: string, a: TestAuditor, k: number) => {
  for (let i = 0; i < k; i++)
    expect((await post(`${url}/v1/submit`, randomAuditEnvelope(a), a.token)).status).toBe(200);
};

describe('two witnesses and a forked notary', () => {
  it('the honest witness refuses the fork; vet import --witness-quorum 2 accepts the honest log and refuses the fork', async () => {
    const honestDir = tempDir('vet-notary-honest-');
    const forkDir = tempDir('vet-notary-fork-');
    cleanups.push(honestDir.cleanup, forkDir.cleanup);
    const { verifierKey } = initTestDataDir(honestDir.dir, (c) => (c.sequencer.publishIntervalMs = 10));
    const w1 = await startWitness('witness.test/w1', verifierKey);
    const w2 = await startWitness('witness.test/w2', verifierKey);
    const cfgPath = notaryPaths(honestDir.dir).config;
    const cfg = parseNotaryConfig(readFileSync(cfgPath, 'utf8'), cfgPath);
    cfg.witnesses = [w1.w, w2.w].map((w) => ({ url: w.url, key: w.vkey, timeoutMs: 5000 }));
    writeFileSync(cfgPath, formatNotaryConfig(cfg));

    let honest = await serve(honestDir.dir);
    const alice = await addTestAuditor(honestDir.dir, 'Alice <alice@example.com>');
    const approval = signStatement(alice, fullAudit('left-pad', '1.3.0', { who: alice.name }));
    expect((await post(`${honest.n.url}/v1/submit`, approval, alice.token)).status).toBe(200);
    await submitMany(honest.n.url, alice, 3);
    await cosigned(honest.n, 3);

    // The fork: the same data dir (origin, log key, witnesses), copied, then diverging.
    await honest.n.close();
    cpSync(honestDir.dir, forkDir.dir, { recursive: true });
    honest = await serve(honestDir.dir);
    cleanups.push(() => honest.n.close());
    await submitMany(honest.n.url, alice, 2);
    const honestNote = await cosigned(honest.n, 3);
    // The static copy carries the cosigned checkpoint too.
    const staticCheckpoint = join(notaryPaths(honestDir.dir).static, 'checkpoint');
    await until(() => readFileSync(staticCheckpoint, 'utf8') === honestNote);
    const forked = await serve(forkDir.dir);
    cleanups.push(() => forked.n.close());
    await submitMany(forked.n.url, alice, 4);
    const forkSize = forked.n.notary.latest().size;
    expect(forkSize).toBeGreaterThan(honest.n.notary.latest().size);
    // Both witnesses refused the fork's checkpoint: its consistency proof from their size fails (422).
    const refusedFork = (events: Record<string, unknown>[]) =>
      events.filter((e) => e.event === 'witness_failed' && e.size === forkSize);
    await until(() => refusedFork(forked.events).length === 2);
    for (const e of refusedFork(forked.events)) expect(String(e.error)).toMatch(/answered 422/);
    for (const w of [w1, w2])
      expect(w.events).toContainEqual(expect.objectContaining({ event: 'witness_refused', status: 422 }));
    const forkNote = await cosigned(forked.n, 1); // the log's own signature only
    expect(forkNote.split('\n')[1]).toBe(String(forkSize));

    const witnessArgs = ['--witness', w1.w.vkey, '--witness', w2.w.vkey, '--witness-quorum', '2'];
    const good = project();
    const env = (p: TempProject) => ({ XDG_STATE_HOME: join(p.dir, '.state') });
    const imp = await runVet(['import', 'notary', '--notary', honest.n.url, '--key', verifierKey, ...witnessArgs], {
      cwd: good.dir,
      env: env(good),
    });
    expect(imp.stderr).toMatch(/Imported 'notary': [1-9]\d* audits?/);
    expect(imp.code).toBe(0);
    expect(good.read('supply-chain/imports.lock')).toContain(honestNote.split('\n')[2]!);
    expect((await runVet(['check', '--locked'], { cwd: good.dir, env: env(good) })).code).toBe(0);

    const bad = project();
    const refused = await runVet(['import', 'notary', '--notary', forked.n.url, '--key', verifierKey, ...witnessArgs], {
      cwd: bad.dir,
      env: env(bad),
    });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/error \(security\).*0 valid witness cosignatures, need 2/);
    expect(bad.read('supply-chain/imports.lock')).toBe('\n# cargo-vet imports lock\n');
  });
});
