import { describe, expect, it } from 'vitest';
import { parseUvLock } from './uv.js';
import { edgeKind, errorOf, node, thirdParty } from './__fixtures__/helpers.js';

const H = (c: string) => c.repeat(64);
const REG = 'source = { registry = "https://index.registry.example/simple" }';

const LOCK = `version = 1
revision = 3
requires-python = ">=3.10"

[manifest]
members = ["app", "core"]

[[package]]
name = "app"
source = { editable = "." }
dependencies = [{ name = "core" }, { name = "httpx" }]

[package.optional-dependencies]
email = [{ name = "email-validator" }]

[package.dev-dependencies]
dev = [
    { name = "coverage", extra = ["toml"] },
    { name = "numpy", version = "1.26.4", source = { registry = "https://index.registry.example/simple" }, marker = "python_full_version < '3.12'" },
    { name = "numpy", version = "2.0.0", source = { registry = "https://index.registry.example/simple" }, marker = "python_full_version >= '3.12'" },
    { name = "docs-theme" },
]

[[package]]
name = "core"
version = "0.1.0"
source = { editable = "core" }
[package.dev-dependencies]
dev = [{ name = "pytest" }]

[[package]]
name = "httpx"
version = "0.27.0"
${REG}
sdist = { url = "https://files.example.invalid/httpx-0.27.0.tar.gz", hash = "sha256:${H('1')}", size = 10, upload-time = "2024-02-21T13:07:52.434Z" }
wheels = [{ url = "https://files.example.invalid/httpx-0.27.0-py3-none-any.whl", hash = "sha256:${H('2')}", size = 9, upload-time = "2024-02-21T13:07:50.455Z" }]

[[package]]
name = "email-validator"
version = "2.1.0"
${REG}

[[package]]
name = "coverage"
version = "7.4.0"
${REG}
[package.optional-dependencies]
toml = [{ name = "tomli", marker = "python_full_version <= '3.11'" }]

[[package]]
name = "tomli"
version = "2.0.1"
${REG}

[[package]]
name = "pytest"
version = "8.0.0"
${REG}
dependencies = [{ name = "tomli" }]

[[package]]
name = "numpy"
version = "1.26.4"
${REG}

[[package]]
name = "numpy"
version = "2.0.0"
${REG}

[[package]]
name = "docs-theme"
version = "1.0.0"
source = { git = "https://github.com/o/docs-theme?rev=main#${'d'.repeat(40)}" }
`;

describe('parseUvLock', () => {
  const g = parseUvLock(LOCK, 'uv.lock');

  it('members are first-party roots; an editable member may have no version', () => {
    const members = g.nodes.filter((n) => n.workspaceMember).map((n) => [n.name, n.version, n.firstParty]);
    expect(members).toEqual([
      ['app', '', true],
      ['core', '0.1.0', true],
    ]);
    expect(g.format).toBe('uv.lock v1 rev 3');
  });

  it('dependencies and extras are prod, dev groups are dev, requested extras are followed', () => {
    const dev = Object.fromEntries(thirdParty(g).map((n) => [n.id, n.lockfileDev]));
    expect(dev).toMatchObject({
      'httpx@0.27.0': false,
      'email-validator@2.1.0': false,
      'coverage@7.4.0': true,
      'tomli@2.0.1': true,
      'pytest@8.0.0': true,
      'numpy@1.26.4': true,
      'numpy@2.0.0': true,
    });
    // coverage[toml] pulls tomli in through the requester's edge.
    expect(
      edgeKind(
        g.nodes.find((n) => n.name === 'app')!,
        'tomli@2.0.1',
      ),
    ).toBe('dev');
  });

  it('keeps per-file hashes with their kind and file name', () => {
    expect(node(g, 'httpx@0.27.0').integrity.map((i) => [i.covers, i.file])).toEqual([
      ['sdist', 'httpx-0.27.0.tar.gz'],
      ['wheel', 'httpx-0.27.0-py3-none-any.whl'],
    ]);
  });

  it('a git source carries its commit and no hash', () => {
    const git = g.nodes.find((n) => n.name === 'docs-theme');
    expect(git?.source).toMatchObject({ kind: 'git', commit: 'd'.repeat(40) });
    expect(git?.integrity).toEqual([]);
  });

  it('a single project without [manifest] uses its editable "." package as root', () => {
    const single = parseUvLock(
      `version = 1\n[[package]]\nname = "solo"\nversion = "1.0"\nsource = { virtual = "." }\ndependencies = [{ name = "six" }]\n[[package]]\nname = "six"\nversion = "1.16.0"\n${REG}\n`,
      'uv.lock',
    );
    expect(node(single, 'six@1.16.0').lockfileDev).toBe(false);
  });

  it('rejects a file that is not a uv.lock', () => {
    expect(errorOf(() => parseUvLock('[[package]]\nname = "x"\n', 'uv.lock')).code).toBe('PARSE_ERROR');
  });
});
