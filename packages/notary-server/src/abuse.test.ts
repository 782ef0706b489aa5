/**
 * Abuse limits over real sockets: unauthenticated requests take from a bucket per client
 * address (the loopback range gives us several addresses), lookups from a second, smaller
 * one; an empty bucket is 429 with Retry-After. Read answers carry an ETag of the tree size
 * and a conditional request for an unchanged tree is a 304.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  randomAuditEnvelope,
  post,
  startTestNotary,
  type TestAuditor,
  type TestNotary,
} from '@vet/test-support/notary-harness';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request from a chosen local address (127.0.0.0/8 all reach the loopback listener). */
function get(base: string, path: string, from = '127.0.0.1', headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { localAddress: from, headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('per-address limits for unauthenticated requests', () => {
  let n: TestNotary;
  let alice: TestAuditor;
  beforeAll(async () => {
    n = await startTestNotary((c) => {
      c.limits.anonymousRatePerSecond = 0.01;
      c.limits.anonymousBurst = 4;
      c.limits.lookupRatePerSecond = 0.01;
      c.limits.lookupBurst = 2;
    });
    alice = await n.addAuditor('Alice <alice@example.com>');
  });
  afterAll(async () => n.close());

  it('a burst past the bucket is 429 RATE_LIMITED with Retry-After; other addresses are served', async () => {
    const from = '127.0.0.11';
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await get(n.url, '/checkpoint', from)).status);
    expect(statuses).toEqual([200, 200, 200, 200]);
    const limited = await get(n.url, '/tile/0/000.p/1', from);
    expect(limited.status).toBe(429);
    expect(JSON.parse(limited.body).error.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect((await get(n.url, '/checkpoint', '127.0.0.12')).status).toBe(200);
    // Probes are not limited; an auditor's token has its own bucket.
    expect((await get(n.url, '/healthz', from)).status).toBe(200);
    expect((await post(`${n.url}/v1/submit`, randomAuditEnvelope(alice), alice.token)).status).toBe(200);
  });

  it('a refused token is charged to the address: token guessing is limited too', async () => {
    const from = '127.0.0.13';
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await new Promise<number>((resolve, reject) => {
        const req = request(
          `${n.url}/v1/submit`,
          { method: 'POST', localAddress: from, agent: false, headers: { authorization: 'Bearer vetn_guess' } },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          },
        );
        req.on('error', reject);
        req.end('{}');
      });
      codes.push(r);
    }
    expect(codes).toEqual([401, 401, 401, 401, 429]);
  });

  it('lookups take from their own smaller bucket as well', async () => {
    const from = '127.0.0.14';
    const codes = [];
    for (let i = 0; i < 3; i++) codes.push((await get(n.url, '/v1/lookup/npm/left-pad', from)).status);
    expect(codes).toEqual([200, 200, 429]);
    expect((await get(n.url, '/checkpoint', from)).status).toBe(200);
  });
});

describe('client address behind a proxy', () => {
  let n: TestNotary;
  beforeAll(async () => {
    n = await startTestNotary((c) => {
      c.limits.anonymousRatePerSecond = 0.01;
      c.limits.anonymousBurst = 1;
      c.limits.clientAddressHeader = 'x-forwarded-for';
    });
  });
  afterAll(async () => n.close());

  it("the configured header's last value is the client: one proxy, separate buckets", async () => {
    const via = (client: string) => get(n.url, '/checkpoint', '127.0.0.1', { 'x-forwarded-for': `6.6.6.6, ${client}` });
    expect((await via('10.0.0.1')).status).toBe(200);
    expect((await via('10.0.0.1')).status).toBe(429);
    expect((await via('10.0.0.2')).status).toBe(200);
  });
});

describe('read answers are cached by tree size', () => {
  let n: TestNotary;
  let alice: TestAuditor;
  beforeAll(async () => {
    n = await startTestNotary();
    alice = await n.addAuditor('Alice <alice@example.com>');
  });
  afterAll(async () => n.close());

  it('checkpoint, lookup and feed: ETag, 304 while the tree is unchanged, a new ETag after it grows', async () => {
    for (const path of ['/checkpoint', '/v1/lookup/npm/left-pad', '/v1/feeds/npm/audits.toml']) {
      const first = await get(n.url, path);
      expect([path, first.status, first.headers['cache-control']]).toEqual([path, 200, 'public, no-cache']);
      const etag = String(first.headers.etag);
      // tree size, checkpoint hash, policy hash; a lookup also names how many artifacts the archive holds
      expect(etag).toMatch(/^"\d+-[0-9a-f]+-[0-9a-f]+(-a\d+)?"$/);
      const again = await get(n.url, path, '127.0.0.1', { 'if-none-match': etag });
      expect([path, again.status, again.body, again.headers.etag]).toEqual([path, 304, '', etag]);
      expect((await post(`${n.url}/v1/submit`, randomAuditEnvelope(alice), alice.token)).status).toBe(200);
      const grown = await get(n.url, path, '127.0.0.1', { 'if-none-match': etag });
      expect(grown.status).toBe(200);
      expect(grown.headers.etag).not.toBe(etag);
    }
  });

  it('tiles and consistency proofs between two sizes are immutable', async () => {
    expect((await get(n.url, '/tile/0/000.p/1')).headers['cache-control']).toMatch(/immutable/);
    expect((await get(n.url, '/v1/proof/consistency?from=1&to=2')).headers['cache-control']).toMatch(/immutable/);
    expect((await get(n.url, '/v1/proof/consistency?from=1')).headers['cache-control']).toBe('no-store');
  });
});
