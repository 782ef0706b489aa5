/**
 * A Cargo verdict that does not depend on the machine, end to end with the built `vet` on
 * zcash (../shared/corpus/cargo/zcash__zcash, read at run time and copied to a temp folder).
 * cargo metadata — and so cargo vet — drops zcash's dependency on the bin-only crate
 * cxxbridge-cmd, with clap & co. that only it pulls in: cargo vet fails on 1 crate. Here cargo's
 * cache knows every crate but four (cxx, cxxbridge-cmd, clap, clap_builder), whose tiny
 * synthetic `.crate` files a sparse registry on 127.0.0.1 serves; the lockfile copy carries
 * their checksums. `--locked` cannot learn them: it fails on the clap subtree too and says
 * which crates it assumed to have a library, and how to fetch them. An unlocked command
 * fetches just what the graph reaches (cxx, then cxxbridge-cmd — never clap, which only the
 * bin-only crate pulls in), verified against Cargo.lock, and keeps the facts: `--locked` then
 * gives cargo vet's verdict with no network.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCargoLock } from '@vet/core';
import { crateIndexPath } from '../packages/cli/src/crates/index.js';
import { SHARED, runVet } from './helpers/project.js';
import { buildTgz } from '@vet/test-support/registry-server';

const ZCASH = path.join(SHARED, 'corpus', 'cargo', 'zcash__zcash');
const present = existsSync(path.join(ZCASH, 'Cargo.lock'));
if (!present) console.warn(`cargo-facts: skipped, ${ZCASH} is absent (the shared corpus sits next to the repo)`);

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

interface Served {
  name: string;
  version: string;
  bytes: Buffer;
}

/** A published crate as cargo normalises it: `[lib]` present, or `autolib = false` and only a [[bin]]. */
function crate(name: string, version: string, binOnly = false): Served {
  const manifest = binOnly
    ? `[package]\nname = "${name}"\nversion = "${version}"\nautolib = false\n\n[[bin]]\nname = "cxxbridge"\npath = "src/main.rs"\n`
    : `[package]\nname = "${name}"\nversion = "${version}"\nautolib = false\n\n[lib]\nname = "${name.replace(/-/g, '_')}"\npath = "src/lib.rs"\n`;
  const files = { 'Cargo.toml': manifest, [binOnly ? 'src/main.rs' : 'src/lib.rs']: '// synthetic\n' };
  return { name, version, bytes: buildTgz(files, `${name}-${version}/`) };
}

const served = [
  crate('cxx', '1.0.194'),
  crate('cxxbridge-cmd', '1.0.194', true),
  crate('clap', '4.6.1'),
  crate('clap_builder', '4.6.0'),
];
const requests: string[] = [];
let server: Server;
let base = '';
let work = '';

/** Cargo.lock with the served crates' checksums in place of the real ones. */
function patchedLock(text: string): string {
  let out = text;
  for (const c of served) {
    const re = new RegExp(
      `(name = "${c.name}"\\nversion = "${c.version.replace(/\./g, '\\.')}"\\nsource = "[^"]+"\\nchecksum = ")[0-9a-f]{64}"`,
    );
    if (!re.test(out)) throw new Error(`${c.name} ${c.version} is not in zcash's Cargo.lock`);
    out = out.replace(re, `$1${sha256(c.bytes)}"`);
  }
  return out;
}

/** A cargo home whose registry/src holds a library manifest for every crate but the served ones. */
function cargoHomeWithout(lockText: string): string {
  const home = path.join(work, 'cargo-home');
  const src = path.join(home, 'registry', 'src', 'index.registry.example-0000000000000000');
  for (const p of parseCargoLock(lockText, 'Cargo.lock').packages) {
    if (p.checksum === undefined || served.some((c) => c.name === p.name && c.version === p.version)) continue;
    const dir = path.join(src, `${p.name}-${p.version}`);
    mkdirSync(path.join(dir, 'src'), { recursive: true });
    writeFileSync(path.join(dir, 'Cargo.toml'), `[package]\nname = "${p.name}"\nversion = "${p.version}"\n`);
    writeFileSync(path.join(dir, 'src', 'lib.rs'), '');
  }
  return home;
}

beforeAll(async () => {
  if (!present) return;
  server = createServer((req, res) => {
    const url = req.url ?? '/';
    requests.push(url);
    if (url === '/index/config.json')
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ dl: `${base}/dl` }));
    const hit = served.find((c) => url === `/index/${crateIndexPath(c.name)}`);
    if (hit)
      return void res
        .writeHead(200)
        .end(
          `${JSON.stringify({ name: hit.name, vers: hit.version, deps: [], cksum: sha256(hit.bytes), yanked: false })}\n`,
        );
    const dl = served.find((c) => url === `/dl/${c.name}/${c.version}/download`);
    if (dl) return void res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(dl.bytes);
    res.writeHead(404).end();
  });
  server.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  work = mkdtempSync(path.join(os.tmpdir(), 'vet-cargo-facts-'));
});
afterAll(() => {
  server?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe.skipIf(!present)('zcash: the graph cargo vet sees, on any machine', () => {
  it('--locked assumes and says so; an unlocked command fetches only what the graph reaches; --locked then matches cargo vet', async () => {
    const repo = path.join(work, 'zcash');
    cpSync(ZCASH, repo, { recursive: true });
    const lock = patchedLock(readFileSync(path.join(ZCASH, 'Cargo.lock'), 'utf8'));
    writeFileSync(path.join(repo, 'Cargo.lock'), lock);
    mkdirSync(path.join(repo, '.cargo'));
    writeFileSync(
      path.join(repo, '.cargo', 'config.toml'),
      `[source.crates-io]\nreplace-with = "local"\n\n[source.local]\nregistry = "sparse+${base}/index/"\n`,
    );
    const env = { CARGO_HOME: cargoHomeWithout(lock), VET_CACHE_DIR: path.join(work, 'vet-cache') };
    const manifest = JSON.parse(readFileSync(path.join(ZCASH, '..', 'manifest.json'), 'utf8')) as {
      repos: { dir: string; commit_date: string }[];
    };
    const date = manifest.repos.find((r) => r.dir === 'zcash__zcash')!.commit_date.slice(0, 10);
    const at = `--current-time=${date}T12:00:00Z`;
    const failing = (stdout: string) =>
      (JSON.parse(stdout) as { failures: { name: string }[] }).failures.map((f) => f.name).sort();

    const before = await runVet(['check', '--locked', at, '--output-format', 'json'], { cwd: repo, env });
    expect(before.code).toBe(1);
    expect(failing(before.stdout)).toEqual(expect.arrayContaining(['bridgetree', 'clap', 'clap_builder']));
    expect(before.stderr).toContain(
      '4 crate(s) were assumed to have a library target, because their published manifests are not on this machine: ' +
        'clap 4.6.1, clap_builder 4.6.0, cxx 1.0.194, cxxbridge-cmd 1.0.194.',
    );
    expect(before.stderr).toContain('fetch them with an unlocked `vet check` (or `cargo fetch`)');
    expect(requests).toEqual([]);

    const why = await runVet(['why', 'cxx'], { cwd: repo, env });
    expect(why.code).toBe(0);
    const downloads = requests.filter((u) => u.startsWith('/dl/')).sort();
    expect(downloads).toEqual(['/dl/cxx/1.0.194/download', '/dl/cxxbridge-cmd/1.0.194/download']);

    const n = requests.length;
    const after = await runVet(['check', '--locked', at, '--output-format', 'json'], { cwd: repo, env });
    expect(failing(after.stdout)).toEqual(['bridgetree']);
    expect(after.code).toBe(1);
    expect(after.stderr).not.toMatch(/assumed to have a library/);
    expect(requests.length).toBe(n);
  });
});
