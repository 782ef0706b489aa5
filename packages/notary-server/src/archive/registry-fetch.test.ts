import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fullAudit,
  post,
  signStatement,
  startTestNotary,
  type TestAuditor,
  type TestNotary,
} from '@vet/test-support/notary-harness';
import { crateUrl } from './registry-fetch.js';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const wheel = Buffer.from('PK wheel of vet-demo 1.0');
const sdist = Buffer.from('sdist of vet-demo 1.1 (served as HTML)');
const crate = Buffer.from('crate bytes of vet_demo 0.1.0');

/** A PEP 691 JSON / PEP 503 HTML index and a Cargo sparse registry, real HTTP on 127.0.0.1. */
async function startRegistries(): Promise<{ url: string; server: Server }> {
  let url = '';
  const server = createServer((req, res) => {
    const path = req.url ?? '';
    if (path === '/simple/vet-demo/' && (req.headers.accept ?? '').includes('json')) {
      const files = [
        { filename: 'vet_demo-1.0-py3-none-any.whl', url: '../../files/w', hashes: { sha256: sha256(wheel) } },
      ];
      res.writeHead(200, { 'content-type': 'application/vnd.pypi.simple.v1+json' }).end(JSON.stringify({ files }));
    } else if (path === '/html/vet-demo/') {
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end(`<a href="${url}/files/s#sha256=${sha256(sdist)}">vet-demo-1.1.tar.gz</a>`);
    } else if (path === '/files/w') res.writeHead(200).end(wheel);
    else if (path === '/files/s') res.writeHead(200).end(sdist);
    else if (path === '/index/config.json')
      res.writeHead(200).end(JSON.stringify({ dl: `${url}/dl/{crate}/{version}/{sha256-checksum}` }));
    else if (path === `/dl/vet_demo/0.1.0/${sha256(crate)}`) res.writeHead(200).end(crate);
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, server };
}

let reg: { url: string; server: Server };
let n: TestNotary;
let html: TestNotary;
let alice: TestAuditor;

beforeAll(async () => {
  reg = await startRegistries();
  n = await startTestNotary(
    (c) => (c.archive.registries = { pypi: `${reg.url}/simple/`, cargo: `sparse+${reg.url}/index/` }),
  );
  html = await startTestNotary((c) => (c.archive.registries = { pypi: `${reg.url}/html` }));
  alice = await n.addAuditor('Alice');
});
afterAll(async () => {
  await n.close();
  await html.close();
  reg.server.close();
});

async function approve(notary: TestNotary, a: TestAuditor, eco: 'pypi' | 'cargo', pkg: string, v: string, b: Buffer) {
  const digest = `sha256-${createHash('sha256').update(b).digest('base64')}`;
  const body = signStatement(a, fullAudit(pkg, v, { ecosystem: eco as 'npm', who: a.name, digests: { [v]: digest } }));
  const r = await post(`${notary.url}/v1/submit`, body, a.token);
  expect(r.status).toBe(200);
  await notary.running.notary.archiver!.settled();
}

describe('the notary fetches approved artifacts nobody uploaded', () => {
  it('from a PEP 691 JSON index, by the approved sha256, keeping the file name', async () => {
    await approve(n, alice, 'pypi', 'vet-demo', '1.0', wheel);
    const res = await fetch(`${n.url}/v1/artifacts/sha256/${sha256(wheel)}/vet_demo-1.0-py3-none-any.whl`);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(wheel)).toBe(true);
    const look = (await (await fetch(`${n.url}/v1/lookup/pypi/vet-demo`)).json()) as any;
    expect(look.entries.at(-1).archived).toEqual({ '1.0': `v1/artifacts/sha256/${sha256(wheel)}` });
  });

  it('from a PEP 503 HTML index', async () => {
    const bob = await html.addAuditor('Bob');
    await approve(html, bob, 'pypi', 'vet-demo', '1.1', sdist);
    expect((await fetch(`${html.url}/v1/artifacts/sha256/${sha256(sdist)}/vet-demo-1.1.tar.gz`)).status).toBe(200);
  });

  it('from a Cargo sparse registry through its dl template', async () => {
    await approve(n, alice, 'cargo', 'vet_demo', '0.1.0', crate);
    const res = await fetch(`${n.url}/v1/artifacts/sha256/${sha256(crate)}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="vet_demo-0.1.0.crate"');
  });

  it('not when the index has no file with the approved digest; lookup says not archived', async () => {
    await approve(n, alice, 'pypi', 'vet-demo', '9.0', Buffer.from('never published'));
    const look = (await (await fetch(`${n.url}/v1/lookup/pypi/vet-demo`)).json()) as any;
    expect(look.entries.at(-1).archived).toEqual({ '9.0': null });
  });
});

describe('crateUrl', () => {
  it('fills the dl markers, or appends /{crate}/{version}/download', () => {
    expect(crateUrl('https://x/dl', { package: 'serde', version: '1.0.0' })).toBe('https://x/dl/serde/1.0.0/download');
    expect(crateUrl('https://x/{prefix}/{lowerprefix}/{crate}-{version}', { package: 'Abcd', version: '1.0.0' })).toBe(
      'https://x/Ab/cd/ab/cd/Abcd-1.0.0',
    );
    expect(crateUrl('https://x/{prefix}/{crate}', { package: 'abc', version: '1' })).toBe('https://x/3/a/abc');
  });
});
