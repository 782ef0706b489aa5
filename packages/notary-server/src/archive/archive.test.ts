import { createHash } from 'node:crypto';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fullAudit,
  post,
  signStatement,
  startTestNotary,
  tempDir,
  type TestAuditor,
  type TestNotary,
} from '@vet/test-support/notary-harness';
import { backupNotary } from '../backup.js';
import { verifyNotaryLog } from '../verify.js';
import { ArtifactStore, archiveDir } from './store.js';

const sri = (algo: string, b: Uint8Array) => `${algo}-${createHash(algo).update(b).digest('base64')}`;
const hex = (algo: string, b: Uint8Array) => createHash(algo).update(b).digest('hex');

/** A real npm registry on 127.0.0.1 serving packuments and tarballs from a map. */
async function startRegistry(files: Map<string, Buffer>): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(req.url ?? '');
    const tar = /^\/tarballs\/(.+)$/.exec(path);
    if (tar) {
      const b = files.get(tar[1]!);
      res.writeHead(b ? 200 : 404).end(b);
      return;
    }
    const name = path.slice(1);
    const versions: Record<string, unknown> = {};
    for (const key of files.keys()) {
      const [n, v] = key.split('@@');
      if (n === name)
        versions[v!] = { name, version: v, dist: { tarball: `${url}/tarballs/${encodeURIComponent(key)}` } };
    }
    if (Object.keys(versions).length === 0) res.writeHead(404).end('{}');
    else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ name, versions }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, server };
}

let n: TestNotary;
let alice: TestAuditor;
let bob: TestAuditor;
let registry: { url: string; server: Server };
const registryFiles = new Map<string, Buffer>();

beforeAll(async () => {
  registry = await startRegistry(registryFiles);
  n = await startTestNotary((c) => {
    c.archive.maxArtifactBytes = 4096;
    c.archive.quotaBytesPerAuditor = 6000;
    c.archive.registries = { npm: registry.url };
  });
  alice = await n.addAuditor('Alice <alice@example.com>');
  bob = await n.addAuditor('Bob <bob@example.com>');
});
afterAll(async () => {
  await n.close();
  registry.server.close();
});

async function approve(a: TestAuditor, pkg: string, version: string, bytes: Buffer, eco = 'npm') {
  const algo = eco === 'npm' ? 'sha512' : 'sha256';
  const body = signStatement(
    a,
    fullAudit(pkg, version, { who: a.name, ecosystem: eco as 'npm', digests: { [version]: sri(algo, bytes) } }),
  );
  const r = await post(`${n.url}/v1/submit`, body, a.token);
  expect(r.status).toBe(200);
}

async function upload(a: TestAuditor, eco: string, pkg: string, version: string, bytes: Buffer, query = '') {
  const res = await fetch(`${n.url}/v1/artifacts/${eco}/${encodeURIComponent(pkg)}/${version}${query}`, {
    method: 'PUT',
    body: bytes,
    headers: { authorization: `Bearer ${a.token}` },
  });
  return { status: res.status, json: (await res.json()) as any };
}

const blobCount = () => {
  const dir = join(archiveDir(n.dir), 'sha512');
  return existsSync(dir) ? readdirSync(dir).flatMap((s) => readdirSync(join(dir, s))).length : 0;
};

describe('archive uploads', () => {
  const tgz = Buffer.from('the audited tarball of left-pad 1.3.0');

  it('keep the audited bytes under both addresses, served immutable with an ETag', async () => {
    await approve(alice, '@scope/left-pad', '1.3.0', tgz);
    const r = await upload(alice, 'npm', '@scope/left-pad', '1.3.0', tgz);
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ archived: true, sha256: hex('sha256', tgz), fileName: 'left-pad-1.3.0.tgz' });
    for (const algo of ['sha256', 'sha512']) {
      const res = await fetch(`${n.url}/v1/artifacts/${algo}/${hex(algo, tgz)}`);
      expect(res.status).toBe(200);
      expect(Buffer.from(await res.arrayBuffer()).equals(tgz)).toBe(true);
      expect(res.headers.get('content-type')).toBe('application/gzip');
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      const etag = res.headers.get('etag')!;
      expect(etag).toBe(`"sha256-${hex('sha256', tgz)}"`);
      const again = await fetch(`${n.url}/v1/artifacts/${algo}/${hex(algo, tgz)}`, {
        headers: { 'if-none-match': etag },
      });
      expect(again.status).toBe(304);
    }
    // Idempotent: a second upload of the same bytes is the same record.
    expect((await upload(alice, 'npm', '@scope/left-pad', '1.3.0', tgz)).status).toBe(201);
  });

  it('refuse bytes that do not hash to the approved digest, and keep nothing', async () => {
    await approve(alice, 'is-odd', '1.0.0', Buffer.from('real'));
    const before = blobCount();
    const r = await upload(alice, 'npm', 'is-odd', '1.0.0', Buffer.from('swapped'));
    expect(r.status).toBe(422);
    expect(r.json.error.code).toBe('DIGEST_MISMATCH');
    expect(blobCount()).toBe(before);
    expect((await fetch(`${n.url}/v1/artifacts/sha256/${hex('sha256', Buffer.from('swapped'))}`)).status).toBe(404);
  });

  it('refuse releases no effective approval of the uploader names', async () => {
    await approve(alice, 'is-even', '1.0.0', Buffer.from('even'));
    expect((await upload(bob, 'npm', 'is-even', '1.0.0', Buffer.from('even'))).json.error.code).toBe('NOT_APPROVED');
    expect((await upload(alice, 'npm', 'is-even', '9.9.9', Buffer.from('even'))).json.error.code).toBe('NOT_APPROVED');
    const anon = await fetch(`${n.url}/v1/artifacts/npm/is-even/1.0.0`, { method: 'PUT', body: 'even' });
    expect(anon.status).toBe(401);
  });

  it('cap sizes and per-auditor quotas with 413', async () => {
    const big = Buffer.alloc(5000, 1);
    await approve(bob, 'big', '1.0.0', big);
    const r = await upload(bob, 'npm', 'big', '1.0.0', big);
    expect(r.status).toBe(413);
    expect(r.json.error.code).toBe('PAYLOAD_TOO_LARGE');
    const parts = [Buffer.alloc(4000, 2), Buffer.alloc(3000, 3)];
    await approve(bob, 'q', '1.0.0', parts[0]!);
    await approve(bob, 'q', '2.0.0', parts[1]!);
    expect((await upload(bob, 'npm', 'q', '1.0.0', parts[0]!)).status).toBe(201);
    const over = await upload(bob, 'npm', 'q', '2.0.0', parts[1]!);
    expect(over.status).toBe(413);
    expect(over.json.error.code).toBe('QUOTA_EXCEEDED');
  });

  it('need a wheel or sdist file name for PyPI', async () => {
    const whl = Buffer.from('wheel bytes');
    await approve(alice, 'idna', '3.7', whl, 'pypi');
    expect((await upload(alice, 'pypi', 'idna', '3.7', whl)).status).toBe(400);
    expect((await upload(alice, 'pypi', 'idna', '3.7', whl, '?filename=..%2Fx.whl')).status).toBe(400);
    const r = await upload(alice, 'pypi', 'idna', '3.7', whl, '?filename=idna-3.7-py3-none-any.whl');
    expect(r.status).toBe(201);
    const res = await fetch(`${n.url}/v1/artifacts/sha256/${hex('sha256', whl)}`);
    expect(res.headers.get('content-type')).toBe('application/zip');
  });
});

describe('archive from the registry', () => {
  it('fetches an approved artifact nobody uploaded, verified against the approval', async () => {
    const good = Buffer.from('registry tarball of fetched 2.0.0');
    registryFiles.set('fetched@@2.0.0', good);
    await approve(alice, 'fetched', '2.0.0', good);
    await n.running.notary.archiver!.settled();
    const res = await fetch(`${n.url}/v1/artifacts/sha512/${hex('sha512', good)}`);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(good)).toBe(true);
  });

  it('keeps nothing when the registry serves other bytes', async () => {
    registryFiles.set('altered@@1.0.0', Buffer.from('altered by the registry'));
    const approved = Buffer.from('what alice audited');
    await approve(alice, 'altered', '1.0.0', approved);
    await n.running.notary.archiver!.settled();
    expect((await fetch(`${n.url}/v1/artifacts/sha512/${hex('sha512', approved)}`)).status).toBe(404);
    expect(
      (await fetch(`${n.url}/v1/artifacts/sha512/${hex('sha512', Buffer.from('altered by the registry'))}`)).status,
    ).toBe(404);
  });
});

describe('restart', () => {
  it('the archive index is rebuilt from disk', () => {
    const tgz = Buffer.from('the audited tarball of left-pad 1.3.0');
    const reopened = new ArtifactStore(archiveDir(n.dir));
    expect(reopened.get({ algo: 'sha256', hex: hex('sha256', tgz) })).toMatchObject({
      sha512: hex('sha512', tgz),
      fileName: 'left-pad-1.3.0.tgz',
      source: 'upload',
    });
    expect(reopened.usedBy(alice.keyid)).toBeGreaterThan(0);
  });
});

describe('verify and backup', () => {
  it('verify re-hashes the archive and backup copies it', async () => {
    const ok = await verifyNotaryLog(n.dir);
    expect(ok.problems).toEqual([]);
    expect(ok.artifacts).toBeGreaterThanOrEqual(4);
    const { dir, cleanup } = tempDir();
    try {
      const r = await backupNotary(n.dir, join(dir, 'b'));
      expect(r.files).toContain('archive/');
      const tgz = Buffer.from('the audited tarball of left-pad 1.3.0');
      const h = hex('sha512', tgz);
      expect(existsSync(join(dir, 'b', 'archive', 'sha512', h.slice(0, 2), `${h}.json`))).toBe(true);
      // Corrupt one artifact in the live archive: verify names it.
      writeFileSync(join(archiveDir(n.dir), 'sha512', h.slice(0, 2), h), 'corrupt');
      const bad = await verifyNotaryLog(n.dir);
      expect(bad.ok).toBe(false);
      expect(bad.problems.join('\n')).toContain(
        `archive ${h.slice(0, 2)}/${h}: the bytes do not hash to their address`,
      );
    } finally {
      cleanup();
    }
  });
});
