/**
 * A stored entry the state machine cannot interpret never stops the notary: written into the
 * database behind admission's back (as a notary before issue 11 admitted its BOM entry), the
 * server still starts and serves the log, /readyz reports the entry (index and rule), and
 * `vet-notary verify` fails on it. A data dir the server truly cannot start on makes the
 * binary exit with a one-line message instead of hanging.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { hashLeaf } from '@vet/core';
import { issue11Quirks } from '@vet/test-support/notary-quirks';
import { openNotaryDb } from './db/open.js';
import { addTestAuditor, initTestDataDir, randomAuditEnvelope, post, tempDir } from '@vet/test-support/notary-harness';
import { runCli } from './cli/main.js';
import { serveNotary } from './server.js';

/** Appends `leaf` through the sequencer alone: committed and checkpointed, never admitted. */
async function smuggle(dir: string, leaf: Uint8Array): Promise<number> {
  const running = await serveNotary(dir, { port: 0 });
  try {
    const done = await running.notary.sequencer.submit({
      leaf,
      leafHash: hashLeaf(leaf),
      dedupe: Buffer.from(hashLeaf(leaf)).toString('hex'),
      kind: 'audit',
      signer: 'smuggled',
      submittedBy: 'test',
    });
    return done.index;
  } finally {
    await running.close();
  }
}

describe('a stored entry that cannot be interpreted', () => {
  it('the server starts, serves the log, reports it on /readyz; verify fails on it', async () => {
    const t = tempDir();
    const dir = t.dir;
    try {
      initTestDataDir(dir);
      const alice = await addTestAuditor(dir, 'Alice');
      const bom = issue11Quirks(alice).find((q) => q.rule === 'ENTRY_BOM')!;
      const index = await smuggle(dir, bom.bytes);
      const running = await serveNotary(dir, { port: 0 });
      try {
        const ready = await fetch(`${running.url}/readyz`);
        expect(ready.status).toBe(503);
        expect(await ready.json()).toMatchObject({ ok: false, entries: [{ index, rule: 'ENTRY_BOM' }] });
        const cp = await (await fetch(`${running.url}/checkpoint`)).text();
        expect(cp.split('\n')[1]).toBe(String(index + 1));
        expect((await fetch(`${running.url}/tile/entries/000.p/${index + 1}`)).status).toBe(200);
        // It keeps admitting: the next entry gets the next index.
        const r = await post(`${running.url}/v1/submit`, randomAuditEnvelope(alice), alice.token);
        expect(r.json.index).toBe(index + 1);
      } finally {
        await running.close();
      }
      const out: string[] = [];
      const code = await runCli(['verify', dir], {
        out: (l) => out.push(l),
        err: (l) => out.push(l),
        untilSignal: async () => {},
      });
      expect(code).toBe(1);
      expect(out.join('\n')).toMatch(new RegExp(`entry ${index}: ENTRY_BOM`));
    } finally {
      t.cleanup();
    }
  });

  const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
  it.skipIf(!existsSync(bin))(
    'a data dir it truly cannot start on: the binary exits at once with one line',
    async () => {
      const t = tempDir();
      const dir = t.dir;
      try {
        initTestDataDir(dir);
        await addTestAuditor(dir, 'Alice');
        const db = openNotaryDb(join(dir, 'notary.db'));
        db.prepare('DELETE FROM entries WHERE idx = (SELECT MAX(idx) FROM entries)').run(); // behind its checkpoint
        db.close();
        const child = spawn(process.execPath, [bin, 'serve', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
        let stderr = '';
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        const code = await new Promise<number | null>((resolve) => {
          const t = setTimeout(() => {
            child.kill('SIGKILL');
            resolve(null);
          }, 20_000);
          child.once('exit', (c) => {
            clearTimeout(t);
            resolve(c);
          });
        });
        expect(code, `still running after 20 s; stderr: ${stderr}`).toBe(1);
        expect(stderr.trim().split('\n')[0]).toMatch(/^error\[LOG_INCONSISTENT\]: latest checkpoint has size 1/);
      } finally {
        t.cleanup();
      }
    },
  );
});
