/**
 * Static tiles anywhere (issue 16): a notary publishes its tlog-tiles copy to a real
 * S3-compatible server on 127.0.0.1 (s3rver, through the AWS SDK v3 client, path-style);
 * every object carries its Content-Type and Cache-Control; then the notary process is
 * STOPPED and the built `vet import --notary <bucket URL>` imports and verifies from the
 * static copy alone, and `vet check --locked` passes. A bucket that refuses writes makes
 * /readyz not ready, and it is ready again once the bucket exists — without a restart.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import {
  fullAudit,
  integrity,
  post,
  signStatement,
  startTestNotary,
  randomAuditEnvelope,
  type TestNotary,
} from '@vet/test-support/notary-harness';
import { leftPadProject, runVet, type TempProject } from './helpers/project.js';
import { startTestS3, type TestS3 } from './helpers/s3.js';

let s3: TestS3;
beforeAll(async () => {
  s3 = await startTestS3();
});
afterAll(async () => {
  await s3.close();
});

async function until(cond: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

function s3Notary(bucket: string, prefix: string): Promise<TestNotary> {
  return startTestNotary((c) => {
    c.sequencer.publishIntervalMs = 10;
    c.static = {
      target: `s3://${bucket}/${prefix}`,
      endpoint: s3.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: s3.credentials,
    };
  });
}

function project(): TempProject {
  return leftPadProject(integrity('left-pad@1.3.0'));
}

describe('static copy on an S3-compatible server', () => {
  it('serves a full `vet import --notary` with the notary stopped', async () => {
    const n = await s3Notary(s3.bucket, 'notary/vet');
    const base = `${s3.endpoint}/${s3.bucket}/notary/vet`;
    let latest: string;
    try {
      const alice = await n.addAuditor('Alice <alice@example.com>');
      const approval = signStatement(alice, fullAudit('left-pad', '1.3.0', { who: alice.name }));
      expect((await post(`${n.url}/v1/submit`, approval, alice.token)).status).toBe(200);
      // Past one full tile (256 entries), so full tiles and bundles exist next to partial ones.
      for (let round = 0; round < 3; round++) {
        const batch = Array.from({ length: 100 }, () => randomAuditEnvelope(alice, 'other-pkg'));
        const codes = await Promise.all(
          batch.map(async (e) => (await post(`${n.url}/v1/submit`, e, alice.token)).status),
        );
        expect(codes.every((c) => c === 200)).toBe(true);
      }
      latest = n.running.notary.latest().note;
      await until(async () => (await fetch(`${base}/checkpoint`).then((r) => r.text())) === latest);
      expect((await fetch(`${n.url}/readyz`)).status).toBe(200);
    } finally {
      await n.close();
    }
    await expect(fetch(`${n.url}/checkpoint`)).rejects.toThrow(); // stopped: nothing listens

    const size = Number(latest.split('\n')[1]);
    expect(size).toBeGreaterThan(256);
    const head = async (path: string) => {
      const r = await fetch(`${base}/${path}`);
      await r.arrayBuffer();
      return { status: r.status, type: r.headers.get('content-type'), cache: r.headers.get('cache-control') };
    };
    const immutable = 'public, max-age=31536000, immutable';
    expect(await head('checkpoint')).toEqual({ status: 200, type: 'text/plain; charset=utf-8', cache: 'no-cache' });
    expect(await head('tile/0/000')).toEqual({ status: 200, type: 'application/octet-stream', cache: immutable });
    expect(await head('tile/entries/000')).toEqual({ status: 200, type: 'application/octet-stream', cache: immutable });
    const partial = await head(`tile/0/001.p/${size - 256}`);
    expect(partial).toEqual({ status: 200, type: 'application/octet-stream', cache: 'public, max-age=60' });
    expect(await head('v1/keys')).toMatchObject({ status: 200, type: 'application/json' });

    const p = project();
    try {
      const env = { XDG_STATE_HOME: join(p.dir, '.state') };
      const imp = await runVet(['import', 'notary', '--notary', base, '--key', n.verifierKey], { cwd: p.dir, env });
      expect(imp.stderr).toMatch(/Imported 'notary': [1-9]\d* audits?/);
      expect(imp.code).toBe(0);
      expect(p.read('supply-chain/imports.lock')).toContain(latest.split('\n')[2]!);
      expect((await runVet(['check', '--locked'], { cwd: p.dir, env })).code).toBe(0);
    } finally {
      p.cleanup();
    }
  });

  it('/readyz is not ready while the bucket refuses writes, ready once it takes them', async () => {
    const n = await s3Notary('created-later', 'log');
    try {
      await until(async () => (await fetch(`${n.url}/readyz`)).status === 503);
      const body = (await (await fetch(`${n.url}/readyz`)).json()) as { reasons: string[] };
      expect(body.reasons.join('\n')).toMatch(/^static: publishing the tiles failed/m);
      const client = new S3Client({
        endpoint: s3.endpoint,
        region: 'us-east-1',
        forcePathStyle: true,
        credentials: s3.credentials,
      });
      await client.send(new CreateBucketCommand({ Bucket: 'created-later' }));
      client.destroy();
      await until(async () => (await fetch(`${n.url}/readyz`)).status === 200);
      const served = await fetch(`${s3.endpoint}/created-later/log/checkpoint`).then((r) => r.text());
      expect(served).toBe(n.running.notary.latest().note);
    } finally {
      await n.close();
    }
  });
});
