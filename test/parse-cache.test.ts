/**
 * The parse cache and the canonical-store marks (issue 12), end to end through the built binary:
 * a cached check says byte for byte what an uncached one says, any change to an input the reader
 * saw is noticed, a corrupt entry is ignored, and a store edited after its mark is linted again.
 */
import { cpSync, existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SHARED, packageLock, runVet, tempProject, type TempProject } from './helpers/project.js';

let projects: TempProject[] = [];
afterEach(() => {
  for (const p of projects) p.cleanup();
  projects = [];
});

function project(files: Record<string, string>): TempProject {
  const p = tempProject(files);
  projects.push(p);
  return p;
}

const parseDir = (p: TempProject) => path.join(p.dir, '.cache', 'vet', 'parse');
const entries = (p: TempProject) => (existsSync(parseDir(p)) ? readdirSync(parseDir(p)) : []);

const LOCK = packageLock({
  deps: { a: '^1.0.0' },
  packages: { 'node_modules/a': { version: '1.0.0', deps: { b: '^1.0.0' } }, 'node_modules/b': { version: '1.0.0' } },
});

describe('parse cache', () => {
  it('answers a second check from the cache, and notices a changed lockfile', async () => {
    const p = project({ 'package.json': '{"name":"demo","version":"1.0.0"}', 'package-lock.json': LOCK });
    expect((await runVet(['init'], { cwd: p.dir })).code).toBe(0);
    const first = await runVet(['check', '--locked', '--output-format', 'json'], { cwd: p.dir });
    expect(first.code).toBe(0);
    expect(entries(p)).toHaveLength(1);
    const entry = path.join(parseDir(p), entries(p)[0]!);
    // Poison the cached graph: if the entry is used, the check reports the poisoned package.
    const poisoned = JSON.parse(readFileSync(entry, 'utf8')) as { graph: { nodes: { name: string }[] } };
    for (const n of poisoned.graph.nodes) if (n.name === 'b') n.name = 'from-the-cache';
    writeFileSync(entry, JSON.stringify(poisoned));
    const hit = await runVet(['check', '--locked', '--output-format', 'json'], { cwd: p.dir });
    expect(hit.code).toBe(1);
    expect(hit.stdout).toContain('from-the-cache');
    // The lockfile's bytes change (not its graph): the entry no longer answers.
    p.write('package-lock.json', `${LOCK} `);
    const miss = await runVet(['check', '--locked', '--output-format', 'json'], { cwd: p.dir });
    expect(miss.code).toBe(0);
    expect(miss.stdout).not.toContain('from-the-cache');
  });

  it('notices a change to another file the reader read (the root package.json)', async () => {
    const p = project({ 'package.json': '{"name":"demo","version":"1.0.0"}', 'package-lock.json': LOCK });
    await runVet(['init'], { cwd: p.dir });
    await runVet(['check', '--locked'], { cwd: p.dir });
    const entry = path.join(parseDir(p), entries(p)[0]!);
    const poisoned = readFileSync(entry, 'utf8').replace(/"name":"b"/g, '"name":"from-the-cache"');
    writeFileSync(entry, poisoned);
    p.write('package.json', '{"name":"demo","version":"1.0.1"}');
    const r = await runVet(['check', '--locked'], { cwd: p.dir });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('from-the-cache');
  });

  it('ignores a corrupt entry and replaces it', async () => {
    const p = project({ 'package.json': '{"name":"demo","version":"1.0.0"}', 'package-lock.json': LOCK });
    await runVet(['init'], { cwd: p.dir });
    const clean = await runVet(['check', '--locked'], { cwd: p.dir });
    const entry = path.join(parseDir(p), entries(p)[0]!);
    for (const junk of ['{"format":1,', '[]', '{"format":1,"key":"x","observations":[],"graph":{}}']) {
      writeFileSync(entry, junk);
      const r = await runVet(['check', '--locked'], { cwd: p.dir });
      expect(r).toEqual(clean);
      expect(JSON.parse(readFileSync(entry, 'utf8'))).toHaveProperty('graph.nodes');
    }
  });
});

describe('canonical-store marks', () => {
  it('lints a store again once its bytes change after a passing --locked check', async () => {
    const p = project({ 'package.json': '{"name":"demo","version":"1.0.0"}', 'package-lock.json': LOCK });
    await runVet(['init'], { cwd: p.dir });
    expect((await runVet(['check', '--locked'], { cwd: p.dir })).code).toBe(0);
    expect(readdirSync(path.join(p.dir, '.cache', 'vet', 'canonical'))).toHaveLength(1);
    // Same content, not canonical: a comment line at the top.
    p.write('supply-chain/config.toml', `# edited by hand\n${p.read('supply-chain/config.toml')}`);
    const r = await runVet(['check', '--locked'], { cwd: p.dir });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('config.toml');
    // A failing lint leaves no mark behind.
    expect(readdirSync(path.join(p.dir, '.cache', 'vet', 'canonical'))).toHaveLength(1);
  });
});

describe('a store that does not validate', () => {
  const canonicalDir = (p: TempProject) => path.join(p.dir, '.cache', 'vet', 'canonical');
  const marks = (p: TempProject) => (existsSync(canonicalDir(p)) ? readdirSync(canonicalDir(p)) : []);

  it('gets no mark, so every run names the file and line', async () => {
    const p = project({ 'package.json': '{"name":"demo","version":"1.0.0"}', 'package-lock.json': LOCK });
    await runVet(['init'], { cwd: p.dir });
    p.write(
      'supply-chain/config.toml',
      p.read('supply-chain/config.toml').replace('version = "1.0.0"', 'version = "01.0.0"'),
    );
    const first = await runVet(['check', '--locked'], { cwd: p.dir });
    expect(first.code).toBe(2);
    expect(first.stderr).toMatch(/config\.toml:\d+: exemption of `a`: not a semver version/);
    expect(marks(p)).toEqual([]);
    expect(await runVet(['check', '--locked'], { cwd: p.dir })).toEqual(first);
  });

  it('from a mark, is read again from its text and reported as a cold run reports it', async () => {
    const p = project({ 'package.json': '{"name":"demo","version":"1.0.0"}', 'package-lock.json': LOCK });
    await runVet(['init'], { cwd: p.dir });
    // Valid today; on an earlier day its end is more than 12 months away (a date-dependent rule).
    p.write(
      'supply-chain/audits.toml',
      `${p.read('supply-chain/audits.toml')}\n[[wildcard-audits.b]]\ncriteria = "safe-to-deploy"\nuser-login = "alice"\nstart = "2025-01-01"\nend = "2027-06-01"\n`,
    );
    await runVet(['fmt'], { cwd: p.dir });
    const now = ['--current-time', '2026-12-06T00:00:00Z'];
    const earlier = ['--current-time', '2026-01-01T00:00:00Z'];
    expect((await runVet(['check', '--locked', ...now], { cwd: p.dir })).stderr).not.toContain('wildcard audit');
    expect(marks(p)).toHaveLength(1);
    const fromMark = await runVet(['check', '--locked', ...earlier], { cwd: p.dir });
    expect(fromMark.code).toBe(2);
    expect(fromMark.stderr).toMatch(/audits\.toml:\d+: wildcard audit of `b` ends 2027-06-01/);
    rmSync(canonicalDir(p), { recursive: true });
    expect(await runVet(['check', '--locked', ...earlier], { cwd: p.dir })).toEqual(fromMark);
  });
});

describe('the parsed store in a canonical mark', () => {
  const markOf = (p: TempProject) => {
    const dir = path.join(p.dir, '.cache', 'vet', 'canonical');
    return path.join(dir, readdirSync(dir)[0]!);
  };

  it('answers a warm --locked check, and a mark without a usable store only skips the lint', async () => {
    const p = project({ 'package.json': '{"name":"demo","version":"1.0.0"}', 'package-lock.json': LOCK });
    await runVet(['init'], { cwd: p.dir });
    const clean = await runVet(['check', '--locked', '--output-format', 'json'], { cwd: p.dir });
    expect(clean.code).toBe(0);
    const mark = markOf(p);
    const kept = JSON.parse(readFileSync(mark, 'utf8')) as { store: { config: { exemptions: object } } };
    expect(kept.store.config.exemptions).toHaveProperty('b');
    // Poisoned: if the mark's store is used, b loses its exemption and the check fails.
    const poisoned = structuredClone(kept);
    delete (poisoned.store.config.exemptions as Record<string, unknown>)['b'];
    writeFileSync(mark, JSON.stringify(poisoned));
    const hit = await runVet(['check', '--locked', '--output-format', 'json'], { cwd: p.dir });
    expect(hit.code).toBe(1);
    for (const junk of ['', '{"store":', '{"store":{"config":1}}', '[]']) {
      writeFileSync(mark, junk);
      expect(await runVet(['check', '--locked', '--output-format', 'json'], { cwd: p.dir })).toEqual(clean);
    }
  });
});

const CORPUS = [
  ['npm', 'Kong__insomnia'],
  ['npm', 'withastro__astro'],
  ['cargo', 'bytecodealliance__wasmtime'],
  ['pypi', 'pydantic__pydantic'],
] as const;

describe.skipIf(!existsSync(path.join(SHARED, 'corpus')))('parse cache on the corpus', () => {
  it.each(CORPUS)(
    '%s/%s: a cached check prints the same bytes as an uncached one',
    async (eco, name) => {
      const p = project({});
      cpSync(path.join(SHARED, 'corpus', eco, name), p.dir, { recursive: true });
      rmSync(path.join(p.dir, 'supply-chain'), { recursive: true, force: true });
      expect((await runVet(['init'], { cwd: p.dir })).code).toBe(0);
      for (const format of ['human', 'json']) {
        const args = ['check', '--locked', '--output-format', format];
        rmSync(path.join(p.dir, '.cache'), { recursive: true, force: true });
        const cold = await runVet(args, { cwd: p.dir });
        // Cargo graphs too, read --locked: their crate facts come from caches read through traced-fs;
        // and a Cargo store's location, read from the root Cargo.toml.
        expect(entries(p)).toHaveLength(eco === 'cargo' ? 2 : 1);
        const warm = await runVet(args, { cwd: p.dir });
        expect(warm).toEqual(cold);
      }
    },
    120_000,
  );
});
