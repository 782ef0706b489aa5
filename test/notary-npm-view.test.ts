/**
 * Issue 14, the vetted-only npm view, with the real `npm` on this machine against a real notary
 * on 127.0.0.1 (`--registry`, an isolated cache and config, nothing else reachable): approved
 * versions install and the lockfile's integrity is the approval's; an unapproved version
 * fails with npm's own "No matching version"; a revoked version disappears at the next
 * request; scoped names, abbreviated metadata and conditional requests work.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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
import { buildTgz, sri } from '@vet/test-support/registry-server';

const hasNpm = spawnSync('npm', ['--version'], { encoding: 'utf8' }).status === 0;
const hasPnpm = spawnSync('pnpm', ['--version'], { encoding: 'utf8' }).status === 0;

let n: TestNotary;
let alice: TestAuditor;
const tmp = tempDir('vet-npm-view-');
const leafHashes = new Map<string, string>();

function tgz(name: string, version: string, deps: Record<string, string> = {}): Buffer {
  return buildTgz({
    'package.json': JSON.stringify({ name, version, dependencies: deps }),
    'index.js': `module.exports = ${JSON.stringify(`${name}@${version}`)};\n`,
  });
}

/** Approves name@version with the tarball's sha512 and uploads the tarball to the archive. */
async function approveAndArchive(name: string, version: string, bytes: Buffer): Promise<void> {
  const body = signStatement(alice, fullAudit(name, version, { who: alice.name, digests: { [version]: sri(bytes) } }));
  const r = await post(`${n.url}/v1/submit`, body, alice.token);
  expect(r.status).toBe(200);
  leafHashes.set(`${name}@${version}`, r.json.leafHash as string);
  const up = await fetch(`${n.url}/v1/artifacts/npm/${encodeURIComponent(name)}/${version}`, {
    method: 'PUT',
    body: bytes,
    headers: { authorization: `Bearer ${alice.token}` },
  });
  expect(up.status).toBe(201);
}

async function revoke(name: string, version: string): Promise<void> {
  const body = signStatement(alice, {
    kind: 'revocation',
    ecosystem: 'npm',
    package: name,
    version,
    criteria: [],
    who: alice.name,
    digests: {},
    revokes: leafHashes.get(`${name}@${version}`)!,
  });
  expect((await post(`${n.url}/v1/submit`, body, alice.token)).status).toBe(200);
}

const tarballs = {
  lp100: tgz('left-pad', '1.0.0'),
  lp110: tgz('left-pad', '1.1.0'),
  lp120: tgz('left-pad', '1.2.0'),
  lp200: tgz('left-pad', '2.0.0'),
  util: tgz('@acme/util', '1.0.0', { 'left-pad': '^1.0.0' }),
};

beforeAll(async () => {
  n = await startTestNotary();
  alice = await n.addAuditor('Alice <alice@example.com>');
  await approveAndArchive('left-pad', '1.0.0', tarballs.lp100);
  await approveAndArchive('left-pad', '1.1.0', tarballs.lp110);
  await approveAndArchive('left-pad', '1.2.0', tarballs.lp120);
  await approveAndArchive('@acme/util', '1.0.0', tarballs.util);
});
afterAll(async () => {
  await n.close();
  tmp.cleanup();
});

const registry = () => `${n.url}/npm/safe-to-deploy/`;

function npm(project: string, args: string[], tool = 'npm'): Promise<{ code: number; stdout: string; stderr: string }> {
  const home = join(tmp.dir, 'home');
  mkdirSync(home, { recursive: true });
  const env = {
    PATH: process.env['PATH'] ?? '',
    HOME: home,
    npm_config_cache: join(project, '.npm-cache'),
    npm_config_userconfig: join(home, '.npmrc'),
    npm_config_globalconfig: join(home, 'global-npmrc'),
    npm_config_registry: registry(),
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    npm_config_fetch_retries: '0',
  };
  return new Promise((resolve, reject) => {
    const extra =
      tool === 'npm'
        ? ['--no-audit', '--no-fund']
        : ['--store-dir', join(project, '.pnpm-store'), '--config.cache-dir=' + join(project, '.pnpm-cache')];
    const child = spawn(tool, [...args, '--registry', registry(), ...extra], { cwd: project, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

function project(name: string): string {
  const dir = join(tmp.dir, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', private: true }));
  return dir;
}

describe('the /npm/<criterion>/ view over HTTP', () => {
  it('lists only approved, archived versions, with the archive as tarball and the approval as integrity', async () => {
    const res = await fetch(`${registry()}left-pad`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const doc = (await res.json()) as any;
    expect(Object.keys(doc.versions)).toEqual(['1.0.0', '1.1.0', '1.2.0']);
    expect(doc['dist-tags']).toEqual({ latest: '1.2.0' });
    const sha512 = createHash('sha512').update(tarballs.lp110).digest('hex');
    expect(doc.versions['1.1.0'].dist).toEqual({
      tarball: `${n.url}/v1/artifacts/sha512/${sha512}`,
      integrity: sri(tarballs.lp110),
    });
    // Criteria: safe-to-deploy implies safe-to-run; an offered criterion nobody approved for is empty.
    expect((await fetch(`${n.url}/npm/safe-to-run/left-pad`)).status).toBe(200);
    expect((await fetch(`${n.url}/npm/not-offered/left-pad`)).status).toBe(404);
    expect((await fetch(`${registry()}never-approved`)).status).toBe(404);
  });

  it('serves scoped names, abbreviated metadata and 304 on If-None-Match', async () => {
    const full = await fetch(`${registry()}@acme%2futil`);
    expect(full.status).toBe(200);
    const abbreviated = await fetch(`${registry()}@acme%2futil`, {
      headers: { accept: 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*' },
    });
    expect(abbreviated.headers.get('content-type')).toBe('application/vnd.npm.install-v1+json');
    const doc = (await abbreviated.json()) as any;
    expect(doc.name).toBe('@acme/util');
    expect(doc.versions['1.0.0'].dependencies).toEqual({ 'left-pad': '^1.0.0' });
    expect(doc.modified).toEqual(expect.any(String));
    const etag = abbreviated.headers.get('etag')!;
    const again = await fetch(`${registry()}@acme%2futil`, {
      headers: { accept: 'application/vnd.npm.install-v1+json', 'if-none-match': etag },
    });
    expect(again.status).toBe(304);
    expect(etag).not.toBe(full.headers.get('etag'));
  });
});

describe.skipIf(!hasNpm)('real npm install against the view', () => {
  it('installs approved versions (scoped, with a dependency); the lockfile integrity is the approval', async () => {
    const dir = project('app');
    const r = await npm(dir, ['install', '@acme/util@1.0.0', 'left-pad@1.1.0']);
    expect(r.stderr).not.toMatch(/ERR!/);
    expect(r.code).toBe(0);
    const lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8'));
    expect(lock.packages['node_modules/left-pad']).toMatchObject({ version: '1.1.0', integrity: sri(tarballs.lp110) });
    expect(lock.packages['node_modules/@acme/util']).toMatchObject({ version: '1.0.0', integrity: sri(tarballs.util) });
    expect(readFileSync(join(dir, 'node_modules/left-pad/index.js'), 'utf8')).toContain('left-pad@1.1.0');
  });

  it('an unapproved version is not installable: npm says "No matching version"', async () => {
    const dir = project('unapproved');
    const r = await npm(dir, ['install', 'left-pad@2.0.0']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/ETARGET|No matching version found for left-pad@2\.0\.0/);
  });

  it('a revoked version disappears at once: the next request and the next npm install', async () => {
    await revoke('left-pad', '1.2.0');
    const doc = (await (await fetch(`${registry()}left-pad`)).json()) as any;
    expect(Object.keys(doc.versions)).toEqual(['1.0.0', '1.1.0']);
    expect(doc['dist-tags'].latest).toBe('1.1.0');
    const dir = project('revoked');
    const r = await npm(dir, ['install', 'left-pad@1.2.0']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/No matching version found for left-pad@1\.2\.0/);
  });
});

describe.skipIf(!hasPnpm)('real pnpm install against the view', () => {
  it("installs approved versions; pnpm-lock.yaml has the approvals' integrity", async () => {
    const dir = project('pnpm-app');
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({
        name: 'pnpm-app',
        version: '1.0.0',
        private: true,
        dependencies: { '@acme/util': '1.0.0', 'left-pad': '1.1.0' },
      }),
    );
    const r = await npm(dir, ['install'], 'pnpm');
    expect(r.stderr + r.stdout).not.toMatch(/ERR_PNPM/);
    expect(r.code).toBe(0);
    const lock = readFileSync(join(dir, 'pnpm-lock.yaml'), 'utf8');
    expect(lock).toContain(`integrity: ${sri(tarballs.lp110)}`);
    expect(lock).toContain(`integrity: ${sri(tarballs.util)}`);
    expect(readFileSync(join(dir, 'node_modules/left-pad/index.js'), 'utf8')).toContain('left-pad@1.1.0');
  });

  it('an unapproved version fails with pnpm\'s "No matching version"', async () => {
    const dir = project('pnpm-unapproved');
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({
        name: 'pnpm-unapproved',
        version: '1.0.0',
        private: true,
        dependencies: { 'left-pad': '2.0.0' },
      }),
    );
    const r = await npm(dir, ['install'], 'pnpm');
    expect(r.code).not.toBe(0);
    expect(r.stderr + r.stdout).toMatch(/ERR_PNPM_NO_MATCHING_VERSION|No matching version found for left-pad@2\.0\.0/);
  });
});
