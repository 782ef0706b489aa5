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

/** `vet init` on `before`, then the lockfile becomes `after`: everything in it is unvetted. */
async function changed(files: Record<string, string>, lockfile: string, after: string): Promise<TempProject> {
  const p = tempProject(files);
  projects.push(p);
  expect((await runVet(['init'], { cwd: p.dir })).code).toBe(0);
  p.write(lockfile, after);
  return p;
}

async function failingAndExcluded(p: TempProject, platform: string): Promise<[string[], string[]]> {
  const r = await runVet(['check', '--locked', '--platform', platform, '--output-format', 'json'], { cwd: p.dir });
  expect(r.code).toBe(1);
  const body = JSON.parse(r.stdout) as {
    failures: { name: string; version: string }[];
    excluded_by_platform: { packages: { name: string; version: string }[] };
  };
  return [
    body.failures.map((f) => `${f.name}@${f.version}`).sort(),
    body.excluded_by_platform.packages.map((x) => `${x.name}@${x.version}`),
  ];
}

describe('--platform on a uv and a Cargo project', () => {
  const uv = (v: string) => `version = 1
requires-python = ">=3.9"

[[package]]
name = "app"
version = "0.1.0"
source = { editable = "." }
dependencies = [
    { name = "click" },
    { name = "pywin32", marker = "sys_platform == 'win32'" },
]

[[package]]
name = "click"
version = "8.1.${v}"
source = { registry = "https://pypi.example/simple" }
dependencies = [
    { name = "colorama", marker = "platform_system == 'Windows'" },
]

[[package]]
name = "colorama"
version = "0.4.${v}"
source = { registry = "https://pypi.example/simple" }

[[package]]
name = "pywin32"
version = "30${v}"
source = { registry = "https://pypi.example/simple" }
`;

  it('uv.lock: markers decide', async () => {
    const p = await changed({ 'pyproject.toml': '[project]\nname = "app"\n', 'uv.lock': uv('6') }, 'uv.lock', uv('7'));
    expect(await failingAndExcluded(p, 'linux-x64-glibc')).toEqual([
      ['click@8.1.7'],
      ['colorama@0.4.7', 'pywin32@307'],
    ]);
    expect(await failingAndExcluded(p, 'win32-x64')).toEqual([['click@8.1.7', 'colorama@0.4.7', 'pywin32@307'], []]);
  });

  const REG = 'registry+https://index.registry.example/';
  const crate = (name: string, version: string, deps: string[] = []) =>
    `[[package]]\nname = "${name}"\nversion = "${version}"\nsource = "${REG}"\nchecksum = "${Buffer.from(name + version)
      .toString('hex')
      .padEnd(64, '0')
      .slice(0, 64)}"\n` +
    (deps.length ? `dependencies = [\n${deps.map((d) => ` "${d}",`).join('\n')}\n]\n` : '') +
    '\n';
  const cargoLock = (v: string) =>
    `version = 4\n\n[[package]]\nname = "app"\nversion = "0.1.0"\ndependencies = [\n "libc",\n "log",\n "winapi",\n]\n\n` +
    crate('libc', `0.2.${v}`) +
    crate('log', `0.4.${v}`) +
    crate('winapi', `0.3.${v}`, ['winapi-x86_64-pc-windows-gnu']) +
    crate('winapi-x86_64-pc-windows-gnu', `0.4.${v}`);
  const manifest = [
    '[package]',
    'name = "app"',
    'version = "0.1.0"',
    '[dependencies]',
    'log = "0.4"',
    "[target.'cfg(windows)'.dependencies]",
    'winapi = "0.3"',
    "[target.'cfg(unix)'.dependencies]",
    'libc = "0.2"',
    '',
  ].join('\n');

  it("Cargo: [target.'cfg(…)'.dependencies] through the cfg evaluator", async () => {
    const p = await changed(
      { 'Cargo.toml': manifest, 'src/lib.rs': '', 'Cargo.lock': cargoLock('1') },
      'Cargo.lock',
      cargoLock('2'),
    );
    expect(await failingAndExcluded(p, 'linux-arm64-musl')).toEqual([
      ['libc@0.2.2', 'log@0.4.2'],
      ['winapi@0.3.2', 'winapi-x86_64-pc-windows-gnu@0.4.2'],
    ]);
    expect(await failingAndExcluded(p, 'win32-x64')).toEqual([
      ['log@0.4.2', 'winapi-x86_64-pc-windows-gnu@0.4.2', 'winapi@0.3.2'],
      ['libc@0.2.2'],
    ]);
  });
});

describe('--platform with --base', () => {
  it('the PR view does not call a package of another platform new, and names it as excluded', async () => {
    const p = await project();
    p.write('base.json', lock('0.20.0'));
    const r = await runVet(['check', '--locked', '--base-lockfile', 'base.json', '--platform', 'linux-x64'], {
      cwd: p.dir,
    });
    expect(r.stdout).toContain('Changes since base.json: 0 new package(s), 2 new version(s), 0 removed\n');
    expect(r.stdout).not.toMatch(/~ @esbuild\/darwin-arm64/);
    expect(r.stdout).toContain(
      '\nnote: vetted for platform(s) linux-x64; 1 package(s) excluded by platform (not vetted):\n  @esbuild/darwin-arm64:0.20.1\n',
    );
    const md = await runVet(
      ['check', '--locked', '--base-lockfile', 'base.json', '--platform', 'linux-x64', '--output-format', 'markdown'],
      { cwd: p.dir },
    );
    expect(md.stdout).toContain('excluded by platform (not vetted):\n- `@esbuild/darwin-arm64` `0.20.1`\n');
  });
});
