/**
 * Issue 11's quirks at the notary: each was admitted with 200 (or a 500) and then refused by
 * every consumer. Now each is refused at submission with a 4xx naming the rule the client's
 * replay refuses it by, and the log they were thrown at restarts and verifies.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateEd25519KeyPair } from '@vet/core';
import { issue11Quirks } from '@vet/test-support/notary-quirks';
import { post, startTestNotary, type TestAuditor, type TestNotary } from '@vet/test-support/notary-harness';
import { NotaryError } from './errors.js';
import { addAuditor } from './operator.js';
import { serveNotary } from './server.js';
import { verifyNotaryLog } from './verify.js';

describe('issue 11 quirks are refused at submission, naming the rule', () => {
  let n: TestNotary;
  let alice: TestAuditor;
  beforeAll(async () => {
    n = await startTestNotary();
    alice = await n.addAuditor('Alice');
  });
  afterAll(async () => n.close());

  const names = issue11Quirks({ keyid: 'k', keys: generateEd25519KeyPair() }).map((x) => x.name);
  for (const q of names) {
    it(`refuses ${q}`, async () => {
      const quirk = issue11Quirks(alice).find((x) => x.name === q)!;
      const r = await post(`${n.url}/v1/submit`, quirk.bytes, alice.token);
      expect(r.status, JSON.stringify(r.json)).toBeGreaterThanOrEqual(400);
      expect(r.status).toBeLessThan(500);
      expect(r.json.error.rule).toBe(quirk.rule);
    });
  }

  it('refuses to add an auditor whose public key is small-order: no entry, no token', async () => {
    const identity = new Uint8Array(32);
    identity[0] = 1; // the identity point: every "signature" by it is forgeable or refused
    const before = await (await fetch(`${n.url}/checkpoint`)).text();
    const e = await addAuditor(n.dir, { name: 'Weak', publicKey: identity }).then(
      () => undefined,
      (x: unknown) => x as NotaryError,
    );
    expect(e, 'auditor add should have been refused').toBeInstanceOf(NotaryError);
    expect(e!.rule).toBe('AUDITOR_KEY');
    expect(e!.message).toMatch(/small-order public key/);
    expect(await (await fetch(`${n.url}/checkpoint`)).text()).toBe(before);
  });

  it('after them all the log restarts, serves the same checkpoint and verifies', async () => {
    const before = await (await fetch(`${n.url}/checkpoint`)).text();
    await n.running.close();
    n.running = await serveNotary(n.dir, { port: 0 });
    expect(await (await fetch(`${n.running.url}/checkpoint`)).text()).toBe(before);
    const ready = await fetch(`${n.running.url}/readyz`);
    expect(ready.status).toBe(200);
    await n.running.close();
    const report = await verifyNotaryLog(n.dir);
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
  });
});
