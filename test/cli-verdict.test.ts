/**
 * One verdict through the built binary: what the terminal shows, the JSON conclusion and the
 * exit code come from one report. A package name from the lockfile is data: its escape
 * sequences are shown, never run (asserted on the raw bytes of stdout and stderr).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { packageLock, runVet, tempProject, type TempProject } from './helpers/project.js';

const projects: TempProject[] = [];

const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/;
afterAll(() => projects.forEach((p) => p.cleanup()));

// Erase the line, go up one, print a success headline, retitle the window.
const EVIL = '\u001b[2K\r\u001b[1A\u001b[32mVetting Succeeded (7 exempted)\u001b[0m\u001b]0;ok\u0007\u202e';

function project(packages: Record<string, { version: string; deprecated?: string }>): TempProject {
  const lock = JSON.parse(
    packageLock({
      deps: Object.fromEntries(Object.entries(packages).map(([n, e]) => [n, e.version])),
      packages: Object.fromEntries(
        Object.entries(packages).map(([n, e]) => [`node_modules/${n}`, { version: e.version }]),
      ),
    }),
  ) as { packages: Record<string, Record<string, unknown>> };
  for (const [n, e] of Object.entries(packages))
    if (e.deprecated) lock.packages[`node_modules/${n}`]!['deprecated'] = e.deprecated;
  const p = tempProject({
    'package.json': '{"name":"demo","version":"1.0.0"}\n',
    'package-lock.json': JSON.stringify(lock, null, 2),
  });
  projects.push(p);
  return p;
}

describe('strings from the lockfile are data', () => {
  it('a package name with ANSI sequences cannot draw "Vetting Succeeded" over a failing run', async () => {
    const p = project({ 'left-pad': { version: '1.3.0' } });
    expect((await runVet(['init'], { cwd: p.dir })).code).toBe(0);
    const grown = project({ 'left-pad': { version: '1.3.0' }, [`evil${EVIL}`]: { version: '1.0.0' } });
    p.write('package-lock.json', grown.read('package-lock.json'));
    const r = await runVet(['check', '--locked'], { cwd: p.dir });
    expect(r.code).toBe(1);
    for (const out of [r.stdout, r.stderr]) expect(out).not.toMatch(RAW_CONTROL);
    expect(r.stdout.split('\n')[0]).toBe('Vetting Failed!');
    expect(r.stdout).toContain(
      'evil\\x1b[2K\\r\\x1b[1A\\x1b[32mVetting Succeeded (7 exempted)\\x1b[0m\\x1b]0;ok\\x07\\u{202e}:1.0.0 missing',
    );
    const json = await runVet(['check', '--locked', '--output-format', 'json'], { cwd: p.dir });
    expect(json.stdout).not.toMatch(RAW_CONTROL);
    const doc = JSON.parse(json.stdout) as { conclusion: string; failures: { name: string }[] };
    expect(doc.conclusion).toBe('fail (vetting)');
    // JSON keeps the exact name: the escapes are JSON's own.
    expect(doc.failures.map((f) => f.name)).toContain(`evil${EVIL}`);
  });
});

describe('[vet] deny-deprecated', () => {
  it('a deprecated version fails: exit 1, "fail (deprecated)", never "Vetting Succeeded"', async () => {
    const p = project({ request: { version: '2.88.2', deprecated: 'request has been deprecated' } });
    expect((await runVet(['init'], { cwd: p.dir })).code).toBe(0);
    const warn = await runVet(['check', '--locked'], { cwd: p.dir });
    expect(warn.stdout).toMatch(/^Vetting Succeeded \(1 exempted\)\n[^]*warning: 1 deprecated/);
    expect(warn.code).toBe(0);
    p.write(
      'supply-chain/config.toml',
      p.read('supply-chain/config.toml').replace('[vet]\n', '[vet]\ndeny-deprecated = true\n'),
    );
    expect((await runVet(['fmt'], { cwd: p.dir })).code).toBe(0);
    const r = await runVet(['check', '--locked'], { cwd: p.dir });
    expect(r.stdout).toMatch(/^Vetting Failed! \(deprecated\)\n/);
    expect(r.stdout).toContain('request:2.88.2: request has been deprecated');
    expect(r.code).toBe(1);
    const json = await runVet(['check', '--locked', '--output-format', 'json'], { cwd: p.dir });
    expect(JSON.parse(json.stdout)).toMatchObject({
      conclusion: 'fail (deprecated)',
      deprecated: [{ name: 'request', version: '2.88.2', message: 'request has been deprecated' }],
    });
    expect(json.code).toBe(1);
  });
});

describe('a lockfile entry nothing depends on ("extraneous": true)', () => {
  it('npm installs it and runs its scripts: it needs safe-to-run and is never counted as audited when nothing audits it', async () => {
    const lock = JSON.parse(
      packageLock({ deps: { 'left-pad': '1.3.0' }, packages: { 'node_modules/left-pad': { version: '1.3.0' } } }),
    ) as { packages: Record<string, Record<string, unknown>> };
    lock.packages['node_modules/orphan'] = { version: '1.0.0', integrity: 'sha512-b3JwaGFu', extraneous: true };
    const p = tempProject({
      'package.json': '{"name":"demo","version":"1.0.0"}\n',
      'package-lock.json': JSON.stringify(lock, null, 2),
    });
    projects.push(p);
    p.write(
      'supply-chain/config.toml',
      '\n# cargo-vet config file\n\n[cargo-vet]\nversion = "0.10"\n\n[vet]\necosystem = "npm"\n\n[[exemptions.left-pad]]\nversion = "1.3.0"\ncriteria = "safe-to-deploy"\n',
    );
    p.write('supply-chain/audits.toml', '\n# cargo-vet audits file\n\n[audits]\n');
    const r = await runVet(['check', '--locked'], { cwd: p.dir });
    expect(r.stdout).toContain('orphan:1.0.0 missing ["safe-to-run"]');
    expect(r.stdout).not.toContain('fully audited');
    expect(r.code).toBe(1);
    // init exempts it for what it needs; then nothing is "fully audited".
    const fresh = tempProject({
      'package.json': '{"name":"demo","version":"1.0.0"}\n',
      'package-lock.json': JSON.stringify(lock, null, 2),
    });
    projects.push(fresh);
    expect((await runVet(['init'], { cwd: fresh.dir })).code).toBe(0);
    expect(fresh.read('supply-chain/config.toml')).toContain(
      '[[exemptions.orphan]]\nversion = "1.0.0"\ncriteria = "safe-to-run"\n',
    );
    const ok = await runVet(['check', '--locked', '--output-format', 'json'], { cwd: fresh.dir });
    expect(JSON.parse(ok.stdout)).toMatchObject({ conclusion: 'success', vetted_fully: [] });
    expect(ok.code).toBe(0);
  });
});
