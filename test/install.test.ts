/**
 * A newcomer puts `vet` on the PATH from a checkout with one command (README, "Use it on your
 * project"): scripts/install.sh installs the bundle into a prefix; the installed `vet` then
 * runs from anywhere, with no access to this repository's node_modules.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageLock, REPO_ROOT, tempProject } from './helpers/project.js';

const prefix = mkdtempSync(path.join(os.tmpdir(), 'vet-prefix-'));
afterAll(() => rmSync(prefix, { recursive: true, force: true }));

function installedVet(args: string[], cwd: string) {
  const r = spawnSync('vet', args, {
    cwd,
    encoding: 'utf8',
    env: {
      PATH: `${path.join(prefix, 'bin')}:${path.dirname(process.execPath)}:/usr/bin:/bin`,
      HOME: path.join(cwd, '.home'),
      XDG_CACHE_HOME: path.join(cwd, '.cache'),
    },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('scripts/install.sh', () => {
  it('installs vet into a prefix; vet --version, init and check work on a tiny project', () => {
    // The bundle is built by `pnpm test` just before vitest: install it as it is.
    const out = execFileSync('bash', [path.join(REPO_ROOT, 'scripts/install.sh'), '--no-build', prefix], {
      encoding: 'utf8',
    });
    expect(out).toContain(`as ${path.join(prefix, 'bin/vet')}`);
    expect(existsSync(path.join(prefix, 'lib/vet/bin.js'))).toBe(true);
    // A copy, not a link into the checkout: it keeps working when the checkout moves.
    expect(existsSync(path.join(prefix, 'lib/vet/package.json'))).toBe(true);

    const p = tempProject({
      'package.json': '{"name":"tiny","version":"1.0.0"}\n',
      'package-lock.json': packageLock({
        name: 'tiny',
        deps: { 'left-pad': '^1.3.0' },
        packages: { 'node_modules/left-pad': { version: '1.3.0' } },
      }),
    });
    try {
      const version = installedVet(['--version'], p.dir);
      expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
      expect(version.code).toBe(0);
      expect(installedVet(['init'], p.dir).code).toBe(0);
      const check = installedVet(['check', '--locked'], p.dir);
      expect(check.stdout).toBe('Vetting Succeeded (1 exempted)\n');
      expect(check.code).toBe(0);
    } finally {
      p.cleanup();
    }
  });

  it('refuses an unknown option', () => {
    const r = spawnSync('bash', [path.join(REPO_ROOT, 'scripts/install.sh'), '--bogus'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown option --bogus');
  });
});
