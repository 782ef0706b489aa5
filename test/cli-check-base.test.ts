/**
 * `vet check --base <git-ref>` on a git repository made here (two commits), and
 * `--base-lockfile <path>`: only what the change introduced is listed (a new version with
 * the delta audit from the version it replaces, a new package with a full audit, a removed
 * package), the exit code stays the full check's.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { packageLock, runVet, tempProject, type TempProject } from './helpers/project.js';

const projects: TempProject[] = [];
afterAll(() => projects.forEach((p) => p.cleanup()));

const lockOf = (deps: Record<string, string>): string =>
  packageLock({
    deps,
    packages: Object.fromEntries(Object.entries(deps).map(([n, v]) => [`node_modules/${n}`, { version: v }])),
  });

function git(p: TempProject, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.test', ...args], {
    cwd: p.dir,
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '', GIT_CONFIG_NOSYSTEM: '1', HOME: p.dir },
  });
}

/** Commit 1: left-pad 1.3.0, old-dep 1.0.0, both exempted. Commit 2: left-pad 1.4.0, new-dep 2.0.0. */
async function repo(): Promise<TempProject> {
  const p = tempProject({
    'package.json': '{"name":"demo","version":"1.0.0"}\n',
    'package-lock.json': lockOf({ 'left-pad': '1.3.0', 'old-dep': '1.0.0', stable: '3.0.0' }),
    '.gitignore': '.home\n.cache\n',
  });
  projects.push(p);
  expect((await runVet(['init'], { cwd: p.dir })).code).toBe(0);
  git(p, 'init', '-q', '-b', 'main');
  git(p, 'add', '-A');
  git(p, 'commit', '-q', '-m', 'base');
  p.write('package-lock.json', lockOf({ 'left-pad': '1.4.0', 'new-dep': '2.0.0', stable: '3.0.0' }));
  git(p, 'commit', '-q', '-am', 'renovate: update left-pad, add new-dep');
  return p;
}

const HUMAN = `Vetting Failed!

Changes since main~1: 1 new package(s), 1 new version(s), 1 removed
  ~ left-pad:1.3.0 -> 1.4.0  unvetted
      audit: vet diff left-pad 1.3.0 1.4.0 --stat
  + new-dep:2.0.0  unvetted
      audit: vet inspect new-dep 2.0.0
      risk: new package (not in the base)
  - old-dep:1.0.0 removed
`;

describe('vet check --base', () => {
  it('lists exactly the changed packages between two commits; exit 1 as the full check', async () => {
    const p = await repo();
    const r = await runVet(['check', '--locked', '--base', 'main~1'], { cwd: p.dir });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(HUMAN);
    expect(r.code).toBe(1);
    expect((await runVet(['check', '--locked'], { cwd: p.dir })).code).toBe(1);
  });

  it('the same commit as base: nothing changed, the headline still the verdict', async () => {
    const p = await repo();
    const r = await runVet(['check', '--locked', '--base', 'HEAD'], { cwd: p.dir });
    expect(r.stdout).toBe(
      'Vetting Failed!\n\nChanges since HEAD: 0 new package(s), 0 new version(s), 0 removed\n\n' +
        '2 failing package(s) were not touched by this change; `vet check` lists them.\n',
    );
    expect(r.code).toBe(1);
  });

  it('--base-lockfile: the same view from a file; JSON carries it under pull_request', async () => {
    const p = await repo();
    p.write('base-lock.json', git(p, 'show', 'main~1:package-lock.json'));
    const r = await runVet(['check', '--locked', '--base-lockfile', 'base-lock.json'], { cwd: p.dir });
    expect(r.stdout).toBe(HUMAN.replace('main~1', 'base-lock.json'));
    const json = await runVet(['check', '--locked', '--base', 'main~1', '--output-format', 'json'], { cwd: p.dir });
    const doc = JSON.parse(json.stdout) as {
      conclusion: string;
      pull_request: { changes: { change: string; name: string; version: string }[] };
    };
    expect(doc.conclusion).toBe('fail (vetting)');
    expect(doc.pull_request.changes.map((c) => `${c.change} ${c.name}@${c.version}`)).toEqual([
      'new-version left-pad@1.4.0',
      'new-package new-dep@2.0.0',
      'removed old-dep@1.0.0',
    ]);
    expect(json.code).toBe(1);
  });

  it('markdown is the PR comment; github annotates and puts the view in the job summary', async () => {
    const p = await repo();
    const md = await runVet(['check', '--locked', '--base', 'main~1', '--output-format', 'markdown'], { cwd: p.dir });
    expect(md.stdout).toContain('Changes since `main~1`: 1 new package(s), 1 new version(s), 1 removed');
    expect(md.stdout).toContain('  - audit: `vet diff left-pad 1.3.0 1.4.0 --stat`');
    const gh = await runVet(['check', '--locked', '--base', 'main~1', '--output-format', 'github'], {
      cwd: p.dir,
      env: { GITHUB_STEP_SUMMARY: `${p.dir}/summary.md` },
    });
    expect(gh.stdout.split('\n').filter((l) => l.startsWith('::error '))).toHaveLength(2);
    expect(p.read('summary.md')).toContain('- ➖ `old-dep` `1.0.0` removed');
    expect(gh.code).toBe(1);
  });

  it('an unknown ref is bad input (exit 2) with a hint, never a stack trace', async () => {
    const p = await repo();
    const r = await runVet(['check', '--locked', '--base', 'no-such-ref'], { cwd: p.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/git show no-such-ref:\.\/package-lock\.json failed/);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
  });
});

describe('vet check --base on requirements files with -r includes', () => {
  const H = (c: string) => c.repeat(64);
  /** Commit 1: requirements.txt includes common/base.txt (attrs 23.1.0). Commit 2: the include moves attrs to 23.2.0. */
  async function reqRepo(): Promise<TempProject> {
    const p = tempProject({
      'requirements.txt': `-r common/base.txt\nflask==3.0.0 --hash=sha256:${H('a')}\n`,
      'common/base.txt': `attrs==23.1.0 --hash=sha256:${H('b')}\n`,
      '.gitignore': '.home\n.cache\n',
    });
    projects.push(p);
    expect((await runVet(['init'], { cwd: p.dir })).code).toBe(0);
    git(p, 'init', '-q', '-b', 'main');
    git(p, 'add', '-A');
    git(p, 'commit', '-q', '-m', 'base');
    p.write('common/base.txt', `attrs==23.2.0 --hash=sha256:${H('c')}\n`);
    git(p, 'commit', '-q', '-am', 'bump attrs in the included file');
    return p;
  }

  it('reads the included files as they were at the base ref', async () => {
    const p = await reqRepo();
    const r = await runVet(['check', '--locked', '--base', 'main~1', '--output-format', 'json'], { cwd: p.dir });
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout) as {
      pull_request: { changes: { change: string; name: string; version: string }[] };
    };
    expect(doc.pull_request.changes.map((c) => `${c.change} ${c.name}@${c.version}`)).toEqual([
      'new-version attrs@23.2.0',
    ]);
    expect(r.code).toBe(1);
  });

  it('--base-lockfile reads its includes beside it', async () => {
    const p = await reqRepo();
    p.write('old/requirements.txt', `-r base.txt\nflask==3.0.0 --hash=sha256:${H('a')}\n`);
    p.write('old/base.txt', `attrs==23.1.0 --hash=sha256:${H('b')}\n`);
    const r = await runVet(
      ['check', '--locked', '--base-lockfile', 'old/requirements.txt', '--output-format', 'json'],
      {
        cwd: p.dir,
      },
    );
    const doc = JSON.parse(r.stdout) as {
      pull_request: { changes: { change: string; name: string; version: string }[] };
    };
    expect(doc.pull_request.changes.map((c) => `${c.change} ${c.name}@${c.version}`)).toEqual([
      'new-version attrs@23.2.0',
    ]);
  });
});
