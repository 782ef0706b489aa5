/**
 * Issue 14, the vetted-only Cargo sparse index, with the real `cargo` on this machine against a
 * real notary on 127.0.0.1: the crates-io source is replaced (`[source]` in a temp CARGO_HOME) by
 * `sparse+http://127.0.0.1:…/crates/safe-to-deploy/`, so cargo can reach nothing else.
 * `cargo generate-lockfile` + `cargo fetch` of approved versions (one depending on another)
 * succeed with the approval's checksums in Cargo.lock; an unapproved version cannot be
 * selected; a revoked one disappears.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
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
import { buildTgz } from '@vet/test-support/registry-server';
import { createCratesClient } from '../packages/cli/src/crates/index.js';

const hasCargo = spawnSync('cargo', ['--version'], { encoding: 'utf8' }).status === 0;

let n: TestNotary;
let alice: TestAuditor;
const tmp = tempDir('vet-crates-view-');
const leafHashes = new Map<string, string>();
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function crate(name: string, version: string, deps = ''): Buffer {
  const toml = `[package]\nname = "${name}"\nversion = "${version}"\nedition = "2021"\n\n[dependencies]\n${deps}`;
  return buildTgz({ 'Cargo.toml': toml, 'src/lib.rs': `pub const V: &str = "${version}";\n` }, `${name}-${version}/`);
}

async function approveAndArchive(name: string, version: string, bytes: Buffer): Promise<void> {
  const digest = `sha256-${createHash('sha256').update(bytes).digest('base64')}`;
  const body = signStatement(
    alice,
    fullAudit(name, version, { ecosystem: 'cargo', who: alice.name, digests: { [version]: digest } }),
  );
  const r = await post(`${n.url}/v1/submit`, body, alice.token);
  expect(r.status).toBe(200);
  leafHashes.set(`${name}@${version}`, r.json.leafHash as string);
  const up = await fetch(`${n.url}/v1/artifacts/cargo/${name}/${version}`, {
    method: 'PUT',
    body: bytes,
    headers: { authorization: `Bearer ${alice.token}` },
  });
  expect(up.status).toBe(201);
}

const crates = {
  base100: crate('vet_demo_base', '1.0.0'),
  base110: crate('vet_demo_base', '1.1.0'),
  app: crate('vet-demo-app', '0.1.0', 'vet_demo_base = "1"\n'),
};

beforeAll(async () => {
  n = await startTestNotary();
  alice = await n.addAuditor('Alice <alice@example.com>');
  await approveAndArchive('vet_demo_base', '1.0.0', crates.base100);
  await approveAndArchive('vet_demo_base', '1.1.0', crates.base110);
  await approveAndArchive('vet-demo-app', '0.1.0', crates.app);
});
afterAll(async () => {
  await n.close();
  tmp.cleanup();
});

const index = () => `${n.url}/crates/safe-to-deploy/`;

function cargo(project: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const cargoHome = join(project, '.cargo-home');
  mkdirSync(cargoHome, { recursive: true });
  writeFileSync(
    join(cargoHome, 'config.toml'),
    `[source.crates-io]\nreplace-with = "vetted"\n\n[source.vetted]\nregistry = "sparse+${index()}"\n\n[net]\nretry = 0\n`,
  );
  const env = {
    PATH: process.env['PATH'] ?? '',
    HOME: join(project, '.home'),
    CARGO_HOME: cargoHome,
    RUSTUP_HOME: process.env['RUSTUP_HOME'] ?? join(process.env['HOME'] ?? '/root', '.rustup'),
    CARGO_HTTP_TIMEOUT: '20',
    CARGO_TERM_COLOR: 'never',
  };
  return new Promise((resolve, reject) => {
    const child = spawn('cargo', args, { cwd: project, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

function project(name: string, deps: string): string {
  const dir = join(tmp.dir, name);
  mkdirSync(join(dir, 'src'), { recursive: true });
  writeFileSync(
    join(dir, 'Cargo.toml'),
    `[package]\nname = "${name}"\nversion = "0.0.0"\nedition = "2021"\n\n[dependencies]\n${deps}`,
  );
  writeFileSync(join(dir, 'src', 'lib.rs'), '');
  return dir;
}

describe('the /crates/<criterion>/ sparse index over HTTP', () => {
  it('config.json points dl at the archive; index lines carry the approved checksum and the dependencies', async () => {
    const config = (await (await fetch(`${index()}config.json`)).json()) as { dl: string };
    expect(config.dl).toBe(`${n.url}/v1/artifacts/sha256/{sha256-checksum}`);
    const base = await (await fetch(`${index()}ve/t_/vet_demo_base`)).text();
    const lines = base
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { vers: string; cksum: string });
    expect(lines.map((l) => [l.vers, l.cksum])).toEqual([
      ['1.0.0', sha256(crates.base100)],
      ['1.1.0', sha256(crates.base110)],
    ]);
    const app = JSON.parse(await (await fetch(`${index()}ve/t-/vet-demo-app`)).text()) as { deps: unknown[] };
    expect(app.deps).toEqual([
      {
        name: 'vet_demo_base',
        req: '1',
        features: [],
        optional: false,
        default_features: true,
        target: null,
        kind: 'normal',
      },
    ]);
    expect((await fetch(`${index()}xx/yy/vet_demo_base`)).status).toBe(404);
  });
});

describe("vet's own crates client reads the view", () => {
  it('finds approved releases with the approved checksum and downloads verified bytes from the archive', async () => {
    const client = createCratesClient({ registry: { indexUrl: index(), from: 'test' } });
    try {
      const release = await client.release('vet_demo_base', '1.0.0', sha256(crates.base100));
      expect(release.cksum).toBe(sha256(crates.base100));
      expect(sha256(await client.download(release))).toBe(sha256(crates.base100));
      await expect(client.release('vet_demo_base', '2.0.0')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    } finally {
      await client.close();
    }
  });
});

describe.skipIf(!hasCargo)('real cargo against the index', () => {
  it('resolves and fetches approved crates; Cargo.lock has the approved checksums', async () => {
    const dir = project('consumer', 'vet-demo-app = "=0.1.0"\n');
    const lock = await cargo(dir, ['generate-lockfile']);
    expect(lock.stderr).not.toMatch(/error/);
    expect(lock.code).toBe(0);
    const text = readFileSync(join(dir, 'Cargo.lock'), 'utf8');
    expect(text).toContain(`name = "vet_demo_base"\nversion = "1.1.0"`);
    expect(text).toContain(`checksum = "${sha256(crates.base110)}"`);
    expect(text).toContain(`checksum = "${sha256(crates.app)}"`);
    const fetched = await cargo(dir, ['fetch']);
    expect(fetched.stderr).not.toMatch(/error/);
    expect(fetched.code).toBe(0);
    // The .crate files cargo downloaded (from the archive, by dl) are the approved bytes.
    const cache = join(dir, '.cargo-home', 'registry', 'cache');
    const [source] = readdirSync(cache);
    expect(sha256(readFileSync(join(cache, source!, 'vet-demo-app-0.1.0.crate')))).toBe(sha256(crates.app));
    expect(sha256(readFileSync(join(cache, source!, 'vet_demo_base-1.1.0.crate')))).toBe(sha256(crates.base110));
  });

  it('an unapproved version cannot be selected', async () => {
    const dir = project('unapproved', 'vet_demo_base = "=2.0.0"\n');
    const r = await cargo(dir, ['generate-lockfile']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/failed to select a version for the requirement `vet_demo_base = "=2\.0\.0"`/);
  });

  it('a revoked version disappears at once', async () => {
    const body = signStatement(alice, {
      kind: 'revocation',
      ecosystem: 'cargo',
      package: 'vet_demo_base',
      version: '1.1.0',
      criteria: [],
      who: alice.name,
      digests: {},
      revokes: leafHashes.get('vet_demo_base@1.1.0')!,
    });
    expect((await post(`${n.url}/v1/submit`, body, alice.token)).status).toBe(200);
    const dir = project('after-revoke', 'vet_demo_base = "1"\n');
    const r = await cargo(dir, ['generate-lockfile']);
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'Cargo.lock'), 'utf8')).toContain(`name = "vet_demo_base"\nversion = "1.0.0"`);
    const pinned = await cargo(project('pinned-revoked', 'vet_demo_base = "=1.1.0"\n'), ['generate-lockfile']);
    expect(pinned.code).not.toBe(0);
  });
});
