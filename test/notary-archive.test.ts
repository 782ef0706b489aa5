/**
 * Issue 14, end to end on 127.0.0.1: an auditor's `certify --submit` path (submitToNotary with
 * the package source's artifact) uploads the audited tarball to a real notary's archive; the
 * consumer imports the notary; the registry then deletes the release, and the built `vet
 * inspect` and `vet diff` still work — from the archive, with the digest checked. A notary
 * whose archive serves altered bytes is refused. Needs `pnpm build` first.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readNpmLockfile } from '@vet/core/node';
import type { CommandIO } from '../packages/cli/src/io.js';
import { runAuditorKeygen } from '../packages/cli/src/commands/auditor.js';
import { readAuditorKey } from '../packages/cli/src/notary/auditor-key.js';
import { submitToNotary } from '../packages/cli/src/notary/submit.js';
import { openPackageSource } from '../packages/cli/src/package-source.js';
import { addAuditor } from '@vet/notary-server';
import { startRealNotary, type RealNotary } from '@vet/test-support/notary-fixtures';
import { packageLock, runVet, tempProject, type TempProject } from './helpers/project.js';
import { startRegistryServer, type Published, type RegistryServer } from '@vet/test-support/registry-server';

const CONFIG = '\n# cargo-vet config file\n\n[cargo-vet]\nversion = "0.10"\n\n[vet]\necosystem = "npm"\n';

let registry: RegistryServer;
let n: RealNotary;
let p: TempProject;
let v13: Published;
let stderr = '';

function testIO(env: NodeJS.ProcessEnv): CommandIO {
  return {
    out: () => {},
    err: (t) => void (stderr += t),
    isTTY: false,
    interactive: false,
    prompt: async () => '',
    now: () => new Date(),
    env,
  };
}

beforeAll(async () => {
  registry = await startRegistryServer();
  n = await startRealNotary();
  v13 = registry.publish({ name: 'left-pad', version: '1.3.0', files: { 'index.js': 'module.exports = 13;\n' } });
  registry.publish({ name: 'left-pad', version: '1.4.0', files: { 'index.js': 'module.exports = 14;\n' } });
  p = tempProject({
    '.npmrc': `registry=${registry.url}\n`,
    'package.json': JSON.stringify({ name: 'demo', version: '1.0.0', dependencies: { 'left-pad': '1.3.0' } }),
    'package-lock.json': packageLock({
      deps: { 'left-pad': '1.3.0' },
      packages: { 'node_modules/left-pad': { version: '1.3.0', integrity: v13.integrity } },
    }),
    'supply-chain/config.toml': CONFIG,
    'supply-chain/audits.toml': '\n# cargo-vet audits file\n\n[audits]\n',
    'supply-chain/imports.lock': '\n# cargo-vet imports lock\n',
  });
});
afterAll(async () => {
  await n.close();
  await registry.close();
  p.cleanup();
});

const env = () => ({ XDG_STATE_HOME: join(p.dir, '.state') });

describe('approved artifacts survive the registry', () => {
  it('certify --submit uploads the audited tarball; inspect and diff work after the registry deleted it', async () => {
    expect(
      (await runVet(['import', 'notary', '--notary', n.url, '--key', n.vkey], { cwd: p.dir, env: env() })).code,
    ).toBe(0);
    const io = testIO({ ...env(), HOME: join(p.dir, '.home') });
    await runAuditorKeygen({ cwd: p.dir, locked: false, frozen: false, outputFormat: 'json' }, io, 'alice.key');
    const key = await readAuditorKey(join(p.dir, 'alice.key'));
    const { token } = await addAuditor(n.dir, { name: 'Alice <alice@example.com>', publicKey: key.publicKey });
    const graph = await readNpmLockfile(join(p.dir, 'package-lock.json'));
    const source = await openPackageSource({
      ecosystem: 'npm',
      graph,
      lockfile: join(p.dir, 'package-lock.json'),
      env: { HOME: join(p.dir, '.home') },
      cacheDir: join(p.dir, '.auditor-cache'),
    });
    try {
      await submitToNotary({
        audit: {
          who: ['Alice'],
          criteria: ['safe-to-deploy'],
          kind: 'full',
          version: '1.3.0',
          importable: true,
          aggregatedFrom: [],
        },
        pkg: 'left-pad',
        storeDir: join(p.dir, 'supply-chain'),
        graph,
        notaryUrl: 'notary',
        keyFile: join(p.dir, 'alice.key'),
        token,
        io,
        artifact: (version, digest) => source.artifact('left-pad', version, digest),
      });
    } finally {
      await source.close();
    }
    expect(stderr).toContain("Uploaded 1 audited artifact(s) to the notary's archive.");
    const sha512 = createHash('sha512').update(v13.tarball).digest('hex');
    const served = await fetch(`${n.url}/v1/artifacts/sha512/${sha512}`);
    expect(Buffer.from(await served.arrayBuffer()).equals(v13.tarball)).toBe(true);
    expect(
      (await runVet(['import', 'notary', '--notary', n.url, '--key', n.vkey], { cwd: p.dir, env: env() })).code,
    ).toBe(0);

    registry.unpublish('left-pad', '1.3.0');
    expect((await fetch(v13.tarballUrl)).status).toBe(404);

    const inspect = await runVet(['inspect', 'left-pad', '1.3.0'], { cwd: p.dir, env: env() });
    expect(inspect.stderr).not.toMatch(/error/);
    expect(inspect.code).toBe(0);
    expect(readFileSync(join(inspect.stdout.trim(), 'index.js'), 'utf8')).toBe('module.exports = 13;\n');

    const diff = await runVet(['diff', 'left-pad', '1.3.0', '1.4.0', '--no-pager'], { cwd: p.dir, env: env() });
    expect(diff.code).toBe(0);
    expect(diff.stdout).toContain('-module.exports = 13;');
    expect(diff.stdout).toContain('+module.exports = 14;');
  });

  it('a notary whose archive serves altered bytes is refused, and nothing is unpacked', async () => {
    const sha512 = createHash('sha512').update(v13.tarball).digest('hex');
    const blob = join(n.dir, 'archive', 'sha512', sha512.slice(0, 2), sha512);
    const altered = Buffer.from(v13.tarball);
    altered.writeUInt8(altered.readUInt8(altered.length - 1) ^ 0xff, altered.length - 1);
    writeFileSync(blob, altered);
    const fresh = { ...env(), XDG_CACHE_HOME: join(p.dir, '.cache-2') };
    const r = await runVet(['inspect', 'left-pad', '1.3.0'], { cwd: p.dir, env: fresh });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/archive of notary 'notary' served bytes for left-pad@1\.3\.0 that do not match/);
    const trees = join(p.dir, '.cache-2', 'vet', 'trees');
    let unpacked: string[] = [];
    try {
      unpacked = readdirSync(trees);
    } catch {
      /* no trees dir: nothing unpacked */
    }
    expect(unpacked).toEqual([]);
  });

  it('without an approval, a deleted release is still the registry 404', async () => {
    registry.unpublish('left-pad', '1.4.0');
    const r = await runVet(['inspect', 'left-pad', '1.4.0'], {
      cwd: p.dir,
      env: { ...env(), XDG_CACHE_HOME: join(p.dir, '.cache-3') },
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/404|not found/i);
  });
});
