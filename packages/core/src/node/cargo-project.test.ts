import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { VetError } from '../errors.js';
import { HASH_A, git, local, lockText, reg } from '../lockfile/cargo/__fixtures__/builders.js';
import { readCargoProject } from './cargo-project.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Writes an inline `{path: content}` tree into a fresh temp dir. */
function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'vet-cargo-'));
  dirs.push(dir);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

const pkg = (name: string, body = '') => `[package]\nname = "${name}"\nversion = "0.1.0"\n${body}`;

describe('readCargoProject', () => {
  it('walks glob members, path dependencies, config includes, and finds the store', async () => {
    const dir = tree({
      'Cargo.lock': lockText([
        local('a', '0.1.0', ['util', 'embassy']),
        local('b', '0.1.0'),
        local('util', '0.1.0', ['log']),
        reg('log', '0.4.0'),
        git('embassy', '0.8.0', 'https://github.com/fork/embassy?rev=1', HASH_A),
      ]),
      'Cargo.toml': '[workspace]\nmembers = ["crates/*"]\n[workspace.metadata.vet]\nstore = { path = "vet-store" }\n',
      'crates/a/Cargo.toml': pkg('a', '[dependencies]\nutil = { path = "../../libs/util" }\nembassy = "0.8"\n'),
      'crates/b/Cargo.toml': pkg('b'),
      'crates/not-a-crate/README.md': 'no manifest here',
      'libs/util/Cargo.toml': pkg('util', '[build-dependencies]\nlog = "0.4"\n'),
      '.cargo/config.toml': 'include = ["../extra.toml"]\n[build]\njobs = 2\n',
      'extra.toml': '[patch.crates-io]\nembassy = { git = "https://github.com/fork/embassy", rev = "1" }\n',
    });
    const { graph, storePath } = await readCargoProject(dir);
    expect(graph.nodes.filter((n) => n.workspaceMember).map((n) => n.id)).toEqual(['a@0.1.0', 'b@0.1.0', 'util@0.1.0']);
    expect(graph.nodes.find((n) => n.id === 'util@0.1.0')?.deps).toEqual([{ to: 'log@0.4.0', kind: 'build' }]);
    expect(graph.nodes.find((n) => n.name === 'embassy')?.source.kind).toBe('git');
    expect(graph.warnings).toEqual([]);
    expect(storePath).toBe(resolve(dir, 'vet-store'));
  });

  it('reads the manifest of a path [patch] from .cargo/config.toml (paths relative to the workspace root)', async () => {
    const dir = tree({
      'Cargo.lock': lockText([local('app', '0.1.0', ['foo']), local('foo', '1.0.0', ['cc']), reg('cc', '1.0.0')]),
      'Cargo.toml': pkg('app', '[dependencies]\nfoo = "1"\n'),
      '.cargo/config.toml': '[patch.crates-io]\nfoo = { path = "vendor/foo" }\n',
      'vendor/foo/Cargo.toml': '[package]\nname = "foo"\nversion = "1.0.0"\n[build-dependencies]\ncc = "1"\n',
    });
    const { graph } = await readCargoProject(dir);
    expect(graph.nodes.find((n) => n.name === 'foo')).toMatchObject({
      workspaceMember: false,
      firstParty: true,
      source: { kind: 'path', url: 'vendor/foo' },
      deps: [{ to: 'cc@1.0.0', kind: 'build' }],
    });
    expect(graph.warnings).toEqual([]);
  });

  it('resolves a relative store.path against cwd and honours CARGO_BUILD_TARGET', async () => {
    const dir = tree({
      'Cargo.lock': lockText([local('app', '0.1.0', ['winapi']), reg('winapi', '0.3.9')]),
      'Cargo.toml': pkg(
        'app',
        '[package.metadata.vet]\nstore = { path = "./qa/supply-chain" }\n[target.\'cfg(windows)\'.dependencies]\nwinapi = "0.3"\n',
      ),
    });
    const other = tree({});
    const { graph, storePath } = await readCargoProject(dir, {
      cwd: other,
      env: { CARGO_BUILD_TARGET: 'x86_64-unknown-linux-gnu' },
    });
    expect(storePath).toBe(resolve(other, 'qa/supply-chain'));
    expect(graph.nodes.map((n) => n.id)).toEqual(['app@0.1.0']);
  });

  it('fails with LOCKFILE_NOT_FOUND / NOT_FOUND when files are missing', async () => {
    await expect(readCargoProject(tree({ 'Cargo.toml': pkg('a') }))).rejects.toMatchObject({
      code: 'LOCKFILE_NOT_FOUND',
    });
    await expect(readCargoProject(tree({ 'Cargo.lock': lockText([local('a', '0.1.0')]) }))).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    const missingInclude = tree({
      'Cargo.lock': lockText([local('a', '0.1.0')]),
      'Cargo.toml': pkg('a'),
      '.cargo/config.toml': 'include = "nope.toml"\n',
    });
    await expect(readCargoProject(missingInclude)).rejects.toBeInstanceOf(VetError);
  });
});
