/**
 * `--platform` on the graph each reader builds: exactly the packages of other platforms go,
 * with what only they pull in; what another path still reaches stays. One lockfile per format
 * (pnpm 9 and 6, package-lock v3, bun, yarn berry, uv, requirements, Cargo).
 */
import { describe, expect, it } from 'vitest';
import type { DependencyGraph } from '../graph.js';
import { isVetError } from '../errors.js';
import { buildCargoGraph } from '../lockfile/cargo/build.js';
import { staticCrateFacts } from '../lockfile/cargo/facts.js';
import { lockText, reg, local } from '../lockfile/cargo/__fixtures__/builders.js';
import { parseCargoLock } from '../lockfile/cargo/lock.js';
import { parseBunLock } from '../lockfile/npm/bun.js';
import { parsePackageLock } from '../lockfile/npm/package-lock.js';
import { parsePnpmLock } from '../lockfile/npm/pnpm.js';
import { parseYarnLock } from '../lockfile/npm/yarn.js';
import { parsePoetryLock } from '../lockfile/pypi/poetry.js';
import { parsePylock } from '../lockfile/pypi/pylock.js';
import { parseRequirementsTxt } from '../lockfile/pypi/requirements.js';
import { parseUvLock } from '../lockfile/pypi/uv.js';
import { filterGraphForPlatforms } from './filter.js';
import { markerEnvironment, targetTriples } from './environments.js';
import { parsePlatforms } from './names.js';

const SRI = 'sha512-' + 'A'.repeat(86) + '==';

const excludedOn = (graph: DependencyGraph, ...names: string[]): string[] =>
  filterGraphForPlatforms(graph, parsePlatforms(names)).excluded.map((x) => `${x.name}@${x.version}`);

const keptThirdParty = (graph: DependencyGraph, ...names: string[]): string[] =>
  filterGraphForPlatforms(graph, parsePlatforms(names))
    .graph.nodes.filter((n) => !n.firstParty)
    .map((n) => `${n.name}@${n.version}`)
    .sort();

const PNPM9 = `lockfileVersion: '9.0'

importers:

  .:
    dependencies:
      esbuild:
        specifier: ^0.20.0
        version: 0.20.0
      sharp:
        specifier: ^0.33.0
        version: 0.33.0

packages:

  '@esbuild/darwin-arm64@0.20.0':
    resolution: {integrity: ${SRI}}
    cpu: [arm64]
    os: [darwin]

  '@esbuild/linux-x64@0.20.0':
    resolution: {integrity: ${SRI}}
    cpu: [x64]
    os: [linux]

  '@esbuild/win32-x64@0.20.0':
    resolution: {integrity: ${SRI}}
    cpu: [x64]
    os: [win32]

  '@img/sharp-linux-x64@0.33.0':
    resolution: {integrity: ${SRI}}
    cpu: [x64]
    os: [linux]
    libc: [glibc]

  '@img/sharp-linuxmusl-x64@0.33.0':
    resolution: {integrity: ${SRI}}
    cpu: [x64]
    os: [linux]
    libc: [musl]

  darwin-helper@1.0.0:
    resolution: {integrity: ${SRI}}

  shared@1.0.0:
    resolution: {integrity: ${SRI}}

  esbuild@0.20.0:
    resolution: {integrity: ${SRI}}

  sharp@0.33.0:
    resolution: {integrity: ${SRI}}

snapshots:

  '@esbuild/darwin-arm64@0.20.0':
    dependencies:
      darwin-helper: 1.0.0
      shared: 1.0.0
    optional: true

  '@esbuild/linux-x64@0.20.0':
    optional: true

  '@esbuild/win32-x64@0.20.0':
    optional: true

  '@img/sharp-linux-x64@0.33.0':
    optional: true

  '@img/sharp-linuxmusl-x64@0.33.0':
    optional: true

  darwin-helper@1.0.0:
    optional: true

  shared@1.0.0: {}

  esbuild@0.20.0:
    dependencies:
      shared: 1.0.0
    optionalDependencies:
      '@esbuild/darwin-arm64': 0.20.0
      '@esbuild/linux-x64': 0.20.0
      '@esbuild/win32-x64': 0.20.0

  sharp@0.33.0:
    optionalDependencies:
      '@img/sharp-linux-x64': 0.33.0
      '@img/sharp-linuxmusl-x64': 0.33.0
`;

describe('npm os/cpu/libc', () => {
  const graph = parsePnpmLock(PNPM9, 'pnpm-lock.yaml');

  it('pnpm 9: the packages of other platforms go, and what only they pull in', () => {
    expect(excludedOn(graph, 'linux-x64-glibc')).toEqual([
      '@esbuild/darwin-arm64@0.20.0',
      '@esbuild/win32-x64@0.20.0',
      '@img/sharp-linuxmusl-x64@0.33.0',
      'darwin-helper@1.0.0',
    ]);
    // `shared` is also esbuild's own dependency: another path keeps it.
    expect(keptThirdParty(graph, 'linux-x64-glibc')).toEqual([
      '@esbuild/linux-x64@0.20.0',
      '@img/sharp-linux-x64@0.33.0',
      'esbuild@0.20.0',
      'shared@1.0.0',
      'sharp@0.33.0',
    ]);
  });

  it('several platforms keep the union; linux without a libc keeps both libcs', () => {
    expect(excludedOn(graph, 'linux-x64-glibc', 'darwin-arm64')).toEqual([
      '@esbuild/win32-x64@0.20.0',
      '@img/sharp-linuxmusl-x64@0.33.0',
    ]);
    expect(excludedOn(graph, 'linux-x64')).toEqual([
      '@esbuild/darwin-arm64@0.20.0',
      '@esbuild/win32-x64@0.20.0',
      'darwin-helper@1.0.0',
    ]);
    expect(excludedOn(graph, 'win32-x64')).toEqual([
      '@esbuild/darwin-arm64@0.20.0',
      '@esbuild/linux-x64@0.20.0',
      '@img/sharp-linux-x64@0.33.0',
      '@img/sharp-linuxmusl-x64@0.33.0',
      'darwin-helper@1.0.0',
    ]);
  });

  it('the edges to excluded packages go too; no platform leaves the graph as it was', () => {
    const { graph: narrowed } = filterGraphForPlatforms(graph, parsePlatforms(['linux-x64-glibc']));
    const esbuild = narrowed.nodes.find((n) => n.name === 'esbuild')!;
    expect(esbuild.deps.map((e) => e.to).sort()).toEqual(['@esbuild/linux-x64@0.20.0', 'shared@1.0.0']);
    expect(filterGraphForPlatforms(graph, [])).toEqual({ graph, excluded: [] });
  });

  it('pnpm 6: os and cpu lists under packages', () => {
    const text = `lockfileVersion: 5.4

specifiers:
  fsevents: ^2.3.0
  left-pad: ^1.3.0

dependencies:
  left-pad: 1.3.0

optionalDependencies:
  fsevents: 2.3.3

packages:

  /fsevents/2.3.3:
    resolution: {integrity: ${SRI}}
    engines: {node: ^8.16.0 || ^10.6.0 || >=11.0.0}
    os: [darwin]
    requiresBuild: true
    dev: false
    optional: true

  /left-pad/1.3.0:
    resolution: {integrity: ${SRI}}
    dev: false
`;
    const g = parsePnpmLock(text, 'pnpm-lock.yaml');
    expect(excludedOn(g, 'linux-arm64')).toEqual(['fsevents@2.3.3']);
    expect(excludedOn(g, 'darwin-arm64')).toEqual([]);
  });

  it('package-lock v3: os, cpu and libc of packages entries, negations as npm reads them', () => {
    const lock = {
      name: 'demo',
      version: '1.0.0',
      lockfileVersion: 3,
      requires: true,
      packages: {
        '': { name: 'demo', version: '1.0.0', dependencies: { esbuild: '^0.20.0', 'not-windows': '1' } },
        'node_modules/esbuild': {
          version: '0.20.0',
          integrity: SRI,
          optionalDependencies: { '@esbuild/darwin-arm64': '0.20.0', '@esbuild/linux-arm64': '0.20.0' },
        },
        'node_modules/@esbuild/darwin-arm64': {
          version: '0.20.0',
          integrity: SRI,
          optional: true,
          os: ['darwin'],
          cpu: ['arm64'],
        },
        'node_modules/@esbuild/linux-arm64': {
          version: '0.20.0',
          integrity: SRI,
          optional: true,
          os: ['linux'],
          cpu: ['arm64'],
          libc: ['musl'],
        },
        'node_modules/not-windows': { version: '1.0.0', integrity: SRI, os: ['!win32'] },
      },
    };
    const g = parsePackageLock(JSON.stringify(lock, null, 2), 'package-lock.json');
    expect(excludedOn(g, 'linux-arm64-glibc')).toEqual(['@esbuild/darwin-arm64@0.20.0', '@esbuild/linux-arm64@0.20.0']);
    expect(excludedOn(g, 'linux-arm64-musl')).toEqual(['@esbuild/darwin-arm64@0.20.0']);
    expect(excludedOn(g, 'win32-arm64')).toEqual([
      '@esbuild/darwin-arm64@0.20.0',
      '@esbuild/linux-arm64@0.20.0',
      'not-windows@1.0.0',
    ]);
  });

  it('bun.lock: os and cpu in the tuple info', () => {
    const text = `{
  "lockfileVersion": 1,
  "workspaces": { "": { "name": "root", "dependencies": { "esbuild": "^0.20.0", }, }, },
  "packages": {
    "esbuild": ["esbuild@0.20.0", "", { "optionalDependencies": { "@esbuild/darwin-arm64": "0.20.0", "@esbuild/linux-x64": "0.20.0", }, }, "${SRI}"],
    "@esbuild/darwin-arm64": ["@esbuild/darwin-arm64@0.20.0", "", { "os": "darwin", "cpu": "arm64" }, "${SRI}"],
    "@esbuild/linux-x64": ["@esbuild/linux-x64@0.20.0", "", { "os": "linux", "cpu": "x64" }, "${SRI}"],
  },
}
`;
    const g = parseBunLock(text, 'bun.lock');
    expect(excludedOn(g, 'linux-x64-glibc')).toEqual(['@esbuild/darwin-arm64@0.20.0']);
    expect(excludedOn(g, 'darwin-arm64')).toEqual(['@esbuild/linux-x64@0.20.0']);
  });

  it('yarn berry: conditions', () => {
    const text = `__metadata:
  version: 8
  cacheKey: 10

"demo@workspace:.":
  version: 0.0.0-use.local
  resolution: "demo@workspace:."
  dependencies:
    esbuild: "npm:^0.20.0"
  languageName: unknown
  linkType: soft

"esbuild@npm:^0.20.0":
  version: 0.20.0
  resolution: "esbuild@npm:0.20.0"
  dependencies:
    "@esbuild/darwin-arm64": "npm:0.20.0"
  dependenciesMeta:
    "@esbuild/darwin-arm64":
      optional: true
  checksum: 10/abcdef
  languageName: node
  linkType: hard

"@esbuild/darwin-arm64@npm:0.20.0":
  version: 0.20.0
  resolution: "@esbuild/darwin-arm64@npm:0.20.0"
  conditions: os=darwin & cpu=arm64
  languageName: node
  linkType: hard
`;
    const g = parseYarnLock(text, 'yarn.lock', { '': { name: 'demo', dependencies: { esbuild: '^0.20.0' } } });
    expect(excludedOn(g, 'linux-x64')).toEqual(['@esbuild/darwin-arm64@0.20.0']);
    expect(excludedOn(g, 'darwin-arm64')).toEqual([]);
  });
});

describe('PyPI environment markers', () => {
  const UV = `version = 1
requires-python = ">=3.9"

[[package]]
name = "app"
version = "0.1.0"
source = { editable = "." }
dependencies = [
    { name = "click" },
    { name = "pywin32", marker = "sys_platform == 'win32'" },
    { name = "uvloop", marker = "platform_system != 'Windows' and platform_machine == 'x86_64'" },
    { name = "tomli", marker = "python_version < '3.11'" },
]

[[package]]
name = "click"
version = "8.1.7"
source = { registry = "https://pypi.example/simple" }
dependencies = [
    { name = "colorama", marker = "platform_system == 'Windows'" },
]

[[package]]
name = "colorama"
version = "0.4.6"
source = { registry = "https://pypi.example/simple" }

[[package]]
name = "pywin32"
version = "306"
source = { registry = "https://pypi.example/simple" }

[[package]]
name = "tomli"
version = "2.0.1"
source = { registry = "https://pypi.example/simple" }

[[package]]
name = "uvloop"
version = "0.19.0"
source = { registry = "https://pypi.example/simple" }
`;

  it('uv.lock: markers on dependencies decide, unknown variables keep a package', () => {
    const g = parseUvLock(UV, 'uv.lock');
    expect(excludedOn(g, 'linux-x64-glibc')).toEqual(['colorama@0.4.6', 'pywin32@306']);
    expect(excludedOn(g, 'linux-arm64')).toEqual(['colorama@0.4.6', 'pywin32@306', 'uvloop@0.19.0']);
    expect(excludedOn(g, 'win32-x64')).toEqual(['uvloop@0.19.0']);
    expect(excludedOn(g, 'darwin-arm64')).toEqual(['colorama@0.4.6', 'pywin32@306', 'uvloop@0.19.0']);
  });

  it('uv.lock: a fork resolved only for some platforms (resolution-markers)', () => {
    const text = `version = 1

[[package]]
name = "app"
version = "0.1.0"
source = { editable = "." }
dependencies = [
    { name = "numpy", version = "1.26.4", source = { registry = "https://pypi.example/simple" }, marker = "sys_platform == 'darwin'" },
    { name = "numpy", version = "2.0.0", source = { registry = "https://pypi.example/simple" }, marker = "sys_platform != 'darwin'" },
]

[[package]]
name = "numpy"
version = "1.26.4"
source = { registry = "https://pypi.example/simple" }
resolution-markers = ["sys_platform == 'darwin'"]

[[package]]
name = "numpy"
version = "2.0.0"
source = { registry = "https://pypi.example/simple" }
resolution-markers = ["sys_platform != 'darwin'"]
`;
    const g = parseUvLock(text, 'uv.lock');
    expect(excludedOn(g, 'linux-x64')).toEqual(['numpy@1.26.4']);
    expect(excludedOn(g, 'darwin-x64')).toEqual(['numpy@2.0.0']);
  });

  it('requirements.txt: a line marker', () => {
    const g = parseRequirementsTxt(
      {
        'requirements.txt': [
          `pywin32==306 ; sys_platform == "win32" --hash=sha256:${'a'.repeat(64)}`,
          `requests==2.31.0 --hash=sha256:${'b'.repeat(64)}`,
          '',
        ].join('\n'),
      },
      'requirements.txt',
    );
    expect(excludedOn(g, 'linux-x64')).toEqual(['pywin32@306']);
    expect(excludedOn(g, 'win32-x64')).toEqual([]);
  });

  it('requirements.txt: an unpinned requirement for another platform does not fail, and is named', () => {
    const g = parseRequirementsTxt(
      { 'requirements.txt': 'pywin32>=300 ; sys_platform == "win32"\nrequests>=2\n' },
      'requirements.txt',
    );
    expect(g.unlocked.map((u) => u.requirement)).toEqual(['pywin32>=300 ; sys_platform == "win32"', 'requests>=2']);
    const r = filterGraphForPlatforms(g, parsePlatforms(['linux-x64']));
    expect((r.graph as typeof g).unlocked.map((u) => u.requirement)).toEqual(['requests>=2']);
    expect(r.excluded).toEqual([{ name: 'pywin32', version: '(not locked)' }]);
    const win = filterGraphForPlatforms(g, parsePlatforms(['win32-x64']));
    expect((win.graph as typeof g).unlocked).toHaveLength(2);
  });

  it('pylock.toml: package markers', () => {
    const text = `lock-version = "1.0"
created-by = "test"

[[packages]]
name = "pywin32"
version = "306"
marker = "sys_platform == 'win32'"

[[packages]]
name = "uvloop"
version = "0.19.0"
marker = "sys_platform != 'win32' and python_version >= '3.8'"

[[packages]]
name = "requests"
version = "2.31.0"
`;
    const g = parsePylock(text, 'pylock.toml');
    expect(excludedOn(g, 'linux-x64')).toEqual(['pywin32@306']);
    expect(excludedOn(g, 'win32-x64')).toEqual(['uvloop@0.19.0']);
  });

  it('poetry.lock: package markers (lock-version 2.1) and dependency markers', () => {
    const text = `[[package]]
name = "click"
version = "8.1.7"
groups = ["main"]
markers = "python_version >= '3.8'"
files = []

[package.dependencies]
colorama = {version = "*", markers = "platform_system == \\"Windows\\""}

[[package]]
name = "colorama"
version = "0.4.6"
groups = ["main"]
markers = "platform_system == \\"Windows\\""
files = []

[metadata]
lock-version = "2.1"
python-versions = ">=3.8"
content-hash = "0"
`;
    const g = parsePoetryLock(text, 'poetry.lock');
    expect(excludedOn(g, 'darwin-arm64')).toEqual(['colorama@0.4.6']);
    expect(excludedOn(g, 'win32-arm64')).toEqual([]);
  });

  it('binds only values CPython reports the same everywhere on that platform', () => {
    expect(Object.fromEntries(markerEnvironment(parsePlatforms(['win32-x64'])[0]!))).toEqual({
      sys_platform: 'win32',
      platform_system: 'Windows',
      os_name: 'nt',
      platform_machine: 'AMD64',
    });
    // FreeBSD's sys_platform carries the release (freebsd14); 32-bit ARM's machine varies.
    expect(markerEnvironment(parsePlatforms(['freebsd-x64'])[0]!).has('sys_platform')).toBe(false);
    expect(markerEnvironment(parsePlatforms(['linux-arm'])[0]!).has('platform_machine')).toBe(false);
  });
});

describe('Cargo cfg(target_…)', () => {
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
    '[target.\'cfg(target_os = "macos")\'.dependencies]',
    'core-foundation = "0.9"',
    '',
  ].join('\n');
  const lock = lockText([
    local('app', '0.1.0', ['core-foundation', 'libc', 'log', 'winapi']),
    reg('core-foundation', '0.9.4', ['libc']),
    reg('libc', '0.2.150'),
    reg('log', '0.4.20', ['windows-sys']),
    reg('winapi', '0.3.9', ['winapi-x86_64-pc-windows-gnu']),
    reg('winapi-x86_64-pc-windows-gnu', '0.4.0'),
    reg('windows-sys', '0.52.0'),
  ]);
  // log's published manifest: windows-sys only on Windows (known once its facts are cached).
  const crateFacts = staticCrateFacts({
    'log@0.4.20': {
      hasLib: true,
      manifest:
        '[package]\nname = "log"\nversion = "0.4.20"\n[target."cfg(windows)".dependencies.windows-sys]\nversion = "0.52"\n',
    },
  });
  const graph = buildCargoGraph({ lock: parseCargoLock(lock, 'Cargo.lock'), manifests: { '': manifest }, crateFacts });

  it('members and published manifests: edges under [target.<cfg>] hold only where the cfg does', () => {
    expect(excludedOn(graph, 'linux-x64-glibc')).toEqual([
      'core-foundation@0.9.4',
      'winapi@0.3.9',
      'winapi-x86_64-pc-windows-gnu@0.4.0',
      'windows-sys@0.52.0',
    ]);
    expect(excludedOn(graph, 'darwin-arm64')).toEqual([
      'winapi@0.3.9',
      'winapi-x86_64-pc-windows-gnu@0.4.0',
      'windows-sys@0.52.0',
    ]);
    expect(excludedOn(graph, 'win32-x64')).toEqual(['core-foundation@0.9.4', 'libc@0.2.150']);
  });

  it('without platforms the graph keeps every edge (the default, as before)', () => {
    expect(graph.nodes.map((n) => n.name).sort()).toEqual([
      'app',
      'core-foundation',
      'libc',
      'log',
      'winapi',
      'winapi-x86_64-pc-windows-gnu',
      'windows-sys',
    ]);
  });

  it('maps platforms to target triples', () => {
    const t = (n: string) => targetTriples(parsePlatforms([n])[0]!);
    expect(t('linux-x64-glibc')).toEqual(['x86_64-unknown-linux-gnu']);
    expect(t('linux-arm64-musl')).toEqual(['aarch64-unknown-linux-musl']);
    expect(t('linux-arm')).toEqual(['armv7-unknown-linux-gnueabihf', 'armv7-unknown-linux-musleabihf']);
    expect(t('darwin-arm64')).toEqual(['aarch64-apple-darwin']);
    expect(t('win32-x64')).toEqual(['x86_64-pc-windows-msvc', 'x86_64-pc-windows-gnu']);
    expect(t('android-arm64')).toEqual(['aarch64-linux-android']);
  });
});

describe('platform names', () => {
  it('parses <os>-<cpu>[-<libc>] in Node words', () => {
    expect(parsePlatforms(['linux-x64-glibc', 'Darwin-ARM64', 'linux-x64-glibc'])).toEqual([
      { name: 'linux-x64-glibc', os: 'linux', cpu: 'x64', libc: 'glibc' },
      { name: 'darwin-arm64', os: 'darwin', cpu: 'arm64' },
    ]);
  });

  it('refuses unknown names with INVALID_ARGUMENT, each named, with the valid forms', () => {
    let err: unknown;
    try {
      parsePlatforms(['linux-amd64', 'macos-arm64', 'darwin-arm64-glibc', 'linux-x64-gnu']);
    } catch (e) {
      err = e;
    }
    expect(isVetError(err) && err.code).toBe('INVALID_ARGUMENT');
    const e = err as Error & { hint?: string };
    expect(e.message).toContain('"linux-amd64" (unknown cpu "amd64")');
    expect(e.message).toContain('"macos-arm64" (unknown os "macos")');
    expect(e.message).toContain('"darwin-arm64-glibc" (a libc is named only for linux)');
    expect(e.message).toContain('"linux-x64-gnu" (unknown libc "gnu")');
    expect(e.hint).toContain('<os>-<cpu>[-<libc>]');
    expect(e.hint).toContain('linux-x64-glibc');
  });
});
