import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface ErrorBody {
  error: { code: string };
}
import {
  IN_TOTO_PAYLOAD_TYPE,
  decodeEntryBundle,
  decodeHashTile,
  generateEd25519KeyPair,
  hashLeaf,
  makeAuditStatement,
  parseAudits,
  signDsse,
  verifyCheckpoint,
  verifyInclusion,
} from '@vet/core';
import {
  fullAudit,
  integrity,
  post,
  randomAuditEnvelope,
  signStatement,
  startTestNotary,
  type TestAuditor,
  type TestNotary,
} from '@vet/test-support/notary-harness';

let n: TestNotary;
let alice: TestAuditor;
let bob: TestAuditor;

beforeAll(async () => {
  n = await startTestNotary((c) => {
    c.policy.criteria = ['safe-to-deploy', 'safe-to-run', 'crypto-reviewed'];
    c.policy.criteriaDescriptions = { 'crypto-reviewed': 'Crypto code was reviewed by a cryptographer.' };
    c.sequencer.publishIntervalMs = 0;
  });
  alice = await n.addAuditor('Alice <alice@example.com>');
  bob = await n.addAuditor('Bob <bob@example.com>');
});
afterAll(async () => n.close());

const submit = (body: Uint8Array | string, token?: string) => post(`${n.url}/v1/submit`, body, token);
const size = async () => Number((await (await fetch(`${n.url}/checkpoint`)).text()).split('\n')[1]);

describe('accepted submissions', () => {
  it('answer with a receipt whose inclusion proof verifies under the signed checkpoint', async () => {
    const body = randomAuditEnvelope(alice);
    const r = await submit(body, alice.token);
    expect(r.status).toBe(200);
    const cp = verifyCheckpoint(r.json.checkpoint, n.verifierKey);
    expect(cp.size).toBe(r.json.treeSize);
    const proof = (r.json.inclusionProof as string[]).map((h) => new Uint8Array(Buffer.from(h, 'base64')));
    expect(Buffer.from(hashLeaf(body)).toString('hex')).toBe(r.json.leafHash);
    expect(verifyInclusion(hashLeaf(body), r.json.index, cp.size, proof, cp.rootHash)).toBe(true);
    expect(r.json.tlogProof).toBe(
      `c2sp.org/tlog-proof@v1\nindex ${r.json.index}\n${proof.map((h) => Buffer.from(h).toString('base64') + '\n').join('')}\n${r.json.checkpoint}`,
    );
  });

  it('store the envelope byte-exact: the entry bundle returns the submitted bytes', async () => {
    const body = Buffer.from(randomAuditEnvelope(alice).toString().replace('{', '{ '));
    const r = await submit(body, alice.token);
    expect(r.status).toBe(200);
    const s = r.json.treeSize as number;
    const tile = Math.floor(r.json.index / 256);
    const width = s - tile * 256 >= 256 ? undefined : s - tile * 256;
    const path = `tile/entries/${String(tile).padStart(3, '0')}${width ? `.p/${width}` : ''}`;
    const bundle = new Uint8Array(await (await fetch(`${n.url}/${path}`)).arrayBuffer());
    expect(Buffer.from(decodeEntryBundle(bundle)[r.json.index % 256]!).equals(body)).toBe(true);
    const hashes = decodeHashTile(
      new Uint8Array(await (await fetch(`${n.url}/${path.replace('entries', '0')}`)).arrayBuffer()),
    );
    expect(Buffer.from(hashes[r.json.index % 256]!).toString('hex')).toBe(r.json.leafHash);
  });
});

describe('refused submissions change nothing', () => {
  const cases: [string, () => Promise<{ status: number; json: any; headers: Headers }>, number, string][] = [
    ['no token', () => submit(randomAuditEnvelope(alice)), 401, 'UNAUTHENTICATED'],
    ['unknown token', () => submit(randomAuditEnvelope(alice), 'vetn_' + 'A'.repeat(43)), 401, 'UNAUTHENTICATED'],
    ['oversized body', () => submit(Buffer.alloc(70_000, 0x20), alice.token), 413, 'PAYLOAD_TOO_LARGE'],
    ['not JSON', () => submit('hello', alice.token), 400, 'MALFORMED'],
    ['not a DSSE envelope', () => submit('{"a":1}', alice.token), 400, 'MALFORMED'],
    ['invalid UTF-8', () => submit(Buffer.from([0x7b, 0xff, 0x7d]), alice.token), 400, 'MALFORMED'],
    [
      'payload tampered after signing',
      () => submit(tamper(randomAuditEnvelope(alice)), alice.token),
      422,
      'BAD_SIGNATURE',
    ],
    [
      'signed by an unregistered key',
      () =>
        submit(
          signStatement({ keyid: 'stranger', keys: generateEd25519KeyPair() }, fullAudit('x', '1.0.0')),
          alice.token,
        ),
      422,
      'UNKNOWN_SIGNER',
    ],
    [
      "signed with another key under the auditor's keyid",
      () =>
        submit(
          signStatement({ keyid: alice.keyid, keys: generateEd25519KeyPair() }, fullAudit('x', '1.0.1')),
          alice.token,
        ),
      422,
      'BAD_SIGNATURE',
    ],
    ['token of another auditor', () => submit(randomAuditEnvelope(alice), bob.token), 403, 'FORBIDDEN'],
    [
      'criteria the notary does not offer',
      () => submit(signStatement(alice, fullAudit('x', '1.0.2', { criteria: ['does-not-exist'] })), alice.token),
      422,
      'POLICY',
    ],
    [
      'npm audit without sha512 integrity',
      () =>
        submit(
          signStatement(alice, fullAudit('x', '1.0.3', { digests: { '1.0.3': 'sha256:' + 'ab'.repeat(32) } })),
          alice.token,
        ),
      400,
      'MALFORMED',
    ],
    [
      'auditor entry signed by an auditor',
      () => submit(auditorEntrySignedBy(alice), alice.token),
      422,
      'UNKNOWN_SIGNER',
    ],
  ];
  for (const [name, send, status, code] of cases) {
    it(`${name} → ${status} ${code}`, async () => {
      const before = await (await fetch(`${n.url}/checkpoint`)).text();
      const r = await send();
      expect(r.status).toBe(status);
      expect(r.json.error.code).toBe(code);
      expect(typeof r.json.error.message).toBe('string');
      expect(r.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await (await fetch(`${n.url}/checkpoint`)).text()).toBe(before);
    });
  }

  it('a duplicate statement → 409 DUPLICATE, even re-encoded', async () => {
    const body = randomAuditEnvelope(alice);
    expect((await submit(body, alice.token)).status).toBe(200);
    const before = await size();
    const again = await submit(body, alice.token);
    expect([again.status, again.json.error.code]).toEqual([409, 'DUPLICATE']);
    const reencoded = await submit(Buffer.from(JSON.stringify(JSON.parse(body.toString()), null, 1)), alice.token);
    expect([reencoded.status, reencoded.json.error.code]).toEqual([409, 'DUPLICATE']);
    expect(await size()).toBe(before);
  });
});

describe('revocation, feed and lookup', () => {
  it('publishes approvals in the audits.toml feed and drops them once revoked', async () => {
    const audit = signStatement(alice, fullAudit('feed-pkg', '2.0.0', { who: alice.name, notes: 'looked at it' }));
    const r = await submit(audit, alice.token);
    expect(r.status).toBe(200);
    const feed1 = await (await fetch(`${n.url}/v1/feeds/npm/audits.toml`)).text();
    const parsed = parseAudits(feed1, 'feed.toml');
    expect(parsed.audits['feed-pkg']?.[0]).toMatchObject({
      kind: 'full',
      version: '2.0.0',
      who: [alice.name],
      criteria: ['safe-to-deploy'],
    });
    expect(parsed.criteria['crypto-reviewed']?.description).toMatch(/cryptographer/);

    // Only the original auditor (or an admin) may revoke.
    const byBob = await submit(revocation(bob, 'feed-pkg', r.json.leafHash), bob.token);
    expect([byBob.status, byBob.json.error.code]).toEqual([403, 'FORBIDDEN']);
    const revoke = await submit(revocation(alice, 'feed-pkg', r.json.leafHash), alice.token);
    expect(revoke.status).toBe(200);
    const feed2 = parseAudits(await (await fetch(`${n.url}/v1/feeds/npm/audits.toml`)).text(), 'feed.toml');
    expect(feed2.audits['feed-pkg']).toBeUndefined();

    const look = (await (await fetch(`${n.url}/v1/lookup/npm/feed-pkg`)).json()) as {
      checkpoint: string;
      entries: [{ revokedBy: number; envelope: string; inclusionProof: string[] }];
    };
    expect(look.entries).toHaveLength(1);
    expect(look.entries[0].revokedBy).toBe(revoke.json.index);
    expect(Buffer.from(look.entries[0].envelope, 'base64').equals(audit)).toBe(true);
    const cp = verifyCheckpoint(look.checkpoint, n.verifierKey);
    const proof = look.entries[0].inclusionProof.map((h) => new Uint8Array(Buffer.from(h, 'base64')));
    expect(verifyInclusion(hashLeaf(audit), r.json.index, cp.size, proof, cp.rootHash)).toBe(true);
  });

  it('serves the static copy of the log byte-identical to the HTTP read path', async () => {
    await submit(randomAuditEnvelope(alice), alice.token);
    await new Promise((r) => setTimeout(r, 100));
    const cp = await (await fetch(`${n.url}/checkpoint`)).text();
    expect(readFileSync(join(n.dir, 'static/checkpoint'), 'utf8')).toBe(cp);
    const s = Number(cp.split('\n')[1]);
    const path = `tile/0/000.p/${s}`;
    const http = Buffer.from(await (await fetch(`${n.url}/${path}`)).arrayBuffer());
    expect(readFileSync(join(n.dir, 'static', path)).equals(http)).toBe(true);
  });
});

describe('operations endpoints', () => {
  it('/healthz, /metrics, unknown routes and wrong methods', async () => {
    expect((await fetch(`${n.url}/healthz`)).status).toBe(200);
    const metrics = await (await fetch(`${n.url}/metrics`)).text();
    expect(metrics).toMatch(/vet_notary_tree_size \d+/);
    expect(metrics).toMatch(/vet_notary_submissions_total\{result="ok"\} \d+/);
    expect(metrics).toMatch(/vet_notary_submissions_total\{result="UNAUTHENTICATED"\} \d+/);
    const nf = await fetch(`${n.url}/nope`);
    expect([nf.status, ((await nf.json()) as ErrorBody).error.code]).toEqual([404, 'NOT_FOUND']);
    const wm = await fetch(`${n.url}/v1/submit`);
    expect([wm.status, ((await wm.json()) as ErrorBody).error.code]).toEqual([405, 'METHOD_NOT_ALLOWED']);
    const tile = await fetch(`${n.url}/tile/0/999`);
    expect(tile.status).toBe(404);
  });
});

function tamper(body: Buffer): Buffer {
  const env = JSON.parse(body.toString());
  const payload = JSON.parse(Buffer.from(env.payload, 'base64').toString());
  payload.predicate.criteria = ['safe-to-run'];
  env.payload = Buffer.from(JSON.stringify(payload)).toString('base64');
  return Buffer.from(JSON.stringify(env));
}

function auditorEntrySignedBy(a: TestAuditor): Buffer {
  const k = generateEd25519KeyPair();
  const payload = makeAuditorStatement(k.publicKey);
  return Buffer.from(
    JSON.stringify(signDsse(payload, IN_TOTO_PAYLOAD_TYPE, { keyid: a.keyid, secretKey: a.keys.secretKey })),
  );
}

function makeAuditorStatement(publicKey: Uint8Array): Uint8Array {
  return Buffer.from(
    JSON.stringify({
      _type: 'https://in-toto.io/Statement/v1',
      subject: [
        { name: 'vet-auditor:mallory', digest: { sha256: createHash('sha256').update(publicKey).digest('hex') } },
      ],
      predicateType: 'https://vet.dev/auditor/v1',
      predicate: {
        action: 'add',
        keyid: 'mallory',
        name: 'Mallory',
        publicKey: Buffer.from(publicKey).toString('base64'),
      },
    }),
  );
}

function revocation(a: TestAuditor, pkg: string, leafHash: string): Buffer {
  const payload = makeAuditStatement({
    kind: 'revocation',
    ecosystem: 'npm',
    package: pkg,
    criteria: [],
    who: a.name,
    digests: {},
    revokes: leafHash,
    notes: 'mistake',
  });
  return Buffer.from(
    JSON.stringify(signDsse(payload, IN_TOTO_PAYLOAD_TYPE, { keyid: a.keyid, secretKey: a.keys.secretKey })),
  );
}

void integrity;
