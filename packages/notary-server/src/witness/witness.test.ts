/**
 * `vet-notary witness` over real HTTP on 127.0.0.1: cosigns a log's checkpoints per
 * c2sp.org/tlog-witness, answers every refusal with the spec's status (409 with
 * `text/x.tlog.size`), keeps its state across a restart, serialises concurrent requests
 * (the spec's rollback race), and owns its directory alone.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  consistencyProof,
  formatAddCheckpointRequest,
  formatCheckpoint,
  generateNoteSigner,
  hashLeaf,
  rangeHasherFromLeafHashes,
  rootOf,
  signNote,
  verifyCosignature,
} from '@vet/core';
import { createHash } from 'node:crypto';
import { addWitnessedLog, initWitnessDir, serveWitness, type RunningWitness } from './server.js';
import { tempDir } from '@vet/test-support/notary-harness';

const ORIGIN = 'log.test/witnessed';
const EMPTY_TREE_ROOT = new Uint8Array(createHash('sha256').digest());
const logKey = generateNoteSigner(ORIGIN);
const leaves = Array.from({ length: 40 }, (_, i) => hashLeaf(new TextEncoder().encode(`leaf ${i}`)));
const root = (n: number) => (n === 0 ? EMPTY_TREE_ROOT : rootOf(leaves.slice(0, n)));
const text = (n: number, r = root(n)) => formatCheckpoint({ origin: ORIGIN, size: n, rootHash: r });
const note = (n: number, key = logKey.signerKey, r = root(n)) => signNote(text(n, r), key);
const body = (from: number, to: number, n = note(to)) =>
  formatAddCheckpointRequest({
    oldSize: from,
    proof: from === 0 || from === to ? [] : consistencyProof(from, to, rangeHasherFromLeafHashes(leaves)),
    note: n,
  });

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function witness(dir?: string): Promise<{ w: RunningWitness; dir: string; vkey: string; events: unknown[] }> {
  let d = dir;
  let vkey = '';
  if (d === undefined) {
    const t = tempDir('vet-witness-');
    cleanups.push(t.cleanup);
    d = t.dir;
    vkey = initWitnessDir(d, 'witness.test/w1', { host: '127.0.0.1', port: 0 }).vkey;
    addWitnessedLog(d, { origin: ORIGIN, keys: [logKey.verifierKey] });
  }
  const events: unknown[] = [];
  const w = await serveWitness(d, { port: 0, log: (e) => events.push(e) });
  cleanups.push(() => w.close());
  return { w, dir: d, vkey: vkey || w.vkey, events };
}

const add = async (w: RunningWitness, b: string) => {
  const r = await fetch(`${w.url}/add-checkpoint`, { method: 'POST', body: b });
  return { status: r.status, type: r.headers.get('content-type'), body: await r.text() };
};

describe('vet-notary witness', () => {
  it('cosigns a growing log, refuses rollbacks and forks, and remembers across a restart', async () => {
    const { w, dir, vkey, events } = await witness();
    const first = await add(w, body(0, 10));
    expect(first.status).toBe(200);
    expect(verifyCosignature(text(10), first.body, vkey).timestamp).toBeGreaterThan(1_700_000_000);
    expect((await add(w, body(10, 25))).status).toBe(200);
    expect(await add(w, body(0, 30))).toEqual({ status: 409, type: 'text/x.tlog.size', body: '25\n' });
    expect(await add(w, body(10, 12))).toMatchObject({ status: 409, body: '25\n' }); // a rollback
    const forkRoot = rootOf([...leaves.slice(0, 24), hashLeaf(new TextEncoder().encode('evil'))]);
    expect(await add(w, body(25, 25, note(25, logKey.signerKey, forkRoot)))).toMatchObject({ status: 422 });
    const forked = formatAddCheckpointRequest({
      oldSize: 25,
      proof: consistencyProof(25, 30, rangeHasherFromLeafHashes(leaves)),
      note: note(30, logKey.signerKey, rootOf([...leaves.slice(0, 29), hashLeaf(new TextEncoder().encode('x'))])),
    });
    expect((await add(w, forked)).status).toBe(422);
    expect(events.filter((e) => (e as { event: string }).event === 'witness_refused')).toHaveLength(4);

    await w.close();
    const again = await witness(dir);
    expect(await add(again.w, body(0, 30))).toMatchObject({ status: 409, body: '25\n' });
    expect((await add(again.w, body(25, 30))).status).toBe(200);
    const hash = createHash('sha256').update(ORIGIN).digest('hex');
    const monitored = await fetch(`${again.w.url}/${hash}/checkpoint`).then((r) => r.text());
    expect(monitored.startsWith(note(30))).toBe(true);
  });

  it('404 for an unknown origin, 403 for a bad signature, 400/405/413 for bad requests', async () => {
    const { w } = await witness();
    const other = generateNoteSigner('other.test/log');
    const unknown = formatAddCheckpointRequest({
      oldSize: 0,
      proof: [],
      note: signNote(
        formatCheckpoint({ origin: 'other.test/log', size: 0, rootHash: EMPTY_TREE_ROOT }),
        other.signerKey,
      ),
    });
    expect((await add(w, unknown)).status).toBe(404);
    expect((await add(w, body(0, 5, note(5, generateNoteSigner(ORIGIN).signerKey)))).status).toBe(403);
    expect((await add(w, 'old 1\n\nnot a note')).status).toBe(400);
    expect((await add(w, formatAddCheckpointRequest({ oldSize: 9, proof: [], note: note(5) }))).status).toBe(400);
    expect((await fetch(`${w.url}/add-checkpoint`)).status).toBe(405);
    expect((await add(w, 'x'.repeat(300 * 1024))).status).toBe(413);
  });

  it('concurrent requests from the same old size: exactly one is cosigned, the state never rolls back', async () => {
    const { w } = await witness();
    expect((await add(w, body(0, 5))).status).toBe(200);
    const sizes = [6, 9, 12, 20, 33, 40];
    const answers = await Promise.all(sizes.map((n) => add(w, body(5, n))));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    const won = sizes[answers.findIndex((a) => a.status === 200)]!;
    for (const a of answers.filter((x) => x.status !== 200)) expect(a).toMatchObject({ status: 409, body: `${won}\n` });
  });

  it('one process per witness directory', async () => {
    const { dir } = await witness();
    await expect(serveWitness(dir, { port: 0 })).rejects.toMatchObject({ code: 'LOCK_HELD' });
  });
});
