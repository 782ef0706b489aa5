import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { VetError } from '../errors.js';
import { detectNpmLockfile, readNpmLockfile } from './npm-lockfile.js';
import { edges, thirdPartyIds } from '../lockfile/npm/__fixtures__/helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Write an inline `{relative path: content}` tree into a fresh temp dir. */
function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vet-npm-read-'));
  dirs.push(dir);
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}

async function rejection(p: Promise<unknown>): Promise<VetError> {
  try {
    await p;
  } catch (e) {
    return e as VetError;
  }
  throw new Error('expected a rejection');
}

describe('detectNpmLockfile', () => {
  it('prefers shrinkwrap > package-lock > pnpm > yarn > bun', () => {
    const names = ['bun.lock', 'yarn.lock', 'pnpm-lock.yaml', 'package-lock.json', 'npm-shrinkwrap.json'];
    const files = Object.fromEntries(names.map((n) => [n, '']));
    const dir = tree(files);
    for (const expected of [...names].reverse()) {
      expect(detectNpmLockfile(dir)).toBe(path.join(dir, expected));
      rmSync(path.join(dir, expected));
    }
    expect(detectNpmLockfile(dir)).toBeUndefined();
  });
});

describe('readNpmLockfile', () => {
  it('reads yarn v1 with workspace manifests found through the root globs', async () => {
    const dir = tree({
      'package.json': JSON.stringify({
        name: 'root',
        private: true,
        workspaces: ['packages/*'],
        devDependencies: { a: '^1' },
      }),
      'packages/one/package.json': JSON.stringify({ name: 'one', dependencies: { b: '^2' } }),
      'packages/no-manifest/readme.md': 'not a workspace',
      'node_modules/ignored/package.json': '{}',
      'yarn.lock': '# yarn lockfile v1\n\na@^1:\n  version "1.0.0"\n\nb@^2:\n  version "2.0.0"\n',
    });
    const g = await readNpmLockfile(path.join(dir, 'yarn.lock'));
    expect(g.format).toBe('yarn v1');
    expect(
      g.nodes
        .filter((n) => n.workspaceMember)
        .map((n) => n.id)
        .sort(),
    ).toEqual(['workspace:.', 'workspace:packages/one']);
    expect(edges(g, 'workspace:packages/one')).toEqual(['b@2.0.0:normal']);
    expect(edges(g, 'workspace:.')).toEqual(['a@1.0.0:dev']);
  });

  it('passes the root package.json to a v1 package-lock', async () => {
    const dir = tree({
      'package.json': JSON.stringify({ name: 'app', devDependencies: { a: '^1' } }),
      'package-lock.json': JSON.stringify({ lockfileVersion: 1, dependencies: { a: { version: '1.0.0' } } }),
    });
    const g = await readNpmLockfile(path.join(dir, 'package-lock.json'));
    expect(edges(g, 'workspace:.')).toEqual(['a@1.0.0:dev']);
    expect(g.warnings).toEqual([]);
  });

  it('dispatches pnpm and bun by file name, and sniffs renamed files', async () => {
    const dir = tree({
      'pnpm-lock.yaml':
        "lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      a:\n        specifier: ^1\n        version: 1.0.0\npackages:\n  a@1.0.0:\n    resolution: {integrity: sha512-AAAA}\nsnapshots:\n  a@1.0.0: {}\n",
      'bun.lock':
        '{ "lockfileVersion": 1, "workspaces": { "": { "dependencies": { "a": "^1" } } }, "packages": { "a": ["a@1.0.0", "", {}, "sha512-AAAA"] } }',
      'copy.lock': '# yarn lockfile v1\n\na@^1:\n  version "1.0.0"\n',
    });
    expect(thirdPartyIds(await readNpmLockfile(path.join(dir, 'pnpm-lock.yaml')))).toEqual(['a@1.0.0']);
    expect(thirdPartyIds(await readNpmLockfile(path.join(dir, 'bun.lock')))).toEqual(['a@1.0.0']);
    expect((await readNpmLockfile(path.join(dir, 'copy.lock'))).format).toBe('yarn v1');
  });

  it('fails with clear codes: missing file, bun.lockb, broken manifest', async () => {
    const dir = tree({
      'bun.lockb': '\u0000binary',
      'sub/package.json': '{ broken',
      'sub/package-lock.json': '{"lockfileVersion":3,"packages":{}}',
    });
    expect((await rejection(readNpmLockfile(path.join(dir, 'nope/package-lock.json')))).code).toBe(
      'LOCKFILE_NOT_FOUND',
    );
    const lockb = await rejection(readNpmLockfile(path.join(dir, 'bun.lockb')));
    expect(lockb.code).toBe('UNSUPPORTED_LOCKFILE');
    expect(lockb.hint).toMatch(/save-text-lockfile/);
    const manifest = await rejection(readNpmLockfile(path.join(dir, 'sub/package-lock.json')));
    expect(manifest).toMatchObject({ code: 'PARSE_ERROR', file: path.join(dir, 'sub/package.json'), line: 1 });
  });
});
