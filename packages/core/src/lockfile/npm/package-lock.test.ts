import { describe, expect, it } from 'vitest';
import { computeDevOnly } from './dev-only.js';
import { parsePackageLock } from './package-lock.js';
import type { VetValidationError } from '../../errors.js';
import { edges, node, thirdPartyIds, vetErrorOf } from './__fixtures__/helpers.js';

const SHA512 = 'sha512-' + 'A'.repeat(86) + '==';

/** A v3 workspace project exercising aliases, git, file, bundled, nested and link entries. */
const V3 = JSON.stringify(
  {
    name: 'root',
    lockfileVersion: 3,
    packages: {
      '': {
        name: 'root',
        version: '1.0.0',
        workspaces: ['packages/*'],
        dependencies: { a: '^1.0.0', 'sw-cjs': 'npm:string-width@^4', local: 'file:../local' },
        devDependencies: { d: '^1.0.0' },
      },
      'packages/app': {
        name: 'app',
        version: '0.1.0',
        dependencies: { a: '^2.0.0', lib: '*' },
        devDependencies: { g: 'x' },
      },
      'packages/lib': { name: 'lib', version: '0.2.0' },
      'node_modules/app': { resolved: 'packages/app', link: true },
      'node_modules/lib': { resolved: 'packages/lib', link: true },
      'node_modules/local': { resolved: '../local', link: true },
      '../local': { name: 'local', version: '3.0.0' },
      'node_modules/a': {
        version: '1.0.0',
        resolved: 'https://registry.npm.invalid/a/-/a-1.0.0.tgz',
        integrity: `${SHA512} sha1-AAAAAAAAAAAAAAAAAAAAAAAAAAA=`,
        dependencies: { b: '^1.0.0' },
        hasInstallScript: true,
        deprecated: 'use c',
      },
      'node_modules/b': { version: '1.0.0', integrity: SHA512, dependencies: { bundled: '1' } },
      'node_modules/b/node_modules/bundled': { version: '1.0.0', inBundle: true },
      'packages/app/node_modules/a': { version: '2.0.0', integrity: SHA512, dependencies: { b: '^1.0.0' } },
      'node_modules/sw-cjs': { name: 'string-width', version: '4.2.3', integrity: SHA512 },
      'node_modules/d': { version: '1.0.0', dev: true, dependencies: { e: '1', f: '1' } },
      'node_modules/e': {
        version: '1.0.0',
        dev: true,
        resolved: 'git+ssh://git@github.com/o/e.git#0123456789abcdef0123456789abcdef01234567',
      },
      'node_modules/f': { version: '1.0.0', devOptional: true },
      'node_modules/g': { version: '5.0.0', dev: true, resolved: 'https://example.invalid/g.tgz' },
    },
  },
  null,
  2,
);

describe('parsePackageLock v3', () => {
  const g = parsePackageLock(V3, 'package-lock.json');

  it('makes one node per distinct third-party name@version, keeping every path', () => {
    expect(g.format).toBe('package-lock v3');
    expect(thirdPartyIds(g)).toEqual([
      'a@1.0.0',
      'a@2.0.0',
      'b@1.0.0',
      'bundled@1.0.0',
      'd@1.0.0',
      'e@1.0.0 (git+ssh://git@github.com/o/e.git#0123456789abcdef0123456789abcdef01234567)',
      'f@1.0.0',
      'g@5.0.0 (https://example.invalid/g.tgz)',
      'string-width@4.2.3',
    ]);
    expect(g.warnings).toEqual([]);
  });

  it('creates first-party nodes for the root, workspace members and file: folders', () => {
    expect(node(g, 'workspace:.')).toMatchObject({
      name: 'root',
      firstParty: true,
      workspaceMember: true,
      source: { kind: 'workspace' },
    });
    expect(node(g, 'workspace:packages/app')).toMatchObject({ name: 'app', version: '0.1.0', workspaceMember: true });
    expect(node(g, 'file:../local')).toMatchObject({
      name: 'local',
      firstParty: true,
      workspaceMember: false,
      source: { kind: 'file' },
    });
  });

  it('resolves dependencies by node_modules lookup from the dependent install path', () => {
    expect(edges(g, 'workspace:.')).toEqual([
      'a@1.0.0:normal',
      'd@1.0.0:dev',
      'file:../local:normal',
      'string-width@4.2.3:normal:sw-cjs',
    ]);
    // packages/app finds its own nested a@2 first, and the lib workspace through its link.
    expect(edges(g, 'workspace:packages/app')).toEqual([
      'a@2.0.0:normal',
      'g@5.0.0 (https://example.invalid/g.tgz):dev',
      'workspace:packages/lib:normal',
    ]);
    expect(edges(g, 'b@1.0.0')).toEqual(['bundled@1.0.0:normal']);
  });

  it('classifies sources, hashes and flags', () => {
    const a = node(g, 'a@1.0.0');
    expect(a.source).toEqual({ kind: 'registry', url: 'https://registry.npm.invalid/a/-/a-1.0.0.tgz' });
    expect(a.integrity.map((i) => i.algo)).toEqual(['sha512', 'sha1']);
    expect(a.integrity[0]).toMatchObject({ encoding: 'base64', covers: 'npm-tarball' });
    expect(a).toMatchObject({ hasInstallScript: true, deprecated: 'use c', lockfileDev: false });
    expect(node(g, 'bundled@1.0.0').source.kind).toBe('bundled');
    const e = g.nodes.find((n) => n.name === 'e');
    expect(e?.source).toMatchObject({ kind: 'git', commit: '0123456789abcdef0123456789abcdef01234567' });
    expect(e?.firstParty).toBe(false);
    expect(g.nodes.find((n) => n.name === 'g')?.source.kind).toBe('tarball');
    // devOptional is prod (optional), never dev.
    expect(node(g, 'f@1.0.0').lockfileDev).toBe(false);
    expect(node(g, 'd@1.0.0').lockfileDev).toBe(true);
  });

  it('keeps all install paths of a package', () => {
    expect(node(g, 'b@1.0.0').paths).toEqual(['node_modules/b']);
    expect(node(g, 'string-width@4.2.3').paths).toEqual(['node_modules/sw-cjs']);
  });

  it('walks dev-only from workspace members', () => {
    const dev = computeDevOnly(g);
    expect(dev.get('a@1.0.0')).toBe(false);
    expect(dev.get('d@1.0.0')).toBe(true);
    expect(dev.get('f@1.0.0')).toBe(true); // only d needs it here
    expect(dev.get('workspace:packages/lib')).toBe(false);
  });
});

describe('parsePackageLock v2', () => {
  it('reads only `packages`, never the legacy `dependencies` tree as well', () => {
    const text = JSON.stringify({
      lockfileVersion: 2,
      packages: { '': { dependencies: { a: '1' } }, 'node_modules/a': { version: '1.0.0' } },
      dependencies: { a: { version: '1.0.0' }, ghost: { version: '9.9.9' } },
    });
    const g = parsePackageLock(text, 'npm-shrinkwrap.json');
    expect(g.format).toBe('npm-shrinkwrap v2');
    expect(thirdPartyIds(g)).toEqual(['a@1.0.0']);
  });
});

const V1 = JSON.stringify(
  {
    name: 'old',
    version: '1.0.0',
    lockfileVersion: 1,
    requires: true,
    dependencies: {
      a: {
        version: '1.0.0',
        integrity: SHA512,
        requires: { b: '^2.0.0' },
        dependencies: { b: { version: '2.0.0', integrity: SHA512 } },
      },
      b: { version: '1.0.0', integrity: SHA512 },
      'sw-cjs': { version: 'npm:string-width@4.2.3', integrity: SHA512 },
      cfg: { version: 'github:o/cfg#45c19536db34e7005a50b435582692886322ab36', from: 'github:o/cfg#master', dev: true },
      fsevents: {
        version: '1.2.12',
        dev: true,
        optional: true,
        requires: { abbrev: '1' },
        dependencies: { abbrev: { version: '1.1.1', bundled: true, dev: true, optional: true } },
      },
    },
  },
  null,
  2,
);

describe('parsePackageLock v1', () => {
  const manifest = {
    name: 'old',
    dependencies: { a: '^1', b: '^1', 'sw-cjs': 'npm:string-width@^4' },
    devDependencies: { cfg: 'github:o/cfg', fsevents: '^1' },
  };
  const g = parsePackageLock(V1, 'package-lock.json', { '': manifest });

  it('flattens the nested tree and resolves `requires` through nested node_modules', () => {
    expect(g.format).toBe('package-lock v1');
    expect(edges(g, 'a@1.0.0')).toEqual(['b@2.0.0:normal']);
    expect(node(g, 'b@2.0.0').paths).toEqual(['node_modules/a/node_modules/b']);
    expect(edges(g, 'fsevents@1.2.12')).toEqual(['abbrev@1.1.1:normal']);
  });

  it('reads aliases from `npm:` versions and git specs from `version`', () => {
    expect(node(g, 'string-width@4.2.3').paths).toEqual(['node_modules/sw-cjs']);
    const cfg = g.nodes.find((n) => n.name === 'cfg');
    expect(cfg?.source).toMatchObject({ kind: 'git', commit: '45c19536db34e7005a50b435582692886322ab36' });
    expect(node(g, 'abbrev@1.1.1').source.kind).toBe('bundled');
  });

  it('takes root edges from package.json, and from top-level flags without it', () => {
    expect(edges(g, 'workspace:.')).toEqual([
      'a@1.0.0:normal',
      'b@1.0.0:normal',
      // A v1 git dependency is stored under its commit, as cargo-vet stores git crates (issue 10).
      'cfg@0.0.0@git:45c19536db34e7005a50b435582692886322ab36 (github:o/cfg#45c19536db34e7005a50b435582692886322ab36):dev',
      'fsevents@1.2.12:dev',
      'string-width@4.2.3:normal:sw-cjs',
    ]);
    const bare = parsePackageLock(V1, 'package-lock.json');
    expect(bare.warnings.join()).toMatch(/without package.json/);
    expect(edges(bare, 'workspace:.')).toEqual(edges(g, 'workspace:.'));
  });
});

describe('parsePackageLock errors', () => {
  it('reports bad JSON as PARSE_ERROR with the line', () => {
    const err = vetErrorOf(() =>
      parsePackageLock('{\n  "lockfileVersion": 3,\n  "packages": {\n    "": {}\n  },,\n}', 'package-lock.json'),
    );
    expect(err.code).toBe('PARSE_ERROR');
    expect(err.file).toBe('package-lock.json');
    expect(err.line).toBe(5);
  });

  it('reports an unknown lockfileVersion as UNSUPPORTED_LOCKFILE at its line', () => {
    const err = vetErrorOf(() =>
      parsePackageLock('{\n  "name": "x",\n  "lockfileVersion": 7,\n  "packages": {}\n}', 'package-lock.json'),
    );
    expect(err.code).toBe('UNSUPPORTED_LOCKFILE');
    expect(err.line).toBe(3);
  });

  it('rejects a non-object document and names every entry of the wrong shape', () => {
    expect(vetErrorOf(() => parsePackageLock('[1, 2]', 'p.json')).code).toBe('PARSE_ERROR');
    const text = JSON.stringify(
      { lockfileVersion: 3, packages: { '': 5, 'node_modules/x': 'oops', 'node_modules/y': { version: 1 } } },
      null,
      2,
    );
    const e = vetErrorOf(() => parsePackageLock(text, 'p.json'));
    expect(e.code).toBe('PARSE_ERROR');
    expect((e as VetValidationError).problems).toEqual([
      { file: 'p.json', line: 4, message: '`packages[""]` must be an object, found a number' },
      { file: 'p.json', line: 5, message: '`packages["node_modules/x"]` must be an object, found a string' },
      { file: 'p.json', line: 6, message: '`packages["node_modules/y"].version` must be a string, found a number' },
    ]);
  });

  // Issue 10: this said "unsupported lockfileVersion 3" with the hint "vet reads lockfileVersion 1, 2 and 3".
  it.each([
    ['{"lockfileVersion":3,"packages":[1,2,3]}', '`packages` must be an object, found an array'],
    ['{"lockfileVersion":2,"packages":"x"}', '`packages` must be an object, found a string'],
    ['{"lockfileVersion":3}', '`packages` is missing (lockfileVersion 3 keeps every package there)'],
    ['{"lockfileVersion":1,"dependencies":[1]}', '`dependencies` must be an object, found an array'],
    ['{"lockfileVersion":1,"dependencies":{"a":{"requires":[],"dependencies":{"b":3}}}}', '2 problems found'],
  ])('%s: says what is wrong and where', (text, message) => {
    const e = vetErrorOf(() => parsePackageLock(text, 'package-lock.json'));
    expect(e.code).toBe('PARSE_ERROR');
    expect(e.file).toBe('package-lock.json');
    expect(e.line).toBe(1);
    expect(e.message).toBe(message);
    expect(e.message).not.toContain('unsupported');
  });
});
