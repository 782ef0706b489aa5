import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Ecosystem } from '../entries/model.js';
import { fullAudit, post, signStatement, startTestNotary, type TestNotary } from '@vet/test-support/notary-harness';
import { ReleaseWatch, type WatchDeps } from './watcher.js';
import { packument, pypiJson, sparseLines, startTestRegistry, type TestRegistry } from './__fixtures__/registry.js';
import { sparsePrefix } from './sources.js';

let reg: TestRegistry;
beforeAll(async () => {
  reg = await startTestRegistry();
});
afterAll(async () => reg.close());
afterEach(() => {
  reg.docs.clear();
  reg.requests.length = 0;
});

function watch(approved: Record<string, string[]>, over: Partial<WatchDeps['config']> = {}, now = () => Date.now()) {
  return new ReleaseWatch({
    config: {
      intervalSeconds: 3600,
      concurrency: 2,
      timeoutMs: 2000,
      registries: { npm: reg.url, pypi: reg.url, cargo: `${reg.url}/index` },
      packages: [],
      ...over,
    },
    now,
    approvedPackages: () => Object.keys(approved),
    approvedVersions: (eco: Ecosystem, name: string) => new Set(approved[`${eco}/${name}`] ?? []),
  });
}

describe('release watch against registries on 127.0.0.1', () => {
  it('npm: releases after the newest approved one are pending, with the registry publish time', async () => {
    reg.docs.set(
      '/left-pad',
      packument('left-pad', {
        '1.0.0': '2024-01-01T00:00:00Z',
        '1.1.0': '2024-02-01T00:00:00Z',
        '0.9.0': '2023-01-01T00:00:00Z',
      }),
    );
    reg.docs.set('/@scope%2Fpkg', packument('@scope/pkg', { '2.0.0': '2024-03-01T00:00:00Z' }));
    const w = watch({ 'npm/left-pad': ['1.0.0'], 'npm/@scope/pkg': [] });
    await w.pollOnce();
    expect(w.pendingFor('npm', 'left-pad')).toEqual([
      expect.objectContaining({
        version: '1.1.0',
        publishedAt: Date.parse('2024-02-01T00:00:00Z'),
        suggestedFrom: '1.0.0',
      }),
    ]);
    expect(w.pendingFor('npm', '@scope/pkg').map((p) => p.version)).toEqual(['2.0.0']);
  });

  it('a conditional request answered 304 costs no body and keeps what was known', async () => {
    reg.docs.set(
      '/left-pad',
      packument('left-pad', { '1.0.0': '2024-01-01T00:00:00Z', '1.1.0': '2024-02-01T00:00:00Z' }),
    );
    const w = watch({ 'npm/left-pad': ['1.0.0'] });
    await w.pollOnce();
    await w.pollOnce();
    expect(reg.requests.map((r) => [r.status, r.bytes > 0])).toEqual([
      [200, true],
      [304, false],
    ]);
    expect(w.counts).toMatchObject({ fetched: 1, unchanged: 1 });
    expect(w.pendingFor('npm', 'left-pad').map((p) => p.version)).toEqual(['1.1.0']);
  });

  it('PyPI JSON: the earliest upload is the publish time', async () => {
    reg.docs.set(
      '/pypi/requests/json',
      pypiJson('requests', { '2.0.0': '2024-01-01T00:00:00Z', '2.1.0': '2024-05-01T00:00:00Z' }),
    );
    const w = watch({ 'pypi/requests': ['2.0.0'] });
    await w.pollOnce();
    expect(w.pendingFor('pypi', 'requests')).toEqual([
      expect.objectContaining({ version: '2.1.0', suggestedFrom: '2.0.0' }),
    ]);
  });

  it('Cargo sparse index: publish order, yanked versions left out', async () => {
    expect([sparsePrefix('a'), sparsePrefix('ab'), sparsePrefix('abc'), sparsePrefix('serde')]).toEqual([
      '1/a',
      '2/ab',
      '3/a/abc',
      'se/rd/serde',
    ]);
    reg.docs.set('/index/se/rd/serde', sparseLines('serde', ['1.0.0', '1.0.1', '1.0.2', '1.0.3'], ['1.0.2']));
    const w = watch({ 'cargo/serde': ['1.0.1'] });
    await w.pollOnce();
    const p = w.pendingFor('cargo', 'serde');
    expect(p.map((x) => x.version)).toEqual(['1.0.3']);
    expect(p[0]?.publishedAt).toBeUndefined();
  });

  it('a registry that is down is stale, retried with backoff, and never reads as "no new releases"', async () => {
    const down = await startTestRegistry();
    await down.close();
    let now = Date.parse('2026-01-01T00:00:00Z');
    const w = watch({ 'npm/left-pad': ['1.0.0'] }, { registries: { npm: down.url } }, () => now);
    await w.pollOnce();
    expect(w.health()).toEqual([expect.objectContaining({ ecosystem: 'npm', stale: true, failures: 1 })]);
    expect(w.health()[0]?.lastError?.message).toContain(`${down.url}/left-pad`);
    await w.pollOnce(); // within the backoff: not retried
    expect(w.counts.failed).toBe(1);
    now += 5_000; // past the first backoff (1–2.5 s with jitter... at most 2 s × 1.25)
    await w.pollOnce();
    expect(w.counts.failed).toBe(2);
    expect(w.health()[0]?.failures).toBe(2);
  });
});

describe('release watch in a running notary', () => {
  let n: TestNotary;
  afterEach(async () => n?.close());

  it('a new version shows up as pending within one interval, on the package page, /v1/pending and the feed', async () => {
    reg.docs.set('/left-pad', packument('left-pad', { '1.0.0': '2024-01-01T00:00:00Z' }));
    n = await startTestNotary((c) => {
      c.watch = { intervalSeconds: 1, concurrency: 2, timeoutMs: 2000, registries: { npm: reg.url }, packages: [] };
    });
    const alice = await n.addAuditor('Alice <alice@example.com>');
    expect(
      (await post(`${n.url}/v1/submit`, signStatement(alice, fullAudit('left-pad', '1.0.0')), alice.token)).status,
    ).toBe(200);
    reg.docs.set(
      '/left-pad',
      packument('left-pad', { '1.0.0': '2024-01-01T00:00:00Z', '1.2.0': '2024-06-01T00:00:00Z' }),
    );
    const started = Date.now();
    let pending: { version: string }[] = [];
    while (pending.length === 0 && Date.now() - started < 8_000) {
      await new Promise((r) => setTimeout(r, 100));
      pending = ((await (await fetch(`${n.url}/v1/pending`)).json()) as { pending: { version: string }[] }).pending;
    }
    // The approval lands after the first round at the latest; one more interval finds 1.2.0.
    expect(Date.now() - started).toBeLessThan(4_000); // one 1-s interval, with slack for a loaded machine
    expect(pending).toEqual([
      expect.objectContaining({ version: '1.2.0', suggestedFrom: '1.0.0', publishedAt: '2024-06-01T00:00:00.000Z' }),
    ]);
    const page: any = await (
      await fetch(`${n.url}/packages/npm/left-pad`, { headers: { accept: 'application/json' } })
    ).json();
    expect(page.pending.map((p: { version: string }) => p.version)).toEqual(['1.2.0']);
    const atom = await (await fetch(`${n.url}/pending.atom`)).text();
    expect(atom).toContain('<title>npm left-pad 1.2.0</title>');
    const home: any = await (await fetch(`${n.url}/`, { headers: { accept: 'application/json' } })).json();
    expect(home.watch).toEqual([expect.objectContaining({ ecosystem: 'npm', stale: false })]);
  });

  it('a registry that is down shows as stale on the home page', async () => {
    const down = await startTestRegistry();
    await down.close();
    n = await startTestNotary((c) => {
      c.watch = {
        intervalSeconds: 60,
        concurrency: 2,
        timeoutMs: 1000,
        registries: { npm: down.url },
        packages: ['npm/left-pad'],
      };
    });
    await n.running.watch?.pollOnce();
    const html = await (await fetch(`${n.url}/`)).text();
    expect(html).toContain('<strong>stale</strong>');
    expect(html).toContain('new releases may be missing');
    const pend = await (await fetch(`${n.url}/pending`)).text();
    expect(pend).toContain('stale');
  });

  it("the cooldown checks the registry's publish time, and a releasedAt a day off it is refused", async () => {
    const day = 86_400_000;
    const at = (daysAgo: number) => new Date(Date.now() - daysAgo * day).toISOString();
    reg.docs.set('/left-pad', packument('left-pad', { '1.0.0': at(100), '2.0.0': at(2) }));
    n = await startTestNotary((c) => {
      c.policy.cooldownDays = 30;
      c.watch = {
        intervalSeconds: 60,
        concurrency: 2,
        timeoutMs: 2000,
        registries: { npm: reg.url },
        packages: ['npm/left-pad'],
      };
    });
    await n.running.watch?.pollOnce();
    const alice = await n.addAuditor('Alice <alice@example.com>');
    const submit = (version: string, releasedAt: string) =>
      post(
        `${n.url}/v1/submit`,
        signStatement(alice, fullAudit('left-pad', version, { extra: { releasedAt } })),
        alice.token,
      );
    const young = await submit('2.0.0', at(60)); // the auditor's claim would pass the cooldown
    expect(young.status).toBe(422);
    expect(young.json.error.message).toMatch(/disagrees with the registry's publish time/);
    const honest = await submit('2.0.0', at(2));
    expect(honest.status).toBe(422);
    expect(honest.json.error.message).toMatch(/younger than the 30-day cooldown/);
    expect((await submit('1.0.0', at(100.5))).status).toBe(200);
  });
});
