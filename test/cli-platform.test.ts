/**
 * `vet check --platform` and `[vet] platforms` end to end: the built `vet` on a project whose
 * lockfile holds esbuild's per-platform binaries. Only what installs on the named platforms is
 * vetted; what is left out is named in every output format; the flag overrides the store's
 * policy; a name that is not a platform is refused with the valid forms. Without either,
 * the output is what it always was.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { runVet, tempProject, type TempProject } from './helpers/project.js';

const projects: TempProject[] = [];
afterAll(() => projects.forEach((p) => p.cleanup()));

const SRI = (s: string) => `sha512-${Buffer.from(s).toString('base64')}`;

function lock(version: string): string {
  const bin = (os: string, cpu: string) => ({
    version,
    integrity: SRI(`${os}-${cpu}@${version}`),
    optional: true,
    os: [os],
    cpu: [cpu],
  });
  return (
    JSON.stringify(
      {
        name: 'demo',
        version: '1.0.0',
        lockfileVersion: 3,
        requires: true,
        packages: {
          '': { name: 'demo', version: '1.0.0', dependencies: { esbuild: `^${version}` } },
          'node_modules/esbuild': {
            version,
            integrity: SRI(`esbuild@${version}`),
            optionalDependencies: { '@esbuild/darwin-arm64': version, '@esbuild/linux-x64': version },
          },
          'node_modules/@esbuild/darwin-arm64': bin('darwin', 'arm64'),
          'node_modules/@esbuild/linux-x64': bin('linux', 'x64'),
        },
      },
      null,
      2,
    ) + '\n'
  );
}

/** Exempted at 0.20.0, then every package moved to 0.20.1: all three unvetted. */
async function project(): Promise<TempProject> {
  const p = tempProject({ 'package.json': '{"name":"demo","version":"1.0.0"}\n', 'package-lock.json': lock('0.20.0') });
  projects.push(p);
  expect((await runVet(['init'], { cwd: p.dir })).code).toBe(0);
  p.write('package-lock.json', lock('0.20.1'));
  return p;
}

describe('vet check --platform', () => {
  it('vets only what installs on the platform and lists what it left out', async () => {
    const p = await project();
    const all = await runVet(['check', '--locked'], { cwd: p.dir });
    expect(all.code).toBe(1);
    expect(all.stdout).toContain('@esbuild/darwin-arm64:0.20.1');
    expect(all.stdout).not.toContain('excluded by platform');

    const r = await runVet(['check', '--locked', '--platform', 'linux-x64-glibc'], { cwd: p.dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    const [failures, note] = r.stdout.split('\nnote: ');
    expect(failures).toContain('esbuild:0.20.1');
    expect(failures).toContain('@esbuild/linux-x64:0.20.1');
    expect(failures).not.toContain('darwin');
    expect(note).toMatch(
      /^vetted for platform\(s\) linux-x64-glibc; 1 package\(s\) excluded by platform \(not vetted\):\n {2}@esbuild\/darwin-arm64:0\.20\.1\n\n/,
    );
  });

  it('JSON carries excluded_by_platform; github and markdown say it too', async () => {
    const p = await project();
    const json = await runVet(['check', '--locked', '--platform', 'linux-x64', '--output-format', 'json'], {
      cwd: p.dir,
    });
    const body = JSON.parse(json.stdout) as {
      failures: { name: string }[];
      excluded_by_platform: unknown;
    };
    expect(body.failures.map((f) => f.name).sort()).toEqual(['@esbuild/linux-x64', 'esbuild']);
    expect(body.excluded_by_platform).toEqual({
      platforms: ['linux-x64'],
      packages: [{ name: '@esbuild/darwin-arm64', version: '0.20.1' }],
    });
    const gh = await runVet(['check', '--locked', '--platform', 'linux-x64', '--output-format', 'github'], {
      cwd: p.dir,
    });
    expect(gh.stdout).toContain(
      '::notice file=package-lock.json,title=vet%3A excluded by platform::vetted for platform(s) linux-x64; 1 package(s) excluded by platform (not vetted): @esbuild/darwin-arm64 0.20.1\n',
    );
    expect(gh.stdout).not.toMatch(/::error [^\n]*darwin/);
    const md = await runVet(['check', '--locked', '--platform', 'linux-x64', '--output-format', 'markdown'], {
      cwd: p.dir,
    });
    expect(md.stdout).toContain(
      '**note** · `package-lock.json` · vetted for platform(s) `linux-x64`; 1 package(s) excluded by platform (not vetted):\n- `@esbuild/darwin-arm64` `0.20.1`\n',
    );
    const sarif = await runVet(['check', '--locked', '--platform', 'linux-x64', '--output-format', 'sarif'], {
      cwd: p.dir,
    });
    const run = (JSON.parse(sarif.stdout) as { runs: { properties?: unknown }[] }).runs[0]!;
    expect(run.properties).toEqual({
      excludedByPlatform: [
        {
          lockfile: 'package-lock.json',
          platforms: ['linux-x64'],
          packages: [{ name: '@esbuild/darwin-arm64', version: '0.20.1' }],
        },
      ],
    });
  });

  it('[vet] platforms in config.toml is the policy; --platform overrides it', async () => {
    const p = await project();
    const config = p.read('supply-chain/config.toml');
    const withPolicy = config.replace('ecosystem = "npm"\n', 'ecosystem = "npm"\nplatforms = ["darwin-arm64"]\n');
    p.write('supply-chain/config.toml', withPolicy);
    // Canonical as written: fmt keeps it byte for byte, so --locked accepts it.
    expect((await runVet(['fmt'], { cwd: p.dir })).code).toBe(0);
    expect(p.read('supply-chain/config.toml')).toBe(withPolicy);
    const policy = await runVet(['check', '--locked', '--output-format', 'json'], { cwd: p.dir });
    const body = JSON.parse(policy.stdout) as { failures: { name: string }[]; excluded_by_platform: unknown };
    expect(body.failures.map((f) => f.name).sort()).toEqual(['@esbuild/darwin-arm64', 'esbuild']);
    expect(body.excluded_by_platform).toEqual({
      platforms: ['darwin-arm64'],
      packages: [{ name: '@esbuild/linux-x64', version: '0.20.1' }],
    });
    const flag = await runVet(['check', '--locked', '--platform', 'linux-x64', '--output-format', 'json'], {
      cwd: p.dir,
    });
    expect(
      (JSON.parse(flag.stdout) as { excluded_by_platform: { platforms: string[] } }).excluded_by_platform.platforms,
    ).toEqual(['linux-x64']);
  });

  it('refuses a name that is not a platform, listing the valid forms', async () => {
    const p = await project();
    const r = await runVet(['check', '--locked', '--platform', 'linux-amd64'], { cwd: p.dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('not a platform name: "linux-amd64" (unknown cpu "amd64")');
    expect(r.stderr).toContain('<os>-<cpu>[-<libc>]');
    const json = await runVet(['check', '--locked', '--platform', 'macos', '--output-format', 'json'], {
      cwd: p.dir,
    });
    expect(json.code).toBe(2);
    expect(json.stdout + json.stderr).toContain('INVALID_ARGUMENT');
    p.write(
      'supply-chain/config.toml',
      p
        .read('supply-chain/config.toml')
        .replace('ecosystem = "npm"\n', 'ecosystem = "npm"\nplatforms = ["linux-x86_64"]\n'),
    );
    const cfg = await runVet(['check', '--locked'], { cwd: p.dir });
    expect(cfg.code).toBe(2);
    expect(cfg.stderr).toContain('linux-x86_64');
    expect(cfg.stderr).toContain('<os>-<cpu>[-<libc>]');
  });
});
