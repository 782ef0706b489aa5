/**
 * Static publication off the event loop: close() waits for the last run, and no run starts
 * after it. (A run started by the end of a run once cleared the handle of a pending timer,
 * which then fired on the closed database; at concurrency 64 the bench hit it on every
 * shutdown, this test hits that interleaving only by chance.) What is published matches
 * the HTTP read path (server.test.ts).
 */
import { readFileSync } from 'node:fs';
import { hashLeaf } from '@vet/core';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDataDir } from '../datadir.js';
import { createNotary } from '../notary.js';
import { publishStaticAsync } from './publish.js';
import type { StaticFile, StaticTarget } from './static-target.js';
import { MerkleLevels } from './tree.js';
import { addTestAuditor, initTestDataDir, randomAuditEnvelope, tempDir } from '@vet/test-support/notary-harness';

describe('static publisher', () => {
  it('publishes while entries arrive, and close() leaves no run behind', async () => {
    const { dir, cleanup } = tempDir();
    try {
      initTestDataDir(dir, (c) => (c.sequencer.publishIntervalMs = 1));
      const alice = await addTestAuditor(dir, 'Alice');
      const opened = openDataDir(dir);
      const events: Record<string, unknown>[] = [];
      const notary = createNotary({
        db: opened.db,
        config: opened.config,
        keys: opened.keys,
        staticDir: join(dir, 'static'),
        log: (e) => events.push(e),
      });
      const who = { subject: 'admin', role: 'admin' as const, id: 'test' };
      // Concurrent rounds, so commits (and timers) keep arriving while runs write.
      for (let round = 0; round < 6; round++) {
        const envelopes = Array.from({ length: 30 }, () => randomAuditEnvelope(alice));
        await Promise.all(envelopes.map((e) => notary.submit(e, who)));
      }
      const last = notary.latest().note;
      await notary.close();
      expect(readFileSync(join(dir, 'static/checkpoint'), 'utf8')).toBe(last);
      opened.db.close();
      await new Promise((r) => setTimeout(r, 50)); // a stray timer would fire here
      expect(events).toEqual([]);
    } finally {
      cleanup();
    }
  });
});

describe('a shared static target', () => {
  it('never gets an older checkpoint back (an ex-sequencer publishing late)', async () => {
    const written: StaticFile[] = [];
    let there = 5;
    const bucket: StaticTarget = {
      where: 'memory',
      publishedSize: () => Promise.resolve(there),
      write: (f) => {
        written.push(f);
        return Promise.resolve();
      },
    };
    const leaves = [0, 1, 2].map((i) => Buffer.from(`entry ${i}`));
    const tree = new MerkleLevels();
    for (const l of leaves) tree.append(hashLeaf(l));
    const src = { tree, readLeaves: (a: number, b: number) => leaves.slice(a, b) };
    const publication = { fromSize: 0, size: 3, checkpoint: 'origin\n3\nroot\n', withKeys: false };
    await publishStaticAsync(bucket, src, publication);
    expect(written.map((f) => f.path)).not.toContain('checkpoint');
    there = 2;
    await publishStaticAsync(bucket, src, publication);
    expect(written.at(-1)?.path).toBe('checkpoint');
  });
});
