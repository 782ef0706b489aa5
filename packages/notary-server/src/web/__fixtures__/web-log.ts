/**
 * A real notary on 127.0.0.1 with a small log for the web-page tests: two auditors (one
 * with a hostile name), full and delta audits, a scoped package, a violation and a
 * revocation — every entry really signed and submitted over HTTP.
 */
import { IN_TOTO_PAYLOAD_TYPE, makeAuditStatement, signDsse } from '@vet/core';
import {
  fullAudit,
  integrity,
  post,
  signStatement,
  startTestNotary,
  type TestAuditor,
  type TestNotary,
} from '@vet/test-support/notary-harness';

/** Hostile text an auditor may choose: markup, quotes, an RTL override. */
export const HOSTILE_NAME = `Mallory <script>alert(1)</script> "q" 'a' \u202Eevil`;
export const HOSTILE_NOTES = `line one <img src=x onerror=alert(1)>\n\u202Ereversed & "quoted"\n</pre><script>alert(2)</script>`;

export interface WebLog {
  n: TestNotary;
  alice: TestAuditor;
  mallory: TestAuditor;
  /** Log index of each named entry. */
  idx: Record<'full' | 'delta' | 'scoped' | 'violation' | 'revoked' | 'revocation', number>;
}

export async function startWebLog(): Promise<WebLog> {
  const n = await startTestNotary((c) => {
    c.sequencer.publishIntervalMs = 0;
  });
  const alice = await n.addAuditor('Alice <alice@example.com>');
  const mallory = await n.addAuditor(HOSTILE_NAME);
  const submit = async (body: Buffer, token: string): Promise<{ index: number; leafHash: string }> => {
    const r = await post(`${n.url}/v1/submit`, body, token);
    if (r.status !== 200) throw new Error(`submit failed: ${r.status} ${JSON.stringify(r.json)}`);
    return r.json as { index: number; leafHash: string };
  };
  const full = await submit(
    signStatement(alice, fullAudit('left-pad', '1.0.0', { notes: 'read every line' })),
    alice.token,
  );
  const delta = await submit(
    signStatement(
      mallory,
      fullAudit('left-pad', '1.1.0', {
        version: undefined,
        delta: { from: '1.0.0', to: '1.1.0' },
        digests: { '1.0.0': integrity('left-pad@1.0.0'), '1.1.0': integrity('left-pad@1.1.0') },
        notes: HOSTILE_NOTES,
      }),
    ),
    mallory.token,
  );
  const scoped = await submit(signStatement(alice, fullAudit('@scope/pkg', '2.0.0')), alice.token);
  const violation = await submit(
    signStatement(alice, {
      ...fullAudit('left-pad', '0.0.1'),
      kind: 'violation',
      version: undefined,
      violation: '<0.1.0',
      digests: {},
    }),
    alice.token,
  );
  const revoked = await submit(signStatement(alice, fullAudit('left-pad', '1.0.1')), alice.token);
  const revocation = await submit(revocationOf(alice, 'left-pad', revoked.leafHash), alice.token);
  return {
    n,
    alice,
    mallory,
    idx: {
      full: full.index,
      delta: delta.index,
      scoped: scoped.index,
      violation: violation.index,
      revoked: revoked.index,
      revocation: revocation.index,
    },
  };
}

function revocationOf(a: TestAuditor, pkg: string, leafHash: string): Buffer {
  const payload = makeAuditStatement({
    kind: 'revocation',
    ecosystem: 'npm',
    package: pkg,
    criteria: [],
    who: a.name,
    digests: {},
    revokes: leafHash,
  });
  return Buffer.from(
    JSON.stringify(signDsse(payload, IN_TOTO_PAYLOAD_TYPE, { keyid: a.keyid, secretKey: a.keys.secretKey })),
  );
}
