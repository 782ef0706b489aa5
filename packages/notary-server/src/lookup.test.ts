/**
 * `/v1/lookup` pages its answer: at most `limit` (≤ 100) entries a page, an opaque cursor to
 * the next, each entry and each approval on exactly one page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fullAudit,
  post,
  signStatement,
  startTestNotary,
  type TestAuditor,
  type TestNotary,
} from '@vet/test-support/notary-harness';

interface Page {
  treeSize: number;
  entries: { index: number; claim: { version: string } }[];
  approvals: { version: string; entries: number[] }[];
  next?: string;
}

const VERSIONS = 230;
let n: TestNotary;
let alice: TestAuditor;

beforeAll(async () => {
  n = await startTestNotary();
  alice = await n.addAuditor('Alice <alice@example.com>');
  const sends = [];
  for (let v = 0; v < VERSIONS; v++) {
    sends.push(
      post(`${n.url}/v1/submit`, signStatement(alice, fullAudit('many', `1.0.${v}`, { who: alice.name })), alice.token),
    );
  }
  expect((await Promise.all(sends)).map((r) => r.status)).toEqual(Array(VERSIONS).fill(200));
}, 60_000);
afterAll(async () => n.close());

const get = async (query: string) => {
  const res = await fetch(`${n.url}/v1/lookup/npm/many${query}`);
  return { status: res.status, body: (await res.json()) as Page & { error?: { code: string } } };
};

describe('lookup pages', () => {
  it('walks a package of many versions in bounded pages, each entry and approval once', async () => {
    const seen: number[] = [];
    const approved: string[] = [];
    let query = '?limit=100';
    let pages = 0;
    for (;;) {
      const { status, body } = await get(query);
      expect(status).toBe(200);
      expect(body.entries.length).toBeLessThanOrEqual(100);
      seen.push(...body.entries.map((e) => e.index));
      approved.push(...body.approvals.map((a) => a.version));
      pages += 1;
      if (body.next === undefined) break;
      query = `?limit=100&cursor=${body.next}`;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(new Set(seen).size).toBe(VERSIONS);
    expect(approved.sort()).toEqual(Array.from({ length: VERSIONS }, (_, v) => `1.0.${v}`).sort());
  });

  it('a smaller limit gives smaller pages; the default is the maximum', async () => {
    const small = await get('?limit=7');
    expect(small.body.entries).toHaveLength(7);
    expect(small.body.approvals).toHaveLength(7);
    expect((await get('')).body.entries).toHaveLength(100);
  });

  it('refuses a limit above the maximum and a cursor it did not give out', async () => {
    for (const q of ['?limit=101', '?limit=0', '?cursor=abc', '?cursor=djE6LTE', '?cursor=' + 'A'.repeat(40)]) {
      const r = await get(q);
      expect([q, r.status, r.body.error?.code]).toEqual([q, 400, 'MALFORMED']);
    }
  });
});
