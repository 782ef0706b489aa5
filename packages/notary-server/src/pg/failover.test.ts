/**
 * Failover (issue 16): three `vet-notary serve` processes on one PostgreSQL database take a
 * bounded concurrent load spread over all three; the sequencer is SIGKILLed mid-load and
 * another instance takes over. Every submission that got a receipt must be in the log at
 * its index, and the checkpoints before and after must be consistent — checked with core's
 * verifier and with an independent RFC 6962/9162 implementation written here from the RFC
 * text (rfc6962.ts, which imports nothing from core).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyCheckpoint, verifyConsistency, verifyInclusion } from '@vet/core';
import {
  addTestAuditor,
  initPgTestDataDir,
  post,
  randomAuditEnvelope,
  tempDir,
  type TestAuditor,
} from '@vet/test-support/notary-harness';
import { createTestDatabase, pgSkipped, type TestDatabase } from '@vet/test-support/pg-database';
import { verifyNotaryLog } from '../verify.js';
import { rfc6962Root, rfc9162VerifyConsistency, rfc9162VerifyInclusion } from './__fixtures__/rfc6962.js';

const repo = fileURLToPath(new URL('../../../../', import.meta.url));
const bin = fileURLToPath(new URL('../bin.ts', import.meta.url));
const { dir: root, cleanup } = tempDir('vet-notary-failover-');
const children: ChildProcess[] = [];
let database: TestDatabase | undefined;
let stopLoad = () => {};
afterAll(async () => {
  stopLoad();
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  cleanup();
  await database?.drop();
});

interface Instance {
  child: ChildProcess;
  url: string;
  /** Resolves when this instance logs that it became the sequencer. */
  elected: Promise<number>;
}

async function startInstance(dir: string): Promise<Instance> {
  const child = spawn(process.execPath, ['--import', 'tsx', bin, 'serve', dir, '--port', '0'], {
    cwd: repo,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let onElected: (t: number) => void = () => {};
  const elected = new Promise<number>((r) => (onElected = r));
  createInterface({ input: child.stderr }).on('line', (line) => {
    if (line.includes('"sequencer_elected"')) onElected(performance.now());
    else if (!line.includes('"event"')) process.stderr.write(`[serve ${dir}] ${line}\n`);
  });
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (l) => {
      const m = / at (http:\/\/\S+)/.exec(l);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
  });
  return { child, url, elected };
}

interface Ack {
  index: number;
  leafHash: string;
  treeSize: number;
  checkpoint: string;
  inclusionProof: string[];
}

const b64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));

describe.skipIf(pgSkipped)('three instances on one PostgreSQL, kill -9 the sequencer under load', () => {
  // Three servers from TypeScript source and a load on a 2-core machine: allow for a busy one.
  it(
    'another takes over; every receipt is in the log at its index; checkpoints stay consistent',
    { timeout: 240_000 },
    async () => {
      database = await createTestDatabase();
      const dirs = ['a', 'b', 'c'].map((n) => join(root, n));
      const { verifierKey } = await initPgTestDataDir(dirs[0]!, (c) => (c.sequencer.batchDelayMs = 2), database);
      const auditors: TestAuditor[] = [];
      for (let i = 0; i < 3; i++) auditors.push(await addTestAuditor(dirs[0]!, `auditor-${i}`));
      // The other instances' data dirs: the same config and keys (docs/notary.md).
      for (const d of dirs.slice(1)) {
        mkdirSync(d);
        cpSync(join(dirs[0]!, 'notary.json'), join(d, 'notary.json'));
        cpSync(join(dirs[0]!, 'keys'), join(d, 'keys'), { recursive: true });
      }
      const instances = await Promise.all(dirs.map(startInstance));
      const first = await Promise.race(instances.map((x, i) => x.elected.then(() => i)));
      const leader = instances[first]!;

      const acks: (Ack & { sentAt: number; doneAt: number })[] = [];
      let attempted = 0;
      let stop = false;
      stopLoad = () => (stop = true);
      let killedAt = Infinity;
      const worker = async (w: number) => {
        const a = auditors[w % auditors.length]!;
        let target = w % instances.length;
        while (!stop) {
          const inst = instances[target]!;
          if (inst.child.exitCode !== null || inst.child.signalCode !== null) {
            if (instances.every((x) => x.child.exitCode !== null || x.child.signalCode !== null))
              throw new Error('every instance has exited');
            target = (target + 1) % instances.length;
            continue;
          }
          attempted++;
          const sentAt = performance.now();
          try {
            const r = await post(`${inst.url}/v1/submit`, randomAuditEnvelope(a), a.token);
            if (r.status === 200) acks.push({ ...(r.json as Ack), sentAt, doneAt: performance.now() });
            else if (r.status !== 503) throw new Error(`unexpected ${r.status}: ${JSON.stringify(r.json)}`);
          } catch (e) {
            if ((e as Error).message.startsWith('unexpected')) throw e;
            target = (target + 1) % instances.length; // connection reset by the kill: not acknowledged
          }
        }
      };
      const load = Promise.all(Array.from({ length: 24 }, (_, w) => worker(w)));
      while (acks.length < 150) await new Promise((r) => setTimeout(r, 5));
      const before = acks.reduce((m, a) => (a.treeSize > m.treeSize ? a : m));
      leader.child.kill('SIGKILL');
      killedAt = performance.now();
      const survivors = instances.filter((x) => x !== leader);
      const takeover = await Promise.race(survivors.map((x) => x.elected));
      const deadline = performance.now() + 30_000;
      while (acks.filter((a) => a.sentAt > killedAt).length < 100 && performance.now() < deadline)
        await new Promise((r) => setTimeout(r, 5));
      stop = true;
      await load;
      const afterKill = acks.filter((a) => a.sentAt > killedAt);
      expect(afterKill.length).toBeGreaterThanOrEqual(100);
      // Failover time: kill -9 → the first receipt for a submission sent after the kill
      // (only a new sequencer can have committed it).
      const nextReceiptMs = Math.min(...afterKill.map((a) => a.doneAt)) - killedAt;

      // The log as the database holds it, and the final checkpoint from a survivor.
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      let leafHashes: Buffer[];
      try {
        leafHashes = (await client.query<{ leaf_hash: Buffer }>('SELECT leaf_hash FROM entries ORDER BY idx')).rows.map(
          (r) => r.leaf_hash,
        );
      } finally {
        await client.end();
      }
      const now = verifyCheckpoint(await (await fetch(`${survivors[0]!.url}/checkpoint`)).text(), verifierKey);
      expect(now.size).toBe(leafHashes.length);
      // Independent check: the final root and every acknowledged checkpoint's root are RFC 6962
      // Merkle tree hashes of prefixes of the stored leaves (so each is a prefix of the next).
      expect(Buffer.from(rfc6962Root(leafHashes)).equals(Buffer.from(now.rootHash))).toBe(true);
      const seen = new Set<number>();
      for (const a of acks) {
        expect(leafHashes[a.index]?.toString('hex')).toBe(a.leafHash);
        expect(seen.has(a.index)).toBe(false);
        seen.add(a.index);
        const cp = verifyCheckpoint(a.checkpoint, verifierKey);
        const proof = a.inclusionProof.map(b64);
        const leaf = new Uint8Array(Buffer.from(a.leafHash, 'hex'));
        expect(verifyInclusion(leaf, a.index, cp.size, proof, cp.rootHash)).toBe(true);
        expect(rfc9162VerifyInclusion(leaf, a.index, cp.size, proof, cp.rootHash)).toBe(true);
      }
      // Consistency from the last checkpoint acknowledged before the kill to the final one.
      const old = verifyCheckpoint(before.checkpoint, verifierKey);
      expect(now.size).toBeGreaterThan(old.size);
      const c = (await (
        await fetch(`${survivors[1]!.url}/v1/proof/consistency?from=${old.size}&to=${now.size}`)
      ).json()) as { proof: string[] };
      const proof = c.proof.map(b64);
      expect(verifyConsistency(old.size, now.size, proof, old.rootHash, now.rootHash)).toBe(true);
      expect(rfc9162VerifyConsistency(old.size, now.size, proof, old.rootHash, now.rootHash)).toBe(true);
      // A forged proof fails both (the checks can fail).
      const forged = proof.map((h, i) => (i === 0 ? new Uint8Array(h).fill(7) : h));
      expect(rfc9162VerifyConsistency(old.size, now.size, forged, old.rootHash, now.rootHash)).toBe(false);
      expect(verifyConsistency(old.size, now.size, forged, old.rootHash, now.rootHash)).toBe(false);

      for (const s of survivors) {
        const exited = new Promise((r) => s.child.once('exit', r));
        s.child.kill('SIGTERM');
        await exited;
      }
      const report = await verifyNotaryLog(dirs[1]!);
      expect(report.problems).toEqual([]);
      console.log(
        `failover: ${acks.length} receipts of ${attempted} attempted; checkpoint ${old.size} → ${now.size}; ` +
          `new sequencer elected ${(takeover - killedAt).toFixed(0)} ms after kill -9; ` +
          `first receipt for a submission sent after the kill ${nextReceiptMs.toFixed(0)} ms after it`,
      );
    },
  );
});
