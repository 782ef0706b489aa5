/**
 * End to end: the ordinary mistakes of a new user (issue 10, "Against the real npm registry" and
 * "Smaller, all seen") get a clear one-line error with a stable code and exit 2, never an
 * internal error with a stack trace; the help, the suggestions and the idempotent commands
 * behave as a user expects.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { VET_BIN, packageLock, runVet, tempProject, type TempProject } from './helpers/project.js';

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

function initialised(): Promise<TempProject> {
  project = tempProject({
    'package.json': '{"name":"demo","version":"1.0.0"}\n',
    'package-lock.json': packageLock({
      deps: { 'left-pad': '^1.3.0' },
      packages: { 'node_modules/left-pad': { version: '1.3.0' } },
    }),
  });
  const p = project;
  return runVet(['init'], { cwd: p.dir }).then((r) => {
    expect(r.code).toBe(0);
    return p;
  });
}

async function jsonError(args: string[], cwd: string): Promise<{ code: number; error: Record<string, unknown> }> {
  const r = await runVet(['--output-format', 'json', ...args], { cwd });
  expect(r.stderr).not.toContain('internal error');
  const body = JSON.parse(r.stdout) as { error: Record<string, unknown> };
  return { code: r.code, error: body.error };
}

describe('path mistakes are bad input (exit 2), never an internal error', () => {
  it('--output-file in a missing directory, or naming a directory', async () => {
    const p = await initialised();
    mkdirSync(path.join(p.dir, 'adir'));
    for (const target of ['/nonexistent/dir/r.json', 'adir']) {
      const r = await runVet(['--locked', '--output-file', target, 'check'], { cwd: p.dir });
      expect(r.code).toBe(2);
      expect(r.stderr).not.toContain('internal error');
      expect(r.stderr.split('\n')[0]).toContain(path.basename(target));
    }
  });

  it('--cache-dir naming a file', async () => {
    const p = await initialised();
    writeFileSync(path.join(p.dir, 'afile'), '');
    const r = await runVet(['--cache-dir', 'afile', 'check'], { cwd: p.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: --cache-dir .*afile is not a directory\n/);
    const j = await jsonError(['--cache-dir', 'afile', 'check'], p.dir);
    expect(j.error['code']).toBe('IO_ERROR');
  });

  it('init into a --store-path that is a file, or under one (EEXIST, ENOTDIR)', async () => {
    const p = await initialised();
    writeFileSync(path.join(p.dir, 'afile'), '');
    for (const store of ['afile', 'afile/sub']) {
      const r = await runVet(['--store-path', store, 'init'], { cwd: p.dir });
      expect(r.code).toBe(2);
      expect(r.stderr).not.toContain('internal error');
      expect(r.stderr).toContain(path.join(p.dir, store));
      expect((await jsonError(['--store-path', store, 'init'], p.dir)).error['code']).toBe('IO_ERROR');
    }
  });

  it('a store file that is a directory (EISDIR) is named', async () => {
    const p = await initialised();
    p.write('st/config.toml', '');
    p.write('st/audits.toml', '');
    mkdirSync(path.join(p.dir, 'st/imports.lock'));
    const r = await runVet(['--store-path', 'st', 'check'], { cwd: p.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`cannot read ${path.join(p.dir, 'st/imports.lock')}: it is a directory (EISDIR)`);
  });
});

describe('--current-time', () => {
  it('a bad value errors in both forms; a good one is used', async () => {
    const p = await initialised();
    for (const args of [['--current-time', 'garbage'], ['--current-time=garbage'], ['check', '--current-time']]) {
      const r = await runVet(['--locked', ...args], { cwd: p.dir });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^error: --current-time/);
    }
    const ok = await runVet(['--locked', '--current-time', '2030-01-01T00:00:00Z', 'check'], { cwd: p.dir });
    expect(ok.code).toBe(0);
  });
});

describe('certify and record-violation need a who', () => {
  it('with no --who and no git identity they refuse, saying how to set one, and write nothing', async () => {
    const p = await initialised();
    const before = p.read('supply-chain/audits.toml');
    for (const args of [
      ['certify', 'left-pad', '1.3.0', '--accept-all', '--criteria', 'safe-to-deploy'],
      ['record-violation', 'left-pad', '<1.0.0'],
    ]) {
      const r = await runVet(args, { cwd: p.dir });
      expect(r.code, args[0]).toBe(2);
      expect(r.stderr).toContain('needs to know who you are');
      expect(r.stderr).toContain('--who');
      expect(r.stderr).toContain('git config --global user.name');
    }
    expect(p.read('supply-chain/audits.toml')).toBe(before);
  });

  it('git identity is used when there is one', async () => {
    const p = await initialised();
    p.write('.home/.gitconfig', '[user]\n\tname = Alice\n\temail = alice@example.com\n');
    const r = await runVet(['certify', 'left-pad', '1.3.0', '--accept-all', '--criteria', 'safe-to-deploy'], {
      cwd: p.dir,
    });
    expect(r.code).toBe(0);
    expect(p.read('supply-chain/audits.toml')).toContain('who = "Alice <alice@example.com>"');
  });
});

describe('add-exemption is idempotent', () => {
  it('an identical exemption is not added twice; exit 0 says it exists', async () => {
    const p = await initialised(); // init exempted left-pad 1.3.0 for safe-to-deploy
    const before = p.read('supply-chain/config.toml');
    for (let i = 0; i < 2; i++) {
      const r = await runVet(['add-exemption', 'left-pad', '1.3.0'], { cwd: p.dir });
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('left-pad:1.3.0 is already exempted for safe-to-deploy; nothing changed.\n');
    }
    expect(p.read('supply-chain/config.toml')).toBe(before);
    // Other criteria make a different exemption (added once, then idempotent too).
    const other = await runVet(['add-exemption', 'left-pad', '1.3.0', '--criteria', 'safe-to-run'], { cwd: p.dir });
    expect(other.code).toBe(0);
    expect(p.read('supply-chain/config.toml').match(/\[\[exemptions\.left-pad\]\]/g)).toHaveLength(2);
    const again = await runVet(['add-exemption', 'left-pad', '1.3.0', '--criteria', 'safe-to-run'], { cwd: p.dir });
    expect(again.stderr).toContain('already exempted');
    expect(p.read('supply-chain/config.toml').match(/\[\[exemptions\.left-pad\]\]/g)).toHaveLength(2);
  });
});

describe('run from a subdirectory, vet finds the project upward (as npm and cargo do)', () => {
  it('check, why and init in a subdirectory use the nearest lockfile above and say where', async () => {
    const p = await initialised();
    mkdirSync(path.join(p.dir, 'src/deep'), { recursive: true });
    const cwd = path.join(p.dir, 'src/deep');
    const check = await runVet(['--locked', 'check'], { cwd });
    expect(check.code).toBe(0);
    expect(check.stdout).toBe('Vetting Succeeded (1 exempted)\n');
    expect(check.stderr).toBe(`Using the project in ${p.dir}\n`);
    const why = await runVet(['why', 'left-pad'], { cwd });
    expect(why.code).toBe(0);
    expect(why.stdout).toContain('left-pad');
  });

  it('stops at the repository root: a lockfile above it is not this project', async () => {
    project = tempProject({
      'package-lock.json': packageLock({ packages: { 'node_modules/a': { version: '1.0.0' } } }),
      'repo/.git/HEAD': 'ref: refs/heads/main\n',
      'repo/src/.keep': '',
    });
    const r = await runVet(['--locked', 'check'], { cwd: path.join(project.dir, 'repo/src') });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `no lockfile found in ${path.join(project.dir, 'repo/src')} or its parents up to the repository root ${path.join(project.dir, 'repo')}`,
    );
  });
});

describe('output that cannot be written', () => {
  it('a reader that closes the pipe early ends vet quietly, without a stack trace', async () => {
    const p = await initialised();
    // The read end is closed before vet (still starting) writes a byte: its write gets EPIPE.
    const child = spawn(process.execPath, [VET_BIN, 'check', '--locked', '--output-format', 'json'], {
      cwd: p.dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((r) => child.once('close', r));
    expect(stderr).not.toMatch(/EPIPE|at .*\(|node:internal/);
    expect(code).toBe(0);
  });

  it.skipIf(!existsSync('/dev/full'))('a full device is one IO_ERROR line and exit 2, not a stack trace', async () => {
    const p = await initialised();
    const r = spawnSync(
      'sh',
      ['-c', `"${process.execPath}" "${VET_BIN}" check --locked --output-format json > /dev/full`],
      { cwd: p.dir, encoding: 'utf8' },
    );
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe('error[IO_ERROR]: could not write the output: ENOSPC');
  });
});
