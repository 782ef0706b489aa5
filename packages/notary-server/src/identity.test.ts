/**
 * Identity at the notary: tokens act for an auditor's key id, not its display name, so two
 * auditors named alike stay apart (tokens, revocations); an approval's `who` is the name
 * registered at `auditor add`, whatever text the signed statement carries.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeAuditStatement, signDsse, IN_TOTO_PAYLOAD_TYPE, parseAudits } from '@vet/core';
import {
  fullAudit,
  post,
  signStatement,
  startTestNotary,
  type TestAuditor,
  type TestNotary,
} from '@vet/test-support/notary-harness';

describe('auditors are their key ids', () => {
  let n: TestNotary;
  let alice1: TestAuditor;
  let alice2: TestAuditor;
  const submit = (body: Uint8Array, token: string) => post(`${n.url}/v1/submit`, body, token);
  beforeAll(async () => {
    n = await startTestNotary();
    alice1 = await n.addAuditor('Alice <alice@example.com>');
    alice2 = await n.addAuditor('Alice <alice@example.com>');
  });
  afterAll(async () => n.close());

  it("one Alice's token cannot submit the other Alice's envelope; each submits her own", async () => {
    const crossed = await submit(signStatement(alice2, fullAudit('id-pkg', '1.0.0')), alice1.token);
    expect([crossed.status, crossed.json.error.code]).toEqual([403, 'FORBIDDEN']);
    expect((await submit(signStatement(alice1, fullAudit('id-pkg', '1.0.1')), alice1.token)).status).toBe(200);
    expect((await submit(signStatement(alice2, fullAudit('id-pkg', '1.0.2')), alice2.token)).status).toBe(200);
  });

  it("one Alice cannot revoke the other Alice's approval", async () => {
    const r = await submit(signStatement(alice1, fullAudit('id-pkg', '1.1.0')), alice1.token);
    const payload = makeAuditStatement({
      kind: 'revocation',
      ecosystem: 'npm',
      package: 'id-pkg',
      criteria: [],
      who: 'Alice <alice@example.com>',
      digests: {},
      revokes: r.json.leafHash,
    });
    const env = signDsse(payload, IN_TOTO_PAYLOAD_TYPE, { keyid: alice2.keyid, secretKey: alice2.keys.secretKey });
    const refused = await submit(Buffer.from(JSON.stringify(env)), alice2.token);
    expect([refused.status, refused.json.error.rule]).toEqual([403, 'REVOCATION_FORBIDDEN']);
  });

  it('who is the registered name, not what the statement says', async () => {
    const lie = signStatement(alice1, fullAudit('who-pkg', '1.0.0', { who: 'Mallory <mallory@example.com>' }));
    expect((await submit(lie, alice1.token)).status).toBe(200);
    const feed = parseAudits(await (await fetch(`${n.url}/v1/feeds/npm/audits.toml`)).text(), 'feed.toml');
    expect(feed.audits['who-pkg']?.[0]?.who).toEqual(['Alice <alice@example.com>']);
    const look = (await (await fetch(`${n.url}/v1/lookup/npm/who-pkg`)).json()) as {
      entries: { claim: { who: string } }[];
    };
    expect(look.entries[0]?.claim.who).toBe('Alice <alice@example.com>');
  });
});

describe('quorum counts auditors by key id', () => {
  it('two auditors who share a name are two attestations', async () => {
    const q = await startTestNotary((c) => (c.policy.quorum = 2));
    try {
      const a1 = await q.addAuditor('Alice <alice@example.com>');
      const a2 = await q.addAuditor('Alice <alice@example.com>');
      const audit = fullAudit('quorum-pkg', '1.0.0');
      const feed = async () =>
        parseAudits(await (await fetch(`${q.url}/v1/feeds/npm/audits.toml`)).text(), 'feed.toml').audits['quorum-pkg'];
      expect((await post(`${q.url}/v1/submit`, signStatement(a1, audit), a1.token)).status).toBe(200);
      expect(await feed()).toBeUndefined();
      expect(
        (await post(`${q.url}/v1/submit`, signStatement(a2, { ...audit, notes: 'a second look' }), a2.token)).status,
      ).toBe(200);
      expect(await feed()).toHaveLength(1);
    } finally {
      await q.close();
    }
  });
});
