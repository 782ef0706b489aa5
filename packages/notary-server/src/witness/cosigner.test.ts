/**
 * Witness slowness never blocks the log: with a witness that accepts connections but never
 * answers, every submission still gets its receipt (with a ten-minute witness timeout),
 * shutdown aborts the request in flight, and with a short timeout the round ends and
 * /checkpoint serves the log-signed checkpoint.
 * Also: the `static` and `witnesses` sections of notary.json round-trip and report every
 * problem.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  appendNoteSignatures,
  formatCheckpoint,
  generateNoteSigner,
  signCosignature,
  signNote,
  verifyCosignature,
} from '@vet/core';
import { carryCosignatures } from './cosigner.js';
import { formatNotaryConfig, parseNotaryConfig } from '../config.js';
import { paths as notaryPaths } from '../datadir.js';
import { serveNotary } from '../server.js';
import { addWitnessedLog, initWitnessDir, serveWitness, type RunningWitness } from './server.js';
import {
  ORIGIN,
  post,
  randomAuditEnvelope,
  startTestNotary,
  tempDir,
  type TestNotary,
} from '@vet/test-support/notary-harness';

async function silentWitness(): Promise<{ url: string; key: string; held: IncomingMessage[]; close(): Promise<void> }> {
  const held: IncomingMessage[] = [];
  const server = createServer((req) => void held.push(req));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    key: generateNoteSigner('witness.test/silent', 0x04).verifierKey,
    held,
    async close() {
      for (const r of held) r.socket.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

describe('a witness that never answers', () => {
  it('does not hold up receipts, and shutting down does not wait for it', async () => {
    const w = await silentWitness();
    // Ten minutes: a receipt that waited for this witness would never come in the test's time.
    const n = await startTestNotary((c) => (c.witnesses = [{ url: w.url, key: w.key, timeoutMs: 600_000 }]));
    try {
      const alice = await n.addAuditor('Alice');
      for (let i = 0; i < 5; i++)
        expect((await post(`${n.url}/v1/submit`, randomAuditEnvelope(alice), alice.token)).status).toBe(200);
      expect(w.held.length).toBeGreaterThan(0); // it was asked, and is still being waited for
    } finally {
      await n.close(); // aborts the request in flight
      await w.close();
    }
  });

  it('the round ends at the timeout and /checkpoint serves the log-signed checkpoint', async () => {
    const w = await silentWitness();
    const n = await startTestNotary((c) => (c.witnesses = [{ url: w.url, key: w.key, timeoutMs: 300 }]));
    try {
      const alice = await n.addAuditor('Alice');
      expect((await post(`${n.url}/v1/submit`, randomAuditEnvelope(alice), alice.token)).status).toBe(200);
      const latest = n.running.notary.latest().note;
      const end = Date.now() + 20_000;
      while ((await fetch(`${n.url}/checkpoint`).then((r) => r.text())) !== latest) {
        if (Date.now() > end) throw new Error('the log-signed checkpoint was never served');
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      await n.close();
      await w.close();
    }
  });
});

describe('an idle witnessed log', () => {
  it('is re-witnessed every witnessRefreshSeconds: same checkpoint, a newer cosignature', async () => {
    const t = tempDir('vet-witness-');
    initWitnessDir(t.dir, 'witness.test/w1', { host: '127.0.0.1', port: 0 });
    let n: TestNotary | undefined;
    const w = { current: undefined as RunningWitness | undefined };
    try {
      n = await startTestNotary((c) => {
        c.witnessRefreshSeconds = 1;
        c.witnesses = [
          { url: 'http://127.0.0.1:9', key: generateNoteSigner('placeholder', 0x04).verifierKey, timeoutMs: 500 },
        ];
      });
      // The witness needs the notary's key and the notary the witness's URL: start the witness, then restart the notary.
      await n.running.close();
      addWitnessedLog(t.dir, { origin: ORIGIN, keys: [n.verifierKey] });
      w.current = await serveWitness(t.dir, { port: 0 });
      const cfgPath = notaryPaths(n.dir).config;
      const cfg = parseNotaryConfig(readFileSync(cfgPath, 'utf8'), cfgPath);
      cfg.witnesses = [{ url: w.current.url, key: w.current.vkey, timeoutMs: 5000 }];
      writeFileSync(cfgPath, formatNotaryConfig(cfg));
      const running = await serveNotary(n.dir, { port: 0 });
      const first0 = n;
      n = {
        ...n,
        running,
        url: running.url,
        async close() {
          await running.close();
          await first0.close(); // the first server (already closed) and the temp dir
        },
      };
      const witnessTime = async () => {
        const note = await fetch(`${running.url}/checkpoint`).then((r) => r.text());
        const line = note.split('\n').find((l) => l.startsWith('\u2014 witness.test/w1 '));
        return line === undefined
          ? 0
          : verifyCosignature(note.slice(0, note.indexOf('\n\n') + 1), line, w.current!.vkey).timestamp;
      };
      const until = async (cond: () => Promise<boolean>) => {
        const end = Date.now() + 20_000;
        while (!(await cond())) {
          if (Date.now() > end) throw new Error('condition not met in time');
          await new Promise((r) => setTimeout(r, 100));
        }
      };
      let first = 0;
      await until(async () => (first = await witnessTime()) > 0);
      const size = running.notary.latest().size;
      await until(async () => (await witnessTime()) > first);
      expect(running.notary.latest().size).toBe(size); // nothing was logged: the same checkpoint, cosigned again
    } finally {
      await n?.close();
      await w.current?.close();
      t.cleanup();
    }
  });
});

describe('cosignatures across a restart', () => {
  it('a restarted notary serves the cosigned checkpoint of its last run, even while the witness is down', async () => {
    const t = tempDir('vet-witness-');
    initWitnessDir(t.dir, 'witness.test/w1', { host: '127.0.0.1', port: 0 });
    const n = await startTestNotary((c) => (c.sequencer.publishIntervalMs = 10));
    let witness: RunningWitness | undefined;
    let restarted: Awaited<ReturnType<typeof serveNotary>> | undefined;
    try {
      await n.running.close();
      addWitnessedLog(t.dir, { origin: ORIGIN, keys: [n.verifierKey] });
      witness = await serveWitness(t.dir, { port: 0 });
      const cfgPath = notaryPaths(n.dir).config;
      const cfg = parseNotaryConfig(readFileSync(cfgPath, 'utf8'), cfgPath);
      cfg.witnesses = [{ url: witness.url, key: witness.vkey, timeoutMs: 300 }];
      writeFileSync(cfgPath, formatNotaryConfig(cfg));
      const first = await serveNotary(n.dir, { port: 0 });
      const lines = async (url: string) =>
        (await fetch(`${url}/checkpoint`).then((r) => r.text())).split('\n— ').length - 1;
      const end = Date.now() + 20_000;
      const staticCheckpoint = join(notaryPaths(n.dir).static, 'checkpoint');
      while ((await lines(first.url)) !== 2 || !readFileSync(staticCheckpoint, 'utf8').includes('— witness.test/w1 ')) {
        if (Date.now() > end) throw new Error('never cosigned');
        await new Promise((r) => setTimeout(r, 50));
      }
      const cosigned = await fetch(`${first.url}/checkpoint`).then((r) => r.text());
      await first.close();
      await witness.close();
      witness = undefined;

      const events: Record<string, unknown>[] = [];
      restarted = await serveNotary(n.dir, { port: 0, log: (e) => events.push(e) });
      expect(await fetch(`${restarted.url}/checkpoint`).then((r) => r.text())).toBe(cosigned);
      while (!events.some((e) => e.event === 'witness_failed')) {
        if (Date.now() > end) throw new Error('the round never ended');
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(await fetch(`${restarted.url}/checkpoint`).then((r) => r.text())).toBe(cosigned);
    } finally {
      await restarted?.close();
      await witness?.close();
      await n.close();
      t.cleanup();
    }
  });

  it('carryCosignatures keeps verified lines of absent witnesses only, for the same checkpoint', () => {
    const log = generateNoteSigner(ORIGIN);
    const w1 = generateNoteSigner('witness.test/w1', 0x04);
    const w2 = generateNoteSigner('witness.test/w2', 0x04);
    const text = formatCheckpoint({ origin: ORIGIN, size: 1, rootHash: new Uint8Array(32).fill(7) });
    const note = signNote(text, log.signerKey);
    const old1 = signCosignature(text, w1.signerKey, 100);
    const old2 = signCosignature(text, w2.signerKey, 100);
    const previous = appendNoteSignatures(note, [old1, old2]);
    const keys = [w1.verifierKey, w2.verifierKey];
    expect(carryCosignatures(note, previous, keys)).toBe(previous);
    const fresh1 = appendNoteSignatures(note, [signCosignature(text, w1.signerKey, 200)]);
    expect(carryCosignatures(fresh1, previous, keys)).toBe(appendNoteSignatures(fresh1, [old2])); // w1 once, its new line
    expect(carryCosignatures(note, previous, [w1.verifierKey])).toBe(appendNoteSignatures(note, [old1])); // w2 not configured
    const other = signNote(formatCheckpoint({ origin: ORIGIN, size: 2, rootHash: new Uint8Array(32) }), log.signerKey);
    expect(carryCosignatures(other, previous, keys)).toBe(other); // another checkpoint: nothing carried
    expect(carryCosignatures(note, 'garbage', keys)).toBe(note);
  });
});

describe('notary.json: static and witnesses', () => {
  const w = generateNoteSigner('witness.test/w1', 0x04).verifierKey;
  it('round-trips', () => {
    const text = JSON.stringify({
      origin: 'example.com/log',
      static: {
        target: 's3://my-bucket/vet/log',
        endpoint: 'http://127.0.0.1:9000',
        region: 'eu-west-1',
        forcePathStyle: true,
      },
      witnesses: [{ url: 'https://witness.example.org/w1/', key: w }],
    });
    const c = parseNotaryConfig(text, 'notary.json');
    expect(c.static).toEqual({
      target: 's3://my-bucket/vet/log',
      endpoint: 'http://127.0.0.1:9000',
      region: 'eu-west-1',
      forcePathStyle: true,
    });
    expect(c.witnesses).toEqual([{ url: 'https://witness.example.org/w1', key: w, timeoutMs: 5000 }]);
    expect(parseNotaryConfig(formatNotaryConfig(c), 'notary.json')).toEqual(c);
    expect(parseNotaryConfig(JSON.stringify({ origin: 'o', static: { target: '/srv/tiles' } }), 'n').static).toEqual({
      target: '/srv/tiles',
    });
  });

  it('reports every problem', () => {
    const text = JSON.stringify({
      origin: 'example.com/log',
      static: { target: 's3://UPPER', region: 'no spaces allowed', credentials: { accessKeyId: 1 } },
      witnesses: [
        { url: 'ftp://x', key: generateNoteSigner('log-key-not-witness').verifierKey },
        { url: 'https://ok.example', key: w, timeoutMs: 5 },
      ],
    });
    let messages: string[] = [];
    try {
      parseNotaryConfig(text, 'notary.json');
    } catch (e) {
      messages = (e as { problems: { message: string }[] }).problems.map((p) => p.message);
    }
    for (const needle of ['static.target', 'witnesses[0].url', 'witnesses[0].key', 'witnesses[1].timeoutMs'])
      expect(
        messages.some((m) => m.includes(needle)),
        needle,
      ).toBe(true);
  });
});
