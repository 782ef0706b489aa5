/**
 * Crates for inspect, diff and suggest, end to end: the built `vet` on a Cargo project against
 * a sparse registry on 127.0.0.1 (config.json, index files, real .crate tarballs). The
 * registry reaches vet only through Cargo's own configuration — source replacement of
 * crates-io in the project's .cargo/config.toml — with CARGO_HOME pointing at an empty folder.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveCratesIndex } from '../packages/cli/src/crates/index.js';
import { crateDownloadUrl, crateIndexPath, readCargoGraph } from '../packages/cli/src/crates/index.js';
import { runVet, tempProject } from './helpers/project.js';
import { buildTgz } from '@vet/test-support/registry-server';

// What Cargo.lock records for the default registry; vet learns it is the default from the
// manifest's plain `tinycrate = "1"`, never from the spelling.
const DEFAULT_REGISTRY = 'registry+https://index.registry.example/';
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

interface Crate {
  name: string;
  version: string;
  bytes: Buffer;
  cksum?: string;
}
const crates: Crate[] = [];
const requests: string[] = [];
let server: Server;
let base = '';
let cargoHome = '';

function publish(
  name: string,
  version: string,
  files: Record<string, string>,
  opts: { cksum?: string; serve?: Buffer } = {},
): Crate {
  const real = buildTgz(
    { 'Cargo.toml': `[package]\nname = "${name}"\nversion = "${version}"\n`, ...files },
    `${name}-${version}/`,
  );
  const c = { name, version, bytes: opts.serve ?? real, cksum: opts.cksum ?? sha256(real) };
  crates.push(c);
  return c;
}

beforeAll(async () => {
  cargoHome = mkdtempSync(join(tmpdir(), 'vet-cargo-home-'));
  publish('tinycrate', '1.0.0', { 'src/lib.rs': 'pub fn one() -> u32 { 1 }\n' });
  publish('tinycrate', '1.1.0', {
    'src/lib.rs': 'pub fn one() -> u32 { 1 }\npub fn two() -> u32 { 2 }\n',
    'build.rs': 'fn main() {}\n',
  });
  const honest = publish('swapped', '1.0.0', { 'src/lib.rs': '// ok\n' });
  publish(
    'swapped',
    '2.0.0',
    { 'src/lib.rs': '// ok\n' },
    {
      serve: buildTgz({ 'src/lib.rs': 'std::process::Command::new("curl");\n' }, 'swapped-2.0.0/'),
      cksum: honest.cksum,
    },
  );
  server = createServer((req, res) => {
    const url = req.url ?? '/';
    requests.push(url);
    if (url === '/index/config.json')
      return void res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ dl: `${base}/dl`, api: base }));
    // The registry's web API (config.json `api`), as cargo-vet asks it for publishers.
    const api = /^\/api\/v1\/crates\/([^/]+)$/.exec(url);
    if (api) {
      const versions = crates
        .filter((c) => c.name === api[1])
        .map((c) => ({
          num: c.version,
          created_at: '2026-03-04T05:06:07.000+00:00',
          yanked: false,
          published_by: { id: 42, login: 'alice', name: 'Alice Crate' },
          trustpub_data: null,
        }));
      return void res
        .writeHead(versions.length ? 200 : 404, { 'content-type': 'application/json' })
        .end(JSON.stringify({ crate: { name: api[1] }, versions }));
    }
    const name = url.startsWith('/index/') ? url.split('/').at(-1)! : undefined;
    if (name && url === `/index/${crateIndexPath(name)}`) {
      const lines = crates
        .filter((c) => c.name === name)
        .map((c) =>
          JSON.stringify({ name: c.name, vers: c.version, deps: [], cksum: c.cksum, features: {}, yanked: false }),
        );
      return void (lines.length ? res.writeHead(200).end(lines.join('\n') + '\n') : res.writeHead(404).end());
    }
    const dl = /^\/dl\/([^/]+)\/([^/]+)\/download$/.exec(url);
    const c = dl && crates.find((x) => x.name === dl[1] && x.version === dl[2]);
    if (c) return void res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(c.bytes);
    res.writeHead(404).end();
  });
  server.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.close();
  rmSync(cargoHome, { recursive: true, force: true });
});

function cargoProject(
  dep: string,
  version: string,
  checksum = crates.find((c) => c.name === dep && c.version === version)!.cksum!,
) {
  return tempProject({
    'Cargo.toml': `[package]\nname = "app"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n${dep} = "1"\n`,
    'src/main.rs': 'fn main() {}\n',
    'Cargo.lock': [
      'version = 4',
      '',
      '[[package]]',
      'name = "app"',
      'version = "0.1.0"',
      `dependencies = ["${dep}"]`,
      '',
      '[[package]]',
      `name = "${dep}"`,
      `version = "${version}"`,
      `source = "${DEFAULT_REGISTRY}"`,
      `checksum = "${checksum}"`,
      '',
    ].join('\n'),
    '.cargo/config.toml': `[source.crates-io]\nreplace-with = "local-mirror"\n\n[source.local-mirror]\nregistry = "sparse+${base}/index/"\n`,
  });
}
const env = () => ({ CARGO_HOME: cargoHome, VET_CACHE_DIR: mkdtempSync(join(tmpdir(), 'vet-crates-cache-')) });

describe('Cargo configuration', () => {
  it('follows replace-with chains to a sparse registry; closer files win; nothing without replacement', () => {
    const project = {
      path: '/p/.cargo/config.toml',
      text: '[source.crates-io]\nreplace-with = "a"\n[source.a]\nreplace-with = "b"\n',
    };
    const home = {
      path: '/h/.cargo/config.toml',
      text: '[source.b]\nregistry = "sparse+https://mirror.example/index"\n[source.crates-io]\nreplace-with = "zzz"\n',
    };
    expect(resolveCratesIndex([project, home])).toEqual({
      indexUrl: 'https://mirror.example/index/',
      from: '/h/.cargo/config.toml',
    });
    expect(resolveCratesIndex([])).toBeUndefined();
    expect(() =>
      resolveCratesIndex([
        { path: 'c', text: '[source.crates-io]\nreplace-with = "v"\n[source.v]\ndirectory = "vendor"\n' },
      ]),
    ).toThrow(/directory source/);
    expect(() =>
      resolveCratesIndex([
        {
          path: 'c',
          text: '[source.crates-io]\nreplace-with = "g"\n[source.g]\nregistry = "https://example/git-index"\n',
        },
      ]),
    ).toThrow(/git-protocol/);
    expect(() =>
      resolveCratesIndex([
        { path: 'c', text: '[source.crates-io]\nreplace-with = "x"\n[source.x]\nreplace-with = "crates-io"\n' },
      ]),
    ).toThrow(/loops/);
  });

  it('download URLs: cargo markers, or /{crate}/{version}/download appended', () => {
    expect(crateIndexPath('Serde')).toBe('se/rd/serde');
    expect(crateIndexPath('syn')).toBe('3/s/syn');
    expect(crateDownloadUrl('https://dl.example/api/v1/crates', 'serde', '1.0.0', 'ab')).toBe(
      'https://dl.example/api/v1/crates/serde/1.0.0/download',
    );
    expect(
      crateDownloadUrl(
        'https://dl.example/{prefix}/{crate}-{version}.crate?c={sha256-checksum}',
        'Serde',
        '1.0.0',
        'ab',
      ),
    ).toBe('https://dl.example/Se/rd/Serde-1.0.0.crate?c=ab');
  });
});

describe('vet on a Cargo project, against a local sparse registry', () => {
  it('inspect and diff fetch the .crate, verify it against Cargo.lock and unpack it', async () => {
    const p = cargoProject('tinycrate', '1.0.0');
    try {
      const e = env();
      expect((await runVet(['init'], { cwd: p.dir, env: e })).code).toBe(0);
      const r = await runVet(['inspect', 'tinycrate', '1.0.0'], { cwd: p.dir, env: e });
      expect(r.code).toBe(0);
      const dir = r.stdout.trim().split('\n').at(-1)!;
      expect(readFileSync(join(dir, 'src/lib.rs'), 'utf8')).toBe('pub fn one() -> u32 { 1 }\n');
      const d = await runVet(['diff', 'tinycrate', '1.0.0', '1.1.0', '--stat'], { cwd: p.dir, env: e });
      expect(d.code).toBe(0);
      expect(d.stdout).toContain('3 files changed, 3 insertions(+), 1 deletion(-)');
      expect(requests.every((u) => /^\/(index|dl|api)\//.test(u))).toBe(true);
    } finally {
      p.cleanup();
    }
  });

  it('an unlocked check on a new version suggests the measured delta; --locked fetches nothing', async () => {
    const p = cargoProject('tinycrate', '1.0.0');
    try {
      const e = env();
      await runVet(['init'], { cwd: p.dir, env: e });
      const next = cargoProject('tinycrate', '1.1.0');
      p.write('Cargo.lock', next.read('Cargo.lock'));
      next.cleanup();
      const before = requests.length;
      const locked = await runVet(['check', '--locked'], { cwd: p.dir, env: e });
      expect(locked.code).toBe(1);
      expect(requests.length).toBe(before);
      const r = await runVet(['check'], { cwd: p.dir, env: e });
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('tinycrate:1.1.0 missing ["safe-to-deploy"]');
      expect(r.stdout).toMatch(
        /vet diff tinycrate 1\.0\.0 1\.1\.0 .* 3 files changed, 3 insertions\(\+\), 1 deletions\(-\)/,
      );
    } finally {
      p.cleanup();
    }
  });

  it('a crate the registry does not have: exit 2, and the hint points at Cargo configuration, not npm', async () => {
    const p = cargoProject('tinycrate', '1.0.0');
    try {
      const e = env();
      await runVet(['init'], { cwd: p.dir, env: e });
      const r = await runVet(['inspect', 'nosuchcrate', '1.0.0'], { cwd: p.dir, env: e });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(
        /index entry for nosuchcrate \(http:\/\/127\.0\.0\.1:\d+\/index\/no\/su\/nosuchcrate\) was not found \(HTTP 404\)/,
      );
      expect(r.stderr).toContain(
        'hint: check the package name and version, and the sparse registry Cargo uses: [source.crates-io] replace-with in .cargo/config.toml',
      );
      expect(r.stderr).not.toMatch(/npmrc|\n\s+at /);
    } finally {
      p.cleanup();
    }
  });

  it('bytes that do not match Cargo.lock are refused and never unpacked', async () => {
    const p = cargoProject('swapped', '2.0.0');
    try {
      const e = env();
      await runVet(['init'], { cwd: p.dir, env: e });
      const r = await runVet(['inspect', 'swapped', '2.0.0'], { cwd: p.dir, env: e });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/INTEGRITY_MISMATCH|refusing to use it/);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
      expect(existsSync(join(e.VET_CACHE_DIR, 'trees'))).toBe(false);
    } finally {
      p.cleanup();
    }
  });

  it('an unlocked check fetches who published a trusted crate, records it in imports.lock, and --locked then passes offline', async () => {
    const p = cargoProject('tinycrate', '1.1.0');
    try {
      const e = env();
      const at = ['--current-time', '2026-06-01T00:00:00Z'];
      await runVet(['init', ...at], { cwd: p.dir, env: e });
      p.write(
        'supply-chain/config.toml',
        p.read('supply-chain/config.toml').replace(/\[\[exemptions\.tinycrate\]\][^[]*/, ''),
      );
      p.write(
        'supply-chain/audits.toml',
        '\n# cargo-vet audits file\n\n[[trusted.tinycrate]]\ncriteria = "safe-to-deploy"\nuser-id = 42\nstart = "2026-01-01"\nend = "2027-01-01"\n\n[audits]\n',
      );
      expect((await runVet(['fmt'], { cwd: p.dir, env: e })).code).toBe(0);
      const before = await runVet(['check', '--locked', ...at], { cwd: p.dir, env: e });
      expect(before.stdout).toContain('tinycrate:1.1.0 missing ["safe-to-deploy"]');
      expect(before.code).toBe(1); // no publisher row yet: under --locked a trusted entry covers nothing
      const r = await runVet(['check', ...at], { cwd: p.dir, env: e });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(requests).toContain('/api/v1/crates/tinycrate');
      expect(p.read('supply-chain/imports.lock')).toContain(
        '[[publisher.tinycrate]]\nversion = "1.1.0"\nwhen = "2026-03-04"\nuser-id = 42\nuser-login = "alice"\nuser-name = "Alice Crate"\n',
      );
      const n = requests.length;
      const after = await runVet(['check', '--locked', ...at], { cwd: p.dir, env: e });
      expect(after.code).toBe(0);
      expect(requests.length).toBe(n);
    } finally {
      p.cleanup();
    }
  });
});

describe('without Cargo configuration: the index cargo already uses', () => {
  /** A cargo home as cargo leaves it after fetching tinycrate: the index's config.json and its cached entry. */
  function cargoHomeWithIndex(): string {
    const home = mkdtempSync(join(tmpdir(), 'vet-cargo-state-'));
    const dir = join(home, 'registry', 'index', 'index.registry.example-0123456789abcdef');
    mkdirSync(join(dir, '.cache', crateIndexPath('tinycrate'), '..'), { recursive: true });
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ dl: `${base}/dl`, api: base }));
    const head = Buffer.from([3, 2, 0, 0, 0]);
    const pairs = crates
      .filter((c) => c.name === 'tinycrate')
      .flatMap((c) => [c.version, JSON.stringify({ name: c.name, vers: c.version, deps: [], cksum: c.cksum })]);
    writeFileSync(
      join(dir, '.cache', crateIndexPath('tinycrate')),
      Buffer.concat([head, Buffer.from(`${['etag: "1"', ...pairs].join('\0')}\0`)]),
    );
    return home;
  }

  it('inspect and diff download through its config.json; a version Cargo.lock does not pin comes from its cached entry', async () => {
    const p = cargoProject('tinycrate', '1.0.0');
    const home = cargoHomeWithIndex();
    try {
      rmSync(join(p.dir, '.cargo'), { recursive: true });
      const e = { ...env(), CARGO_HOME: home };
      expect((await runVet(['init'], { cwd: p.dir, env: e })).code).toBe(0);
      const r = await runVet(['inspect', 'tinycrate', '1.0.0'], { cwd: p.dir, env: e });
      expect(r.code).toBe(0);
      const d = await runVet(['diff', 'tinycrate', '1.0.0', '1.1.0', '--stat'], { cwd: p.dir, env: e });
      expect(d.stdout).toContain('3 files changed, 3 insertions(+), 1 deletion(-)');
      expect(d.code).toBe(0);
    } finally {
      p.cleanup();
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('with no configuration and nothing cargo fetched, a clear error names what to do', async () => {
    const p = cargoProject('tinycrate', '1.0.0');
    try {
      rmSync(join(p.dir, '.cargo'), { recursive: true });
      const e = env();
      await runVet(['init', '--locked'], { cwd: p.dir, env: e });
      const r = await runVet(['inspect', 'tinycrate', '1.0.0'], { cwd: p.dir, env: e });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(
        "error: vet cannot tell where Cargo's default registry is: nothing replaces it in the cargo configuration, cargo has not fetched from it on this machine, and the lockfile records registry+https://index.registry.example/, which is not a sparse index\n",
      );
      expect(r.stderr).toMatch(/hint: run `cargo fetch` once .* or set \[source\.crates-io\] replace-with = "<name>"/);
    } finally {
      p.cleanup();
    }
  });

  it('a manifest that cannot be fetched or does not match Cargo.lock is assumed to have a library, and said', async () => {
    const p = cargoProject('swapped', '2.0.0');
    try {
      const graph = await readCargoGraph(p.dir, { env: env(), network: true });
      expect(graph.nodes.map((n) => n.id)).toContain('swapped@2.0.0');
      expect(graph.warnings.join('\n')).toMatch(
        /could not fetch the manifests of swapped 2\.0\.0 \(swapped 2\.0\.0: the downloaded \.crate has sha256 [0-9a-f]{64}, but Cargo\.lock says [0-9a-f]{64}; refusing to use it; .*\); they were assumed to have a library target/,
      );
    } finally {
      p.cleanup();
    }
  });
});
