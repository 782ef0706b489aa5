/**
 * `vet check --locked` through the built CLI on real cargo-vet repositories (shared corpus):
 * the verdict cargo-vet's CI gates on. Runs in place: a --locked check writes nothing.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCargoLock } from '@vet/core';
import { SHARED, runVet } from './helpers/project.js';

const CORPUS = path.join(SHARED, 'corpus', 'cargo');
const present = existsSync(path.join(CORPUS, 'manifest.json'));
if (!present)
  console.warn(`cli-cargo-conformance: skipped, ${CORPUS} is absent (the shared corpus sits next to the repo)`);

interface RepoEntry {
  dir: string;
  commit_date: string;
  expected_locked_verdict: string;
  store_path: string;
  store_version: string;
}
const repos: RepoEntry[] = present
  ? (JSON.parse(readFileSync(path.join(CORPUS, 'manifest.json'), 'utf8')) as { repos: RepoEntry[] }).repos
  : [];

// A cargo home whose registry cache holds the published manifests of the repos' crates, as
// `cargo fetch` leaves it on a developer's machine. The corpus has no crate sources, so each
// crate gets a manifest with a library (true of every crate cargo-vet's own graph kept, which
// is what the expected verdicts come from) — except zcash's one bin-only dependency, whose real
// published facts are `autolib = false` and a [[bin]]: cargo metadata (and so cargo-vet) drops
// it and what only it pulls in (clap, anstyle, …).
const cargoHome = mkdtempSync(path.join(os.tmpdir(), 'vet-cargo-home-'));
const cargoSrc = path.join(cargoHome, 'registry', 'src', 'index.registry.example-0000000000000000');
for (const r of repos) {
  const lock = parseCargoLock(readFileSync(path.join(CORPUS, r.dir, 'Cargo.lock'), 'utf8'), 'Cargo.lock');
  for (const p of lock.packages) {
    if (p.checksum === undefined) continue;
    const dir = path.join(cargoSrc, `${p.name}-${p.version}`);
    mkdirSync(path.join(dir, 'src'), { recursive: true });
    const binOnly = p.name === 'cxxbridge-cmd';
    writeFileSync(
      path.join(dir, 'Cargo.toml'),
      `[package]\nname = "${p.name}"\nversion = "${p.version}"\n${binOnly ? 'autolib = false\n\n[[bin]]\nname = "cxxbridge"\npath = "src/main.rs"\n' : ''}`,
    );
    writeFileSync(path.join(dir, 'src', binOnly ? 'main.rs' : 'lib.rs'), '');
  }
}
afterAll(() => rmSync(cargoHome, { recursive: true, force: true }));

const at = (r: RepoEntry) => `--current-time=${r.commit_date.slice(0, 10)}T12:00:00Z`;
const check = (r: RepoEntry) =>
  runVet(['check', '--locked', at(r), '--output-format', 'json'], {
    cwd: path.join(CORPUS, r.dir),
    env: { CARGO_HOME: cargoHome },
  });

describe.skipIf(!present)('vet check --locked on real cargo-vet repositories', () => {
  const passing = repos.filter((r) => r.expected_locked_verdict.startsWith('PASS') && r.dir !== 'zcash__zcash');

  it.each(passing.map((r) => [r.dir, r] as const))('%s: success, as cargo vet --locked', async (_dir, r) => {
    const run = await check(r);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout).conclusion).toBe('success');
    expect(run.code).toBe(0);
  });

  it('zcash__zcash: the bin-only subtree is dropped; fails only on bridgetree 0.7.1 (trusted, but imports.lock has no publisher row for it)', async () => {
    const r = repos.find((x) => x.dir === 'zcash__zcash')!;
    const run = await check(r);
    expect(JSON.parse(run.stdout).failures).toEqual([
      { name: 'bridgetree', version: '0.7.1', missing_criteria: ['safe-to-deploy'] },
    ]);
    expect(run.code).toBe(1);
  });

  it('--manifest-path names the workspace, as for cargo vet', async () => {
    const r = repos.find((x) => x.dir === 'mozilla__glean')!;
    const run = await runVet(['--manifest-path', path.join(CORPUS, r.dir, 'Cargo.toml'), 'check', '--locked', at(r)], {
      cwd: os.tmpdir(),
    });
    expect(run.stdout).toContain('Vetting Succeeded');
    expect(run.code).toBe(0);
  });

  it('spinframework__spin: refused by the store version gate (written by cargo-vet 0.7)', async () => {
    const r = repos.find((x) => x.dir === 'spinframework__spin')!;
    const run = await check(r);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout).error.code).toBe('STORE_VERSION');
  });
});

describe.skipIf(!present)('vet fmt on stores cargo-vet 0.10 wrote', () => {
  const current = repos.filter((r) => r.store_version === '0.10');

  it.each(current.map((r) => [r.dir, r] as const))('%s: fmt changes nothing', async (_dir, r) => {
    // A scratch copy: fmt writes, and the corpus is read-only.
    const scratch = mkdtempSync(path.join(os.tmpdir(), 'vet-fmt-'));
    try {
      cpSync(path.join(CORPUS, r.dir), scratch, { recursive: true });
      const store = path.join(scratch, r.store_path);
      const before = Object.fromEntries(readdirSync(store).map((f) => [f, readFileSync(path.join(store, f), 'utf8')]));
      const run = await runVet(['fmt'], { cwd: scratch, env: { CARGO_HOME: cargoHome } });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const after = Object.fromEntries(
        readdirSync(store)
          .filter((f) => f !== '.vet-lock')
          .map((f) => [f, readFileSync(path.join(store, f), 'utf8')]),
      );
      expect(after).toEqual(before);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
