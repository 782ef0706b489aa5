/**
 * End to end: the built `vet` binary in temp npm projects, from `init` to `certify`.
 * These pin what users see: exit codes, the failure report, the JSON shape, and that a
 * bad store or lockfile is refused with file and line, writing nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { packageLock, runVet, tempProject, type TempProject } from './helpers/project.js';

const WHO = ['--who', 'Alice Auditor <alice@example.com>'];

function demo(leftPad = '1.3.0'): string {
  return packageLock({
    deps: { 'left-pad': '^1.3.0', '@scope/util': '^2.0.0' },
    devDeps: { 'tiny-test': '^2.0.0' },
    packages: {
      'node_modules/left-pad': { version: leftPad },
      'node_modules/@scope/util': { version: '2.1.0', deps: { 'left-pad': '^1.3.0' } },
      'node_modules/tiny-test': { version: '2.0.0', dev: true, deps: { ansi: '^1.0.0' } },
      'node_modules/ansi': { version: '1.0.1', dev: true },
    },
  });
}

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

function setup(): TempProject {
  project = tempProject({ 'package.json': '{"name":"demo","version":"1.0.0"}\n', 'package-lock.json': demo() });
  return project;
}

describe('vet init → check → certify', () => {
  it('init exempts every package with the criteria it needs; check then passes', async () => {
    const p = setup();
    const init = await runVet(['init'], { cwd: p.dir });
    expect(init.stderr).toContain('with 4 exemptions');
    expect(init.code).toBe(0);
    const config = p.read('supply-chain/config.toml');
    expect(config).toContain('[vet]\necosystem = "npm"');
    expect(config).toMatch(/\[\[exemptions\."@scope\/util"\]\]\nversion = "2\.1\.0"\ncriteria = "safe-to-deploy"/);
    expect(config).toMatch(/\[\[exemptions\.ansi\]\]\nversion = "1\.0\.1"\ncriteria = "safe-to-run"/);
    expect(p.read('supply-chain/audits.toml')).toContain('[audits]');
    const check = await runVet(['check'], { cwd: p.dir });
    expect(check.stdout).toContain('Vetting Succeeded (4 exempted)');
    expect(check.code).toBe(0);
  });

  it('a new version fails check with the missing criteria and the next command; certify fixes it', async () => {
    const p = setup();
    expect((await runVet(['init'], { cwd: p.dir })).code).toBe(0);
    p.write('package-lock.json', demo('1.3.1'));
    const failed = await runVet(['check'], { cwd: p.dir });
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('Vetting Failed!');
    expect(failed.stdout).toContain('1 unvetted dependencies:\n  left-pad:1.3.1 missing ["safe-to-deploy"]');
    expect(failed.stdout).toContain('vet diff left-pad 1.3.0 1.3.1');
    expect(failed.stdout).toContain('vet certify left-pad 1.3.0 1.3.1 --criteria safe-to-deploy');

    const certify = await runVet(
      ['certify', 'left-pad', '1.3.0', '1.3.1', '--accept-all', ...WHO, '--notes', 'whitespace only'],
      { cwd: p.dir },
    );
    expect(certify.stderr).toBe(
      'Recorded a delta audit of the changes of left-pad from 1.3.0 to 1.3.1 for safe-to-deploy.\n',
    );
    expect(certify.code).toBe(0);
    expect(p.read('supply-chain/audits.toml')).toContain(
      '[[audits.left-pad]]\nwho = "Alice Auditor <alice@example.com>"\ncriteria = "safe-to-deploy"\ndelta = "1.3.0 -> 1.3.1"\nnotes = "whitespace only"\n',
    );
    const passed = await runVet(['check'], { cwd: p.dir });
    expect(passed.stdout).toContain('Vetting Succeeded (1 partially audited, 3 exempted)');
    expect(passed.code).toBe(0);
  });

  it('a full audit replaces the exemption, which certify prunes', async () => {
    const p = setup();
    await runVet(['init'], { cwd: p.dir });
    const r = await runVet(['certify', 'ansi', '1.0.1', '--criteria', 'safe-to-run', '--accept-all', ...WHO], {
      cwd: p.dir,
    });
    expect(r.code).toBe(0);
    expect(p.read('supply-chain/config.toml')).not.toContain('exemptions.ansi');
    const check = await runVet(['check', '--output-format', 'json'], { cwd: p.dir });
    expect(check.code).toBe(0);
    const body = JSON.parse(check.stdout) as Record<string, unknown>;
    expect(body['conclusion']).toBe('success');
    expect(body['vetted_fully']).toEqual([{ name: 'ansi', version: '1.0.1' }]);
  });

  it('certify without --accept-all and without a terminal refuses and records nothing', async () => {
    const p = setup();
    await runVet(['init'], { cwd: p.dir });
    const before = p.read('supply-chain/audits.toml');
    const r = await runVet(['certify', 'ansi', '1.0.1', ...WHO], { cwd: p.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('pass --accept-all');
    expect(p.read('supply-chain/audits.toml')).toBe(before);
  });

  it("json failure report has cargo-vet's shape", async () => {
    const p = setup();
    await runVet(['init'], { cwd: p.dir });
    p.write('package-lock.json', demo('1.4.0'));
    const r = await runVet(['check', '--locked', '--output-format', 'json'], { cwd: p.dir });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({
      conclusion: 'fail (vetting)',
      failures: [{ name: 'left-pad', version: '1.4.0', missing_criteria: ['safe-to-deploy'] }],
      suggest: null,
    });
  });

  it('record-violation makes check fail with the violation', async () => {
    const p = setup();
    await runVet(['init'], { cwd: p.dir });
    const r = await runVet(
      ['record-violation', 'ansi', '>=1.0.0 <1.1.0', '--criteria', 'safe-to-run', ...WHO, '--notes', 'mines coins'],
      { cwd: p.dir },
    );
    expect(r.code).toBe(0);
    const check = await runVet(['check'], { cwd: p.dir });
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('Violations Found!');
    expect(check.stdout).toContain('ansi:1.0.1');
  });

  it('regenerate exemptions accepts an update with the fewest exemptions and drops stale ones', async () => {
    const p = setup();
    await runVet(['init'], { cwd: p.dir });
    p.write('package-lock.json', demo('1.3.1'));
    const r = await runVet(['regenerate', 'exemptions'], { cwd: p.dir });
    expect(r.stderr).toBe('Exempted 1 failing package version; removed 1 unneeded exemption.\n');
    expect(r.code).toBe(0);
    const config = p.read('supply-chain/config.toml');
    expect(config).toContain('[[exemptions.left-pad]]\nversion = "1.3.1"\ncriteria = "safe-to-deploy"\n');
    expect(config).not.toContain('version = "1.3.0"');
    expect((await runVet(['check', '--locked'], { cwd: p.dir })).code).toBe(0);
  });

  it('why lists every chain to a package', async () => {
    const p = setup();
    const r = await runVet(['why', 'left-pad'], { cwd: p.dir });
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').sort()).toEqual([
      'demo -> @scope/util@2.1.0 -> left-pad@1.3.0',
      'demo -> left-pad@1.3.0',
    ]);
  });
});

describe('--locked lints the store, as cargo vet --locked does', () => {
  it('a store that is not in canonical form fails --locked (exit 2, pointing at vet fmt); vet fmt fixes it', async () => {
    const p = setup();
    await runVet(['init'], { cwd: p.dir });
    // Hand edits: exemptions out of order and a stray blank line. Unlocked check accepts it.
    const config = p.read('supply-chain/config.toml');
    p.write(
      'supply-chain/config.toml',
      config.replace(
        '[[exemptions.ansi]]',
        '\n[[exemptions.zzz-unsorted]]\nversion = "1.0.0"\ncriteria = "safe-to-run"\n\n[[exemptions.ansi]]',
      ),
    );
    expect((await runVet(['check'], { cwd: p.dir })).code).toBe(0);
    const locked = await runVet(['check', '--locked', '--output-format', 'json'], { cwd: p.dir });
    expect(locked.code).toBe(2);
    const err = JSON.parse(locked.stdout).error;
    expect(err.code).toBe('STORE_NOT_CANONICAL');
    expect(err.hint).toContain('vet fmt');
    expect(err.problems[0].file).toMatch(/config\.toml$/);
    expect((await runVet(['fmt'], { cwd: p.dir })).code).toBe(0);
    expect((await runVet(['check', '--locked'], { cwd: p.dir })).code).toBe(0);
  });

  it('an import that imports.lock knows nothing about fails --locked', async () => {
    const p = setup();
    await runVet(['init'], { cwd: p.dir });
    p.write(
      'supply-chain/config.toml',
      p.read('supply-chain/config.toml') + '\n[imports.peer]\nurl = "https://peer.example/audits.toml"\n',
    );
    expect((await runVet(['fmt'], { cwd: p.dir })).code).toBe(0);
    const r = await runVet(['check', '--locked'], { cwd: p.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("imports.lock is out of date: it has nothing for import 'peer'");
  });
});

describe('content binding', () => {
  it('a notary approval for other bytes fails check naming both digests, even when an exemption vets the package', async () => {
    const p = setup();
    await runVet(['init'], { cwd: p.dir });
    const sri = JSON.parse(p.read('package-lock.json')).packages['node_modules/left-pad'].integrity as string;
    p.write(
      'supply-chain/config.toml',
      p.read('supply-chain/config.toml') +
        '\n[imports.acme]\nurl = []\n\n[imports.acme.notary]\nurl = "http://127.0.0.1:9"\nkey = "notary.test/vet/log+7bd1a3bb+AbYitouqg1ATtYX/lps9WcVJBbn9Xvzxpm+owTvKXho0"\n',
    );
    p.write(
      'supply-chain/imports.lock',
      '\n# cargo-vet imports lock\n\n[[audits.acme.audits.left-pad]]\nwho = "Mallory"\ncriteria = "safe-to-deploy"\nversion = "1.3.0"\ndigests = { "1.3.0" = "sha512-BBBB" }\n',
    );
    expect((await runVet(['fmt'], { cwd: p.dir })).code).toBe(0);
    const r = await runVet(['check', '--locked'], { cwd: p.dir });
    expect(r.stdout).toContain(
      `error (security): notary 'acme' approved left-pad:1.3.0 with digest sha512-BBBB,\n  but the lockfile has ${sri}; the approval is not used.`,
    );
    // Once printed "Vetting Succeeded (1 exempted)" (and "conclusion": "success") above the error.
    expect(r.stdout).toMatch(/^Vetting Failed! \(digest mismatch\)\n/);
    expect(r.code).toBe(1);
    const json = await runVet(['check', '--locked', '--output-format', 'json'], { cwd: p.dir });
    expect((JSON.parse(json.stdout) as { conclusion: string }).conclusion).toBe('fail (digest mismatch)');
    expect(JSON.parse(json.stdout).digest_mismatches).toEqual([
      expect.objectContaining({ importName: 'acme', approved: 'sha512-BBBB', lockfile: [sri] }),
    ]);
  });
});

describe('bad input', () => {
  it('malformed audits.toml: file and line, exit 2, nothing written, no stack trace', async () => {
    const p = setup();
    await runVet(['init'], { cwd: p.dir });
    p.write(
      'supply-chain/audits.toml',
      '\n# cargo-vet audits file\n\n[audits]\n\n[[audits.left-pad]]\ncriteria = "safe-to-deploy\n',
    );
    const config = p.read('supply-chain/config.toml');
    const r = await runVet(['certify', 'ansi', '1.0.1', '--criteria', 'safe-to-run', '--accept-all', ...WHO], {
      cwd: p.dir,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/audits\.toml:7/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(p.read('supply-chain/config.toml')).toBe(config);
  });

  it('malformed lockfile: file and line, exit 2', async () => {
    const p = setup();
    await runVet(['init'], { cwd: p.dir });
    p.write('package-lock.json', '{\n  "lockfileVersion": 3,\n  "packages": {\n    "": {,\n  }\n}\n');
    const r = await runVet(['check'], { cwd: p.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/package-lock\.json:4/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('unknown criteria in an audit is reported with its line', async () => {
    const p = setup();
    await runVet(['init'], { cwd: p.dir });
    p.write(
      'supply-chain/audits.toml',
      '\n# cargo-vet audits file\n\n[[audits.left-pad]]\ncriteria = "safe-to-dance"\nversion = "1.3.0"\n',
    );
    const r = await runVet(['check'], { cwd: p.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('safe-to-dance');
    expect(r.stderr).toMatch(/audits\.toml:\d+/);
  });

  it('errors in JSON mode are a JSON object on stdout, whichever way the flag is spelled', async () => {
    const p = setup();
    for (const flag of [['--output-format', 'json'], ['--output-format=json']]) {
      const r = await runVet(['check', ...flag], { cwd: p.dir });
      expect(r.code).toBe(2);
      expect(JSON.parse(r.stdout).error.code).toBe('STORE_NOT_FOUND');
      expect(r.stderr).toBe('');
    }
  });

  it('no store: tells the user to run vet init', async () => {
    const p = setup();
    const r = await runVet(['check'], { cwd: p.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('vet init');
  });

  it('no lockfile: names what vet reads', async () => {
    const p = tempProject({});
    project = p;
    const r = await runVet(['check'], { cwd: p.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no lockfile found');
  });

  it('usage errors exit 2', async () => {
    const p = setup();
    const r = await runVet(['certify'], { cwd: p.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("missing required argument 'package'");
  });

  it('--cwd runs in another directory', async () => {
    const p = setup();
    const other = tempProject({});
    try {
      const r = await runVet(['--cwd', p.dir, 'init'], { cwd: other.dir });
      expect(r.code).toBe(0);
      expect(p.exists('supply-chain/config.toml')).toBe(true);
    } finally {
      other.cleanup();
    }
  });
});

describe('concurrent writers', () => {
  it('two certify runs at once both land: the second waits for the lock', async () => {
    const p = setup();
    await runVet(['init'], { cwd: p.dir });
    const [a, b] = await Promise.all([
      runVet(['certify', 'ansi', '1.0.1', '--criteria', 'safe-to-run', '--accept-all', ...WHO], { cwd: p.dir }),
      runVet(['certify', 'tiny-test', '2.0.0', '--criteria', 'safe-to-run', '--accept-all', ...WHO], { cwd: p.dir }),
    ]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const audits = p.read('supply-chain/audits.toml');
    expect(audits).toContain('[[audits.ansi]]');
    expect(audits).toContain('[[audits.tiny-test]]');
  });
});
