import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAudits } from '@vet/core';
import {
  fullAudit,
  post,
  randomAuditEnvelope,
  signStatement,
  startTestNotary,
  type TestAuditor,
  type TestNotary,
} from '@vet/test-support/notary-harness';

const feed = async (n: TestNotary) =>
  parseAudits(await (await fetch(`${n.url}/v1/feeds/npm/audits.toml`)).text(), 'feed.toml');

describe('quorum 2: an approval is published once two distinct auditors attested it', () => {
  let n: TestNotary;
  let a: TestAuditor;
  let b: TestAuditor;
  beforeAll(async () => {
    n = await startTestNotary((c) => (c.policy.quorum = 2));
    a = await n.addAuditor('A');
    b = await n.addAuditor('B');
  });
  afterAll(async () => n.close());

  it('one attestation is logged but not published; a second from another auditor publishes it', async () => {
    const claim = fullAudit('q-pkg', '1.0.0');
    expect((await post(`${n.url}/v1/submit`, signStatement(a, { ...claim, who: 'A' }), a.token)).status).toBe(200);
    expect((await feed(n)).audits['q-pkg']).toBeUndefined();
    // The same auditor again (different wording) still counts once.
    expect(
      (await post(`${n.url}/v1/submit`, signStatement(a, { ...claim, who: 'A', notes: 'again' }), a.token)).status,
    ).toBe(200);
    expect((await feed(n)).audits['q-pkg']).toBeUndefined();
    // A different artifact digest is a different claim.
    expect(
      (
        await post(
          `${n.url}/v1/submit`,
          signStatement(b, { ...claim, who: 'B', digests: { '1.0.0': `sha512-${'A'.repeat(86)}==` } }),
          b.token,
        )
      ).status,
    ).toBe(200);
    expect((await feed(n)).audits['q-pkg']).toBeUndefined();
    expect((await post(`${n.url}/v1/submit`, signStatement(b, { ...claim, who: 'B' }), b.token)).status).toBe(200);
    const rows = (await feed(n)).audits['q-pkg'];
    expect(rows).toHaveLength(1);
    expect(rows?.[0]?.who).toEqual(['A', 'B']);
  });
});

describe('cooldown and rate limit', () => {
  let n: TestNotary;
  let a: TestAuditor;
  const now = Date.now();
  beforeAll(async () => {
    n = await startTestNotary((c) => {
      c.policy.cooldownDays = 7;
      c.limits.ratePerSecond = 1;
      c.limits.burst = 3;
    });
    a = await n.addAuditor('A');
  });
  afterAll(async () => n.close());

  it('refuses approvals of releases younger than the cooldown, accepts older ones', async () => {
    const young = signStatement(
      a,
      fullAudit('c-pkg', '1.0.0', { extra: { releasedAt: new Date(now - 2 * 86_400_000).toISOString() } }),
    );
    const r1 = await post(`${n.url}/v1/submit`, young, a.token);
    expect([r1.status, r1.json.error.code]).toEqual([422, 'POLICY']);
    expect(r1.json.error.message).toMatch(/cooldown/);
    const unknownAge = await post(`${n.url}/v1/submit`, signStatement(a, fullAudit('c-pkg', '1.0.1')), a.token);
    expect([unknownAge.status, unknownAge.json.error.code]).toEqual([422, 'POLICY']);
    const old = signStatement(
      a,
      fullAudit('c-pkg', '0.9.0', { extra: { releasedAt: new Date(now - 30 * 86_400_000).toISOString() } }),
    );
    expect((await post(`${n.url}/v1/submit`, old, a.token)).status).toBe(200);
  });

  it('answers 429 with Retry-After once the token bucket is empty', async () => {
    let limited: Awaited<ReturnType<typeof post>> | undefined;
    for (let i = 0; i < 6 && !limited; i++) {
      const r = await post(`${n.url}/v1/submit`, randomAuditEnvelope(a), a.token);
      if (r.status === 429) limited = r;
    }
    expect(limited?.json.error.code).toBe('RATE_LIMITED');
    expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });
});
