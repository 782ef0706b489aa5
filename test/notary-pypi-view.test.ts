/**
 * Issue 14, the vetted-only PyPI index, with the real `pip` on this machine against a real
 * notary on 127.0.0.1 (`--index-url`, no config file, no cache, nothing else reachable):
 * an approved wheel installs, an unapproved version is refused with pip's own "No matching
 * distribution", a revoked one disappears; PEP 503 HTML and PEP 691 JSON both list only
 * approved files with their sha256.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
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

const hasPip =
  spawnSync('python3', ['-m', 'pip', '--version'], { encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '' } })
    .status === 0;

let n: TestNotary;
let alice: TestAuditor;
const tmp = tempDir('vet-pypi-view-');
const leafHashes = new Map<string, string>();
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A real, minimal wheel (METADATA, WHEEL, RECORD), built by Python's zipfile. */
function wheel(version: string): { file: string; bytes: Buffer } {
  const file = `vet_demo-${version}-py3-none-any.whl`;
  const out = join(tmp.dir, file);
  const script = `
import base64, hashlib, sys, zipfile
out, v = sys.argv[1], sys.argv[2]
di = f"vet_demo-{v}.dist-info"
files = {
  "vet_demo/__init__.py": f"VERSION = {v!r}\\n",
  f"{di}/METADATA": f"Metadata-Version: 2.1\\nName: vet-demo\\nVersion: {v}\\n",
  f"{di}/WHEEL": "Wheel-Version: 1.0\\nGenerator: vet-test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n",
}
def rec(p, d):
  h = base64.urlsafe_b64encode(hashlib.sha256(d.encode()).digest()).rstrip(b"=").decode()
  return f"{p},sha256={h},{len(d.encode())}"
record = "\\n".join([rec(p, d) for p, d in files.items()] + [f"{di}/RECORD,,"]) + "\\n"
with zipfile.ZipFile(out, "w") as z:
  for p, d in files.items(): z.writestr(zipfile.ZipInfo(p, (2020, 1, 1, 0, 0, 0)), d)
  z.writestr(zipfile.ZipInfo(f"{di}/RECORD", (2020, 1, 1, 0, 0, 0)), record)
`;
  const r = spawnSync('python3', ['-c', script, out, version], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return { file, bytes: readFileSync(out) };
}

async function approveAndArchive(version: string, w: { file: string; bytes: Buffer }): Promise<void> {
  const digest = `sha256-${createHash('sha256').update(w.bytes).digest('base64')}`;
  const body = signStatement(
    alice,
    fullAudit('vet-demo', version, { ecosystem: 'pypi', who: alice.name, digests: { [version]: digest } }),
  );
  const r = await post(`${n.url}/v1/submit`, body, alice.token);
  expect(r.status).toBe(200);
  leafHashes.set(version, r.json.leafHash as string);
  const up = await fetch(`${n.url}/v1/artifacts/pypi/vet-demo/${version}?filename=${w.file}`, {
    method: 'PUT',
    body: w.bytes,
    headers: { authorization: `Bearer ${alice.token}` },
  });
  expect(up.status).toBe(201);
}

let w10: { file: string; bytes: Buffer };
let w11: { file: string; bytes: Buffer };

beforeAll(async () => {
  n = await startTestNotary();
  alice = await n.addAuditor('Alice <alice@example.com>');
  w10 = wheel('1.0');
  w11 = wheel('1.1');
  wheel('2.0'); // built, never approved: the index cannot list it
  await approveAndArchive('1.0', w10);
  await approveAndArchive('1.1', w11);
});
afterAll(async () => {
  await n.close();
  tmp.cleanup();
});

const index = () => `${n.url}/pypi/safe-to-deploy/simple/`;

function pip(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = {
    PATH: process.env['PATH'] ?? '',
    HOME: join(tmp.dir, 'home'),
    PIP_CONFIG_FILE: '/dev/null',
    PIP_NO_CACHE_DIR: '1',
    PIP_DISABLE_PIP_VERSION_CHECK: '1',
    PIP_NO_INPUT: '1',
    PIP_RETRIES: '0',
  };
  return new Promise((resolve, reject) => {
    const child = spawn('python3', ['-m', 'pip', ...args, '--index-url', index(), '--no-deps'], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

describe('the /pypi/<criterion>/simple/ view over HTTP', () => {
  it('PEP 691 JSON and PEP 503 HTML list only approved files, with their sha256', async () => {
    const json = await fetch(`${index()}Vet_Demo/`, { headers: { accept: 'application/vnd.pypi.simple.v1+json' } });
    expect(json.headers.get('content-type')).toBe('application/vnd.pypi.simple.v1+json');
    const doc = (await json.json()) as any;
    expect(doc.name).toBe('vet-demo');
    expect(doc.files.map((f: any) => [f.filename, f.hashes.sha256])).toEqual([
      [w10.file, sha256(w10.bytes)],
      [w11.file, sha256(w11.bytes)],
    ]);
    const html = await (await fetch(`${index()}vet-demo/`)).text();
    expect(html).toContain(`/v1/artifacts/sha256/${sha256(w10.bytes)}/${w10.file}#sha256=${sha256(w10.bytes)}`);
    expect(html).not.toContain('2.0');
    expect(await (await fetch(index())).text()).toContain('<a href="vet-demo/">vet-demo</a>');
    expect((await fetch(`${index()}unknown/`)).status).toBe(404);
  });
});

describe.skipIf(!hasPip)('real pip against the view', () => {
  it('installs an approved wheel', async () => {
    const target = join(tmp.dir, 'site-1');
    const r = await pip(['install', '--target', target, 'vet-demo==1.0']);
    expect(r.stderr).not.toMatch(/ERROR/);
    expect(r.code).toBe(0);
    expect(readFileSync(join(target, 'vet_demo', '__init__.py'), 'utf8')).toBe("VERSION = '1.0'\n");
  });

  it('refuses an unapproved version with "No matching distribution"', async () => {
    const target = join(tmp.dir, 'site-2');
    const r = await pip(['install', '--target', target, 'vet-demo==2.0']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/No matching distribution found for vet-demo==2\.0/);
    expect(existsSync(join(target, 'vet_demo'))).toBe(false);
  });

  it('a revoked release disappears at once', async () => {
    const body = signStatement(alice, {
      kind: 'revocation',
      ecosystem: 'pypi',
      package: 'vet-demo',
      version: '1.1',
      criteria: [],
      who: alice.name,
      digests: {},
      revokes: leafHashes.get('1.1')!,
    });
    expect((await post(`${n.url}/v1/submit`, body, alice.token)).status).toBe(200);
    const r = await pip(['download', '-d', join(tmp.dir, 'dl'), 'vet-demo==1.1']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/No matching distribution found for vet-demo==1\.1/);
    const ok = await pip(['download', '-d', join(tmp.dir, 'dl'), 'vet-demo==1.0']);
    expect(ok.code).toBe(0);
    expect(sha256(readFileSync(join(tmp.dir, 'dl', w10.file)))).toBe(sha256(w10.bytes));
  });
});
