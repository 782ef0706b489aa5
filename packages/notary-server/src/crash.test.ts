/**
 * "Acknowledged = durable" under kill -9: a real server process takes a burst of concurrent
 * submissions, is SIGKILLed mid-burst, and restarted on the same data dir. Every entry that
 * got a receipt must be in the restarted log at its index, and the new checkpoint must be
 * a consistent extension of the last checkpoint published before the crash.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeHashTile, verifyCheckpoint, verifyConsistency, verifyInclusion } from '@vet/core';
import {
  addTestAuditor,
  initTestDataDir,
  post,
  randomAuditEnvelope,
  tempDir,
  type TestAuditor,
} from '@vet/test-support/notary-harness';
import { verifyNotaryLog } from './verify.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const bin = fileURLToPath(new URL('./bin.ts', import.meta.url));
const { dir, cleanup } = tempDir('vet-notary-crash-');
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  cleanup();
});

async function startServer(): Promise<{ child: ChildProcess; url: string }> {
  const urlFile = join(dir, 'sequencer.lock.url');
  rmSync(urlFile, { force: true });
  // Run from TypeScript source with tsx, so the test exercises the code under test.
  // stderr is inherited (not piped): the server's own error log shows up in the test output.
  const child = spawn(process.execPath, ['--import', 'tsx', bin, 'serve', dir, '--port', '0'], {
    cwd: repo,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    if (existsSync(urlFile)) return { child, url: readFileSync(urlFile, 'utf8').trim() };
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('server did not start within 30 s');
}

interface Ack {
  index: number;
  leafHash: string;
  treeSize: number;
  checkpoint: string;
  inclusionProof: string[];
}

describe('kill -9 during a burst of concurrent submissions', () => {
  it('keeps every acknowledged entry and restarts consistent with the last published checkpoint', async () => {
    const { verifierKey } = initTestDataDir(dir, (c) => {
      c.sequencer.batchDelayMs = 2;
    });
    const auditors: TestAuditor[] = [];
    for (let i = 0; i < 4; i++) auditors.push(await addTestAuditor(dir, `auditor-${i}`));

    const first = await startServer();
    const exited = new Promise((r) => first.child.once('exit', r));
    const acks: Ack[] = [];
    let attempted = 0;
    let dead = false;
    void exited.then(() => (dead = true));
    const worker = async (w: number) => {
      const a = auditors[w % auditors.length]!;
      // Workers keep submitting until the process is gone, so the kill lands mid-burst.
      while (!dead) {
        attempted++;
        try {
          const r = await post(`${first.url}/v1/submit`, randomAuditEnvelope(a), a.token);
          if (r.status === 200) acks.push(r.json as Ack);
        } catch {
          /* connection reset by the kill: not acknowledged */
        }
      }
    };
    const burst = Promise.all(Array.from({ length: 32 }, (_, w) => worker(w)));
    while (acks.length < 300) await new Promise((r) => setTimeout(r, 5));
    first.child.kill('SIGKILL');
    await burst;
    expect(attempted).toBeGreaterThan(acks.length); // some were in flight at the kill

    const lastPublished = acks.reduce((m, a) => (a.treeSize > m.treeSize ? a : m));
    const old = verifyCheckpoint(lastPublished.checkpoint, verifierKey);

    const second = await startServer();
    try {
      const now = verifyCheckpoint(await (await fetch(`${second.url}/checkpoint`)).text(), verifierKey);
      expect(now.size).toBeGreaterThanOrEqual(old.size);
      if (now.size > old.size) {
        const c = (await (
          await fetch(`${second.url}/v1/proof/consistency?from=${old.size}&to=${now.size}`)
        ).json()) as { proof: string[] };
        const proof = c.proof.map((h) => new Uint8Array(Buffer.from(h, 'base64')));
        expect(verifyConsistency(old.size, now.size, proof, old.rootHash, now.rootHash)).toBe(true);
      } else {
        expect(Buffer.from(now.rootHash).equals(Buffer.from(old.rootHash))).toBe(true);
      }
      // Every acknowledged entry: its receipt verifies, and the restarted log holds the same
      // leaf at the same index (read back through the public tile API).
      const tiles = new Map<number, Uint8Array[]>();
      for (const a of acks) {
        const cp = verifyCheckpoint(a.checkpoint, verifierKey);
        const proof = a.inclusionProof.map((h) => new Uint8Array(Buffer.from(h, 'base64')));
        expect(
          verifyInclusion(new Uint8Array(Buffer.from(a.leafHash, 'hex')), a.index, cp.size, proof, cp.rootHash),
        ).toBe(true);
        const t = Math.floor(a.index / 256);
        if (!tiles.has(t)) {
          const width = Math.min(256, now.size - t * 256);
          const res = await fetch(
            `${second.url}/tile/0/${String(t).padStart(3, '0')}${width < 256 ? `.p/${width}` : ''}`,
          );
          tiles.set(t, decodeHashTile(new Uint8Array(await res.arrayBuffer())));
        }
        expect(Buffer.from(tiles.get(t)![a.index % 256]!).toString('hex')).toBe(a.leafHash);
      }
      // The restarted server keeps accepting and extends the same tree.
      const more = await post(`${second.url}/v1/submit`, randomAuditEnvelope(auditors[0]!), auditors[0]!.token);
      expect(more.status).toBe(200);
      expect(more.json.index).toBe(now.size);
    } finally {
      const exited2 = new Promise((r) => second.child.once('exit', r));
      second.child.kill('SIGTERM');
      await exited2;
    }
    const report = await verifyNotaryLog(dir);
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    console.log(
      `crash test: ${acks.length} acknowledged of ${attempted} attempted; checkpoint ${old.size} → ${report.latestSize}`,
    );
  });
});
