import { describe, expect, it } from 'vitest';
import { VetError } from '../../errors.js';
import type { DependencyGraph, PackageNode } from '../../graph.js';
import { DEFAULT_REGISTRY, HASH_A, HASH_B, git, local, lockText, reg, type LockPkg } from './__fixtures__/builders.js';
import { buildCargoGraph, type BuildCargoGraphInput } from './build.js';
import { staticCrateFacts } from './facts.js';
import { parseCargoLock } from './lock.js';

type Extra = Omit<BuildCargoGraphInput, 'lock' | 'manifests'>;

function graphOf(pkgs: LockPkg[] | string, manifests: Record<string, string>, extra: Extra = {}): DependencyGraph {
  const text = typeof pkgs === 'string' ? pkgs : lockText(pkgs);
  return buildCargoGraph({ lock: parseCargoLock(text, 'Cargo.lock'), manifests, ...extra });
}

function node(g: DependencyGraph, id: string): PackageNode {
  const n = g.nodes.find((x) => x.id === id);
  if (!n) throw new Error(`no node ${id}; have ${g.nodes.map((x) => x.id).join(', ')}`);
  return n;
}

/** "kind:to" (plus " as alias") for every edge out of `id`. */
function edges(g: DependencyGraph, id: string): string[] {
  return node(g, id).deps.map((e) => `${e.kind}:${e.to}${e.alias ? ` as ${e.alias}` : ''}`);
}

function members(g: DependencyGraph): string[] {
  return g.nodes.filter((n) => n.workspaceMember).map((n) => n.id);
}

const pkg = (name: string, version = '0.1.0', body = '') =>
  `[package]\nname = "${name}"\nversion = "${version}"\n${body}`;

describe('workspace members', () => {
  it('expands member globs, applies exclude, and lets a literal member override exclude', () => {
    const manifests = {
      '': '[workspace]\nmembers = ["crates/*", "tools/lib/keep"]\nexclude = ["crates/skip", "tools/lib"]\n',
      'crates/a': pkg('a', '0.1.0', '[dependencies]\nother = { path = "../../tools/lib/other" }\n'),
      'crates/b': pkg('b', '0.1.0', '[dependencies]\nskip = { path = "../skip" }\n'),
      'crates/skip': pkg('skip'),
      'tools/lib/keep': pkg('keep'),
      'tools/lib/other': pkg('other'),
    };
    const g = graphOf(
      [
        local('a', '0.1.0', ['other']),
        local('b', '0.1.0', ['skip']),
        local('keep', '0.1.0'),
        local('other', '0.1.0'),
        local('skip', '0.1.0'),
      ],
      manifests,
    );
    expect(members(g)).toEqual(['a@0.1.0', 'b@0.1.0', 'keep@0.1.0']);
    for (const id of ['other@0.1.0', 'skip@0.1.0']) {
      expect(node(g, id)).toMatchObject({ firstParty: true, workspaceMember: false, source: { kind: 'path' } });
    }
    expect(node(g, 'other@0.1.0').source.url).toBe('tools/lib/other');
  });

  it('makes path dependencies under the root members, but not those outside it', () => {
    const manifests = {
      '': '[workspace]\nmembers = ["app"]\n',
      app: pkg(
        'app',
        '0.1.0',
        '[dependencies]\nutil = { path = "../libs/util" }\nfar = { path = "../../elsewhere/far" }\n',
      ),
      'libs/util': pkg('util'),
      '../elsewhere/far': pkg('far'),
    };
    const g = graphOf(
      [local('app', '0.1.0', ['util', 'far']), local('util', '0.1.0'), local('far', '0.1.0')],
      manifests,
    );
    expect(members(g)).toEqual(['app@0.1.0', 'util@0.1.0']);
    expect(node(g, 'far@0.1.0')).toMatchObject({ firstParty: true, workspaceMember: false });
  });

  it('has only the root package as member without a [workspace] table', () => {
    const manifests = {
      '': pkg('root', '1.0.0', '[dependencies]\nhelper = { path = "helper" }\n'),
      helper: pkg('helper'),
    };
    const g = graphOf([local('root', '1.0.0', ['helper']), local('helper', '0.1.0')], manifests);
    expect(members(g)).toEqual(['root@1.0.0']);
  });
});

describe('edge kinds', () => {
  it('takes normal/build/dev kinds from member manifests, including [target.*] tables', () => {
    const manifests = {
      '': pkg(
        'app',
        '0.1.0',
        [
          '[dependencies]',
          'serde = "1"',
          '[build-dependencies]',
          'cc = "1"',
          '[dev-dependencies]',
          'tempfile = "3"',
          'serde = "1"',
          "[target.'cfg(windows)'.dependencies]",
          'winapi = "0.3"',
        ].join('\n'),
      ),
    };
    const g = graphOf(
      [
        local('app', '0.1.0', ['cc', 'serde', 'tempfile', 'winapi']),
        reg('cc', '1.0.0'),
        reg('serde', '1.0.1'),
        reg('tempfile', '3.1.0'),
        reg('winapi', '0.3.9'),
      ],
      manifests,
    );
    expect(edges(g, 'app@0.1.0')).toEqual([
      'build:cc@1.0.0',
      'normal:serde@1.0.1',
      'dev:serde@1.0.1',
      'dev:tempfile@3.1.0',
      'normal:winapi@0.3.9',
    ]);
    expect(g.warnings).toEqual([]);
  });

  it('gives dev kinds only to workspace members', () => {
    const manifests = {
      '': '[workspace]\nmembers = ["app"]\n',
      app: pkg(
        'app',
        '0.1.0',
        '[dependencies]\nhelper = { path = "../../outside/helper" }\n[dev-dependencies]\ntempfile = "3"\n',
      ),
      // A non-member path package: Cargo never resolves its dev-dependencies.
      '../outside/helper': pkg('helper', '0.1.0', '[dev-dependencies]\nlog = "0.4"\n'),
    };
    const g = graphOf(
      [
        local('app', '0.1.0', ['helper', 'tempfile']),
        local('helper', '0.1.0', ['log']),
        reg('log', '0.4.0'),
        reg('tempfile', '3.1.0'),
      ],
      manifests,
    );
    expect(edges(g, 'app@0.1.0')).toEqual(['normal:helper@0.1.0', 'dev:tempfile@3.1.0']);
    expect(edges(g, 'helper@0.1.0')).toEqual(['normal:log@0.4.0']);
    expect(g.warnings.join('\n')).toMatch(/log 0\.4\.0 is only a dev-dependency \(non-member\)/);
  });

  it('resolves renamed dependencies to the real package, by version requirement, and records the alias', () => {
    const manifests = {
      '': pkg(
        'app',
        '0.1.0',
        [
          '[dependencies]',
          'serde1 = { package = "serde", version = "1", optional = true }',
          '[dev-dependencies]',
          'serde_old = { package = "serde", version = "0.9" }',
        ].join('\n'),
      ),
    };
    const lock = [local('app', '0.1.0', ['serde 0.9.0', 'serde 1.0.1']), reg('serde', '0.9.0'), reg('serde', '1.0.1')];
    const g = graphOf(lock, manifests);
    expect(edges(g, 'app@0.1.0')).toEqual(['dev:serde@0.9.0 as serde_old', 'normal:serde@1.0.1 as serde1']);
  });

  it('inherits versions and dependencies from the workspace root', () => {
    const manifests = {
      '': [
        '[workspace]',
        'members = ["app"]',
        '[workspace.package]',
        'version = "2.1.0"',
        '[workspace.dependencies]',
        'log = "0.4"',
        'mylib = { path = "crates/mylib" }',
        'ren = { package = "real-name", version = "1" }',
      ].join('\n'),
      app: [
        '[package]',
        'name = "app"',
        'version.workspace = true',
        '[dependencies]',
        'mylib = { workspace = true }',
        '[build-dependencies]',
        'log.workspace = true',
        '[dev-dependencies]',
        'ren = { workspace = true, features = ["x"] }',
      ].join('\n'),
      'crates/mylib': '[package]\nname = "mylib"\nversion = { workspace = true }\n',
    };
    const g = graphOf(
      [
        local('app', '2.1.0', ['log', 'mylib', 'real-name']),
        reg('log', '0.4.0'),
        local('mylib', '2.1.0'),
        reg('real-name', '1.2.0'),
      ],
      manifests,
    );
    expect(members(g)).toEqual(['app@2.1.0', 'mylib@2.1.0']);
    expect(edges(g, 'app@2.1.0')).toEqual(['build:log@0.4.0', 'normal:mylib@2.1.0', 'dev:real-name@1.2.0 as ren']);
  });

  it('makes every Cargo.lock edge of a third-party package normal', () => {
    const g = graphOf(
      [local('app', '0.1.0', ['a']), reg('a', '1.0.0', ['b', 'c']), reg('b', '1.0.0'), reg('c', '1.0.0')],
      {
        '': pkg('app', '0.1.0', '[dev-dependencies]\na = "1"\n'),
      },
    );
    expect(edges(g, 'a@1.0.0')).toEqual(['normal:b@1.0.0', 'normal:c@1.0.0']);
    expect(edges(g, 'app@0.1.0')).toEqual(['dev:a@1.0.0']);
  });

  it('treats a locked dependency the manifest does not declare as normal, with a warning', () => {
    const g = graphOf([local('app', '0.1.0', ['a']), reg('a', '1.0.0')], { '': pkg('app') });
    expect(edges(g, 'app@0.1.0')).toEqual(['normal:a@1.0.0']);
    expect(g.warnings.join()).toMatch(/a 1\.0\.0 is not declared in Cargo\.toml/);
  });
});

describe('which source is the default registry', () => {
  const third = (g: DependencyGraph) =>
    g.nodes
      .filter((n) => !n.firstParty)
      .map((n) => n.id)
      .sort();

  it('is the source a plain dependency resolves to, whatever its spelling; `registry = "…"` deps are first-party', () => {
    const mirror = 'registry+https://git.mirror.example/index';
    const alt = 'sparse+https://alt.registry.example/';
    const lock = [
      local('app', '0.1.0', ['a', 'b', 'p']),
      { name: 'a', version: '1.0.0', source: mirror, checksum: 'a'.repeat(64), deps: ['c'] },
      { name: 'b', version: '1.0.0', source: mirror, checksum: 'b'.repeat(64) },
      { name: 'c', version: '1.0.0', source: mirror, checksum: 'c'.repeat(64) },
      { name: 'p', version: '3.0.0', source: alt, checksum: 'e'.repeat(64) },
    ];
    const g = graphOf(lock, {
      '': pkg(
        'app',
        '0.1.0',
        '[dependencies]\na = "1"\nb = { version = "1", registry = "crates-io" }\np = { version = "3", registry = "alt" }\n',
      ),
    });
    expect(third(g)).toEqual(['a@1.0.0', 'b@1.0.0', 'c@1.0.0']);
    expect(node(g, 'a@1.0.0').source).toEqual({ kind: 'registry', url: mirror });
    expect(node(g, 'p@3.0.0').source).toEqual({ kind: 'alt-registry', url: alt });
  });

  it('follows workspace inheritance, and ignores a name [patch.crates-io] moves to another registry', () => {
    const alt = 'registry+https://alt.registry.example/index';
    const lock = [
      local('app', '0.1.0', ['a', 'q']),
      reg('a', '1.0.0'),
      { name: 'q', version: '2.0.0', source: alt, checksum: 'f'.repeat(64) },
    ];
    const g = graphOf(lock, {
      '': [
        '[workspace]\nmembers = ["app"]\n[workspace.dependencies]\na = "1"\n',
        '[patch.crates-io]\nq = { version = "2", registry = "alt" }\n',
      ].join(''),
      app: pkg('app', '0.1.0', '[dependencies]\na = { workspace = true }\nq = "2"\n'),
    });
    expect(third(g)).toEqual(['a@1.0.0']);
  });

  it('without a plain dependency, every registry source not configured under [registries] is audited', () => {
    const alt = 'sparse+https://alt.registry.example/';
    const lock = [
      local('app', '0.1.0', ['g']),
      git('g', '0.1.0', 'https://example.com/g', HASH_A, ['a', 'p']),
      reg('a', '1.0.0'),
      { name: 'p', version: '3.0.0', source: alt, checksum: 'e'.repeat(64) },
    ];
    const manifests = { '': pkg('app', '0.1.0', '[dependencies]\ng = { git = "https://example.com/g" }\n') };
    expect(third(graphOf(lock, manifests))).toEqual(['a@1.0.0', 'p@3.0.0']);
    const config = `[registries.alt]\nindex = "${alt}"\n`;
    expect(third(graphOf(lock, manifests, { config }))).toEqual(['a@1.0.0']);
  });
});

describe('sources and versions', () => {
  it('marks the default registry third-party and every other source first-party; git versions carry @git:<hash>', () => {
    const alt = 'sparse+https://my.registry/index/';
    const lock = [
      local('app', '0.1.0', ['a', 'g', 'p', 's']),
      reg('a', '1.0.0'),
      git('g', '0.2.0', 'https://example.com/g?branch=main', HASH_A),
      { name: 'p', version: '3.0.0', source: alt, checksum: 'e'.repeat(64) },
      { name: 's', version: '1.0.0', source: 'sparse+https://index.registry.example/', checksum: 'f'.repeat(64) },
    ];
    const g = graphOf(lock, {
      '': pkg(
        'app',
        '0.1.0',
        '[dependencies]\na = "1"\ng = { git = "https://example.com/g" }\np = { version = "3", registry = "my" }\ns = "1"\n',
      ),
    });
    expect(node(g, 'a@1.0.0')).toMatchObject({
      firstParty: false,
      source: { kind: 'registry', url: DEFAULT_REGISTRY },
      integrity: [{ algo: 'sha256', encoding: 'hex', covers: 'crate' }],
    });
    expect(node(g, `g@0.2.0@git:${HASH_A}`)).toMatchObject({
      version: `0.2.0@git:${HASH_A}`,
      firstParty: true,
      workspaceMember: false,
      integrity: [],
      source: { kind: 'git', commit: HASH_A, url: `git+https://example.com/g?branch=main#${HASH_A}` },
    });
    expect(node(g, 'p@3.0.0')).toMatchObject({ firstParty: true, source: { kind: 'alt-registry', url: alt } });
    expect(node(g, 's@1.0.0')).toMatchObject({ firstParty: false, source: { kind: 'registry' } });
    expect(g).toMatchObject({ ecosystem: 'cargo', format: 'Cargo.lock v4', lockfile: 'Cargo.lock' });
  });

  it('keeps two nodes for the same name and version from two sources (with and without ?tag=)', () => {
    const tagged = 'https://github.com/o/utils?tag=v0.1.0';
    const plain = 'https://github.com/o/utils';
    const lock = [
      local('app', '0.1.0', [`bit 0.1.0 (git+${plain})`, 'dev']),
      git('bit', '0.1.0', tagged, HASH_A),
      git('bit', '0.1.0', plain, HASH_A),
      git('dev', '1.0.0', 'https://github.com/o/dev', HASH_B, [`bit 0.1.0 (git+${tagged})`]),
    ];
    const g = graphOf(lock, {
      '': pkg(
        'app',
        '0.1.0',
        `[dependencies]\nbit = { git = "${plain}" }\ndev = { git = "https://github.com/o/dev" }\n`,
      ),
    });
    const bits = g.nodes.filter((n) => n.name === 'bit');
    expect(bits).toHaveLength(2);
    expect(new Set(bits.map((b) => b.id)).size).toBe(2);
    expect(bits.every((b) => b.version === `0.1.0@git:${HASH_A}`)).toBe(true);
    const plainId = bits.find((b) => !b.source.url!.includes('?tag='))!.id;
    const taggedId = bits.find((b) => b.source.url!.includes('?tag='))!.id;
    expect(node(g, 'app@0.1.0').deps.map((e) => e.to)).toContain(plainId);
    expect(node(g, `dev@1.0.0@git:${HASH_B}`).deps.map((e) => e.to)).toEqual([taggedId]);
  });

  it('matches percent-encoded v4 git sources in dependency strings', () => {
    const enc = 'https://github.com/o/r?branch=a-_%2B';
    const lock = [
      local('app', '0.1.0', [`x 1.0.0 (git+https://github.com/o/r?branch=a-_+)`]),
      git('x', '1.0.0', enc, HASH_A),
      git('x', '1.0.0', 'https://github.com/o/other', HASH_B),
    ];
    const g = graphOf(lock, { '': pkg('app', '0.1.0', '[dependencies]\nx = { git = "https://github.com/o/r" }\n') });
    expect(edges(g, 'app@0.1.0')).toEqual([`normal:x@1.0.0@git:${HASH_A}`]);
    expect(node(g, `x@1.0.0@git:${HASH_A}`).source.url).toContain('%2B');
  });
});

describe('[patch] and [replace]', () => {
  it('reads git sources patched in from an included cargo config, and path patches from Cargo.toml', () => {
    const manifests = {
      '': pkg(
        'app',
        '0.1.0',
        '[dependencies]\nembassy = "0.8"\nfoo = "1"\n[patch.crates-io]\nfoo = { path = "vendor/foo" }\n',
      ),
      'vendor/foo': pkg('foo', '1.0.0', '[build-dependencies]\ncc = "1"\n[dev-dependencies]\ntempfile = "3"\n'),
    };
    const config = [
      {
        fileName: 'patches.toml',
        text: '[patch.crates-io]\nembassy = { git = "https://github.com/fork/embassy", rev = "aaaa" }\n',
      },
      { fileName: '.cargo/config.toml', text: 'include = ["../patches.toml"]\n' },
    ];
    const lock = [
      local('app', '0.1.0', ['embassy', 'foo']),
      git('embassy', '0.8.0', 'https://github.com/fork/embassy?rev=aaaa', HASH_A),
      local('foo', '1.0.0', ['cc']),
      reg('cc', '1.0.0'),
    ];
    const g = graphOf(lock, manifests, { config });
    expect(node(g, `embassy@0.8.0@git:${HASH_A}`)).toMatchObject({
      firstParty: true,
      workspaceMember: false,
      source: { kind: 'git' },
    });
    expect(node(g, 'foo@1.0.0')).toMatchObject({
      firstParty: true,
      workspaceMember: false,
      source: { kind: 'path', url: 'vendor/foo' },
    });
    expect(edges(g, 'app@0.1.0')).toEqual([`normal:embassy@0.8.0@git:${HASH_A}`, 'normal:foo@1.0.0']);
    expect(edges(g, 'foo@1.0.0')).toEqual(['build:cc@1.0.0']);
  });

  it('follows a [replace] recorded in Cargo.lock and drops the replaced registry package', () => {
    const lock = [
      'version = 3',
      '',
      '[[package]]',
      'name = "app"',
      'version = "0.1.0"',
      'dependencies = [',
      ` "foo 1.0.0 (${DEFAULT_REGISTRY})",`,
      ']',
      '',
      '[[package]]',
      'name = "foo"',
      'version = "1.0.0"',
      `source = "${DEFAULT_REGISTRY}"`,
      `replace = "foo 1.0.0 (git+https://x/foo#${HASH_A})"`,
      '',
      '[[package]]',
      'name = "foo"',
      'version = "1.0.0"',
      `source = "git+https://x/foo#${HASH_A}"`,
      '',
    ].join('\n');
    const g = graphOf(lock, {
      '': pkg('app', '0.1.0', '[dependencies]\nfoo = "1"\n[replace]\n"foo:1.0.0" = { git = "https://x/foo" }\n'),
    });
    expect(edges(g, 'app@0.1.0')).toEqual([`normal:foo@1.0.0@git:${HASH_A}`]);
    expect(g.nodes.filter((n) => n.name === 'foo').map((n) => n.source.kind)).toEqual(['git']);
  });
});

describe('what cargo metadata leaves out', () => {
  const lock = [
    local('app', '0.1.0', ['cxx', 'strsim']),
    reg('cxx', '1.0.0', ['cxxbridge-cmd']),
    reg('cxxbridge-cmd', '1.0.0', ['clap']),
    reg('clap', '4.0.0', ['clap_lex', 'strsim']),
    reg('clap_lex', '1.0.0'),
    reg('strsim', '0.11.0'),
  ];
  const manifests = { '': pkg('app', '0.1.0', '[dependencies]\ncxx = "1"\nstrsim = "0.11"\n') };

  it('drops edges to crates without a library target and what is reachable only through them', () => {
    const crateFacts = staticCrateFacts({ 'cxxbridge-cmd': { hasLib: false } });
    const g = graphOf(lock, manifests, { crateFacts });
    expect(g.nodes.map((n) => n.id)).toEqual(['app@0.1.0', 'cxx@1.0.0', 'strsim@0.11.0']);
    expect(edges(g, 'cxx@1.0.0')).toEqual([]);
    expect(g.warnings.join()).toMatch(
      /3 Cargo\.lock package\(s\) not in the build graph: clap 4\.0\.0, clap_lex 1\.0\.0, cxxbridge-cmd 1\.0\.0/,
    );
  });

  it('keeps everything when no provider answers hasLib = false', () => {
    expect(graphOf(lock, manifests).nodes).toHaveLength(6);
    expect(graphOf(lock, manifests, { crateFacts: () => undefined }).nodes).toHaveLength(6);
  });

  it('filters platform-specific edges when build.target is configured', () => {
    const m = {
      '': pkg(
        'app',
        '0.1.0',
        [
          "[target.'cfg(windows)'.dependencies]",
          'winapi = "0.3"',
          "[target.'cfg(unix)'.dependencies]",
          'libc = "0.2"',
          '[target.x86_64-pc-windows-msvc.dependencies]',
          'w2 = "1"',
          '[dependencies]',
          'getrandom = "0.2"',
        ].join('\n'),
      ),
    };
    const l = [
      local('app', '0.1.0', ['getrandom', 'libc', 'w2', 'winapi']),
      reg('getrandom', '0.2.0', ['libc', 'wasi']),
      reg('libc', '0.2.0'),
      reg('w2', '1.0.0'),
      reg('wasi', '0.11.0'),
      reg('winapi', '0.3.9'),
    ];
    const published =
      '[package]\nname = "getrandom"\nversion = "0.2.0"\n[target.\'cfg(unix)\'.dependencies]\nlibc = "0.2"\n[target.\'cfg(target_os = "wasi")\'.dependencies]\nwasi = "0.11"\n';
    const crateFacts = staticCrateFacts({ getrandom: { hasLib: true, manifest: published } });
    const ids = (g: DependencyGraph) => g.nodes.map((n) => n.id);

    expect(ids(graphOf(l, m, { crateFacts }))).toHaveLength(6);
    const linux = graphOf(l, m, { crateFacts, config: '[build]\ntarget = "x86_64-unknown-linux-gnu"\n' });
    expect(ids(linux)).toEqual(['app@0.1.0', 'getrandom@0.2.0', 'libc@0.2.0']);
    expect(linux.warnings.join()).toMatch(/build\.target = x86_64-unknown-linux-gnu/);
    const windows = graphOf(l, m, {
      crateFacts,
      config: '[build]\ntarget = "x86_64-unknown-linux-gnu"\n',
      buildTarget: 'x86_64-pc-windows-msvc',
    });
    expect(ids(windows)).toEqual(['app@0.1.0', 'getrandom@0.2.0', 'w2@1.0.0', 'winapi@0.3.9']);
  });
});

describe('errors', () => {
  function thrown(f: () => unknown): VetError {
    try {
      f();
    } catch (e) {
      if (e instanceof VetError) return e;
      throw e;
    }
    throw new Error('expected a VetError');
  }

  it('reports unresolvable and ambiguous dependency strings with the package line', () => {
    const text = lockText([local('app', '0.1.0', ['missing', 'serde']), reg('serde', '0.9.0'), reg('serde', '1.0.0')]);
    const e = thrown(() => graphOf(text, { '': pkg('app') })) as VetError & {
      problems: { line?: number; message: string }[];
    };
    expect(e.code).toBe('PARSE_ERROR');
    expect(e.file).toBe('Cargo.lock');
    expect(e.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/"missing" matches no \[\[package\]\]/),
      expect.stringMatching(/"serde" is ambiguous/),
    ]);
    expect(e.problems[0]?.line).toBe(5);
  });

  it('needs the root manifest and reports bad manifests with their file', () => {
    expect(thrown(() => graphOf([local('app', '0.1.0')], {})).code).toBe('INVALID_ARGUMENT');
    const bad = thrown(() => graphOf([local('app', '0.1.0')], { '': pkg('app'), sub: '[package]\nname = 1\n' }));
    expect(bad).toMatchObject({ code: 'PARSE_ERROR', file: 'sub/Cargo.toml', line: 2 });
  });
});
