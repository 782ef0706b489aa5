/**
 * /readyz is not ready while static publishing fails (a file where `static/` should be) or
 * while file descriptors run out (a real server process under `ulimit -n 128`, with real
 * connections held open), and is ready again once the cause is gone — without a restart.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { paths } from './datadir.js';
import { serverUrlFile } from './operator.js';
import { initTestDataDir, post, randomAuditEnvelope, startTestNotary, tempDir } from '@vet/test-support/notary-harness';

async function until(cond: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

const readyz = async (url: string) => {
  const r = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(10_000) });
  return { status: r.status, body: (await r.json()) as { reasons?: string[] } };
};

describe('/readyz', () => {
  it('is not ready while the static tiles cannot be published, ready once they can', async () => {
    const n = await startTestNotary((c) => (c.sequencer.publishIntervalMs = 0));
    try {
      const alice = await n.addAuditor('Alice');
      const staticDir = paths(n.dir).static;
      rmSync(staticDir, { recursive: true });
      writeFileSync(staticDir, 'in the way');
      expect((await post(`${n.url}/v1/submit`, randomAuditEnvelope(alice), alice.token)).status).toBe(200);
      await until(async () => (await readyz(n.url)).status === 503);
      expect((await readyz(n.url)).body.reasons?.join('\n')).toMatch(/^static: publishing the tiles failed/m);
      rmSync(staticDir);
      mkdirSync(staticDir);
      await until(async () => (await readyz(n.url)).status === 200);
      expect(existsSync(join(staticDir, 'checkpoint'))).toBe(true);
    } finally {
      await n.close();
    }
  });

  it('is not ready while file descriptors run out, ready once they are given back', async () => {
    const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
    const { dir, cleanup } = tempDir();
    initTestDataDir(dir);
    const child = spawn('sh', ['-c', `ulimit -n 128 && exec "${process.execPath}" "${bin}" serve "${dir}" --port 0`], {
      stdio: 'ignore',
    });
    const sockets: Socket[] = [];
    try {
      await until(async () => existsSync(serverUrlFile(dir)));
      const url = readFileSync(serverUrlFile(dir), 'utf8').trim();
      const { port } = new URL(url);
      expect((await readyz(url)).status).toBe(200);
      // The reserve is 16 of 128. The server's count at rest grows for a while after it starts
      // (worker threads, the static publisher), so rather than computing how many to hold, hold
      // one connection more at a time until /readyz says not ready — well before none are left.
      let notReady: string[] | undefined;
      for (let held = 0; notReady === undefined; held++) {
        if (held > 128) throw new Error(`/readyz stayed ready with ${held} connections held`);
        const s = connect(Number(port), '127.0.0.1');
        s.on('error', () => {});
        sockets.push(s);
        await new Promise((r) => s.once('connect', r));
        const r = await readyz(url);
        if (r.status === 503) notReady = r.body.reasons;
        else expect(r.status).toBe(200);
      }
      expect(readdirSync(`/proc/${child.pid}/fd`).length).toBeLessThan(128);
      expect(notReady?.join('\n')).toMatch(/^file descriptors: (\d+ of 128 in use|exhausted)/m);
      for (const s of sockets.splice(0)) s.destroy();
      await until(async () => (await readyz(url)).status === 200);
    } finally {
      for (const s of sockets) s.destroy();
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      cleanup();
    }
  });
});
