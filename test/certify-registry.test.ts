/**
 * `vet certify` of a version the lockfile does not pin (issue 10: `vet certify express 9.9.9
 * --accept-all` succeeded silently): the built `vet` asks the project's registry — npm (the
 * test registry), PyPI (a PEP 691 index) and crates (a sparse index), all on 127.0.0.1 — and
 * refuses a version it does not publish; an unreachable registry refuses too, unless --force.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { crateIndexPath } from '../packages/cli/src/crates/index.js';
import { packageLock, runVet, tempProject, type TempProject } from './helpers/project.js';
import { startRegistryServer, type RegistryServer } from '@vet/test-support/registry-server';

const WHO = ['--who', 'Alice <alice@example.com>', '--accept-all', '--criteria', 'safe-to-deploy'];
const SHA = createHash('sha256').update('demo').digest('hex');

let npm: RegistryServer;
let server: Server;
let base = '';

beforeAll(async () => {
  npm = await startRegistryServer();
  for (const version of ['1.3.0', '1.4.0'])
    npm.publish({ name: 'left-pad', version, npmUser: 'alice', files: { 'index.js': `// ${version}\n` } });
  // One server for the Python index (PEP 691 JSON) and the crates sparse index.
  server = createServer((req, res) => {
    const url = req.url ?? '/';
    if (url === '/simple/demo/') {
      const files = ['3.0', '3.1'].map((v) => ({
        filename: `demo-${v}.tar.gz`,
        url: `${base}/files/demo-${v}.tar.gz`,
        hashes: { sha256: SHA },
      }));
      return void res
        .writeHead(200, { 'content-type': 'application/vnd.pypi.simple.v1+json' })
        .end(JSON.stringify({ meta: { 'api-version': '1.0' }, name: 'demo', files }));
    }
    if (url === '/index/config.json')
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ dl: `${base}/dl` }));
    if (url === `/index/${crateIndexPath('tinycrate')}`) {
      const lines = ['1.0.0', '1.1.0'].map((vers) =>
        JSON.stringify({ name: 'tinycrate', vers, deps: [], cksum: SHA, features: {}, yanked: false }),
      );
      return void res.writeHead(200).end(lines.join('\n') + '\n');
    }
    res.writeHead(404).end('not found');
  });
  server.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await npm.close();
  server.close();
});

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

async function initialised(files: Record<string, string>, env: Record<string, string> = {}): Promise<TempProject> {
  project = tempProject(files);
  const init = await runVet(['init'], { cwd: project.dir, env });
  expect(init.code, init.stderr).toBe(0);
  return project;
}

const npmProject = (registry: string) =>
  initialised({
    'package.json': '{"name":"demo","version":"1.0.0"}\n',
    '.npmrc': `registry=${registry}\n`,
    'package-lock.json': packageLock({
      deps: { 'left-pad': '^1.3.0' },
      packages: { 'node_modules/left-pad': { version: '1.3.0' } },
    }),
  });

const pypiProject = () =>
  initialised({
    'pyproject.toml': '[project]\nname = "app"\nversion = "0.1.0"\ndependencies = ["demo"]\n',
    'uv.lock': [
      'version = 1',
      'revision = 3',
      'requires-python = ">=3.10"',
      '',
      '[[package]]',
      'name = "app"',
      'version = "0.1.0"',
      'source = { editable = "." }',
      'dependencies = [{ name = "demo" }]',
      '',
      '[[package]]',
      'name = "demo"',
      'version = "3.0"',
      `source = { registry = "${base}/simple/" }`,
      `sdist = { url = "${base}/files/demo-3.0.tar.gz", hash = "sha256:${SHA}", size = 1 }`,
      '',
    ].join('\n'),
  });

const cargoHome = () => mkdtempSync(join(tmpdir(), 'vet-cargo-home-'));
const cargoProject = (env: Record<string, string>) =>
  initialised(
    {
      'Cargo.toml': '[package]\nname = "app"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\ntinycrate = "1"\n',
      'src/main.rs': 'fn main() {}\n',
      'Cargo.lock': [
        'version = 4',
        '',
        '[[package]]',
        'name = "app"',
        'version = "0.1.0"',
        'dependencies = ["tinycrate"]',
        '',
        '[[package]]',
        'name = "tinycrate"',
        'version = "1.0.0"',
        'source = "registry+https://index.registry.example/"',
        `checksum = "${SHA}"`,
        '',
      ].join('\n'),
      '.cargo/config.toml': `[source.crates-io]\nreplace-with = "local"\n\n[source.local]\nregistry = "sparse+${base}/index/"\n`,
    },
    env,
  );

describe('certify a version the lockfile does not pin', () => {
  it('npm: a version the registry publishes is recorded; one it does not is refused, nothing written', async () => {
    const p = await npmProject(npm.url);
    const ok = await runVet(['certify', 'left-pad', '1.3.0', '1.4.0', ...WHO], { cwd: p.dir });
    expect(ok.code, ok.stderr).toBe(0);
    const before = p.read('supply-chain/audits.toml');
    const bad = await runVet(['certify', 'left-pad', '9.9.9', ...WHO], { cwd: p.dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`error: cannot certify left-pad:9.9.9: left-pad@9.9.9 is not published on ${npm.url}`);
    expect(bad.stderr).toContain('--force records the audit anyway');
    expect(p.read('supply-chain/audits.toml')).toBe(before);
    const json = await runVet(['--output-format', 'json', 'certify', 'left-pad', '9.9.9', ...WHO], { cwd: p.dir });
    expect((JSON.parse(json.stdout) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
  });

  it('npm: --force records it with a warning', async () => {
    const p = await npmProject(npm.url);
    const r = await runVet(['certify', 'left-pad', '9.9.9', '--force', ...WHO], { cwd: p.dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('warning: left-pad:9.9.9 may not exist: ');
    expect(p.read('supply-chain/audits.toml')).toContain('version = "9.9.9"');
  });

  it('npm: an unreachable registry refuses, naming the URL and --force; --frozen does not ask', async () => {
    const p = await npmProject('http://127.0.0.1:9/');
    const r = await runVet(['certify', 'left-pad', '9.9.9', ...WHO], { cwd: p.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot check that left-pad:9.9.9 exists: ');
    expect(r.stderr).toContain('http://127.0.0.1:9/');
    expect(r.stderr).toContain('--force to record the audit without checking');
    const frozen = await runVet(['--frozen', 'certify', 'left-pad', '9.9.9', ...WHO], { cwd: p.dir });
    expect(frozen.code).toBe(0);
    expect(frozen.stderr).toContain('does not ask the registry whether it exists');
  });

  it('PyPI: the index the lockfile records is asked', async () => {
    const p = await pypiProject();
    expect((await runVet(['certify', 'demo', '3.0', '3.1', ...WHO], { cwd: p.dir })).code).toBe(0);
    const bad = await runVet(['certify', 'demo', '9.9', ...WHO], { cwd: p.dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      `error: cannot certify demo:9.9: demo 9.9 is not on the package index ${base}/simple/`,
    );
  });

  it('crates: the sparse index Cargo is configured with is asked', async () => {
    const env = { CARGO_HOME: cargoHome() };
    const p = await cargoProject(env);
    expect((await runVet(['certify', 'tinycrate', '1.0.0', '1.1.0', ...WHO], { cwd: p.dir, env })).code).toBe(0);
    const bad = await runVet(['certify', 'tinycrate', '9.9.9', ...WHO], { cwd: p.dir, env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      `error: cannot certify tinycrate:9.9.9: tinycrate 9.9.9 is not in the registry index ${base}/index/`,
    );
  });
});
