import { describe, expect, it } from 'vitest';
import { parsePylock } from './pylock.js';
import { edgeKind, errorOf, node, rootOf } from './__fixtures__/helpers.js';

const H = (c: string) => c.repeat(64);

const LOCK = `lock-version = "1.0"
created-by = "pipenv"
dependency-groups = ["dev"]
default-groups = ["default"]

[[packages]]
name = "pytz"
version = "2026.1.post1"
index = "https://index.registry.example/simple/"
wheels = [
    {name = "pytz-2026.1.post1-py3-none-any.whl", url = "https://x.invalid/pytz.whl", hashes = {sha256 = "${H('1')}"}},
    {name = "pytz-2026.1.post1-py3-none-any.whl", url = "https://x.invalid/pytz.whl", hashes = {sha256 = "${H('2')}"}},
]

[[packages]]
name = "Alabaster"
version = "1.0.0"
marker = "('dev' in dependency_groups) and (python_version >= '3.10')"
sdist = { url = "https://x.invalid/alabaster-1.0.0.tar.gz", upload-time = 2024-05-20T21:33:25Z, size = 3, hashes = { sha256 = "${H('3')}" } }

[[packages]]
name = "winonly"
version = "1.0"
marker = "sys_platform == 'win32' or 'default' in dependency_groups"

[[packages]]
name = "extra-thing"
version = "1.0"
marker = "'s3' in extras"

[[packages]]
name = "vcs-dep"
vcs = { type = "git", url = "https://github.com/o/r", commit-id = "${'c'.repeat(40)}" }

[[packages]]
name = "local"
directory = { path = "./local", editable = true }
`;

describe('parsePylock', () => {
  const g = parsePylock(LOCK, 'pylock.toml');

  it('dev-only when the marker is false for the default groups; extras and platforms stay prod', () => {
    expect(node(g, 'alabaster@1.0.0').lockfileDev).toBe(true);
    expect(edgeKind(rootOf(g), 'alabaster@1.0.0')).toBe('dev');
    expect(node(g, 'pytz@2026.1.post1').lockfileDev).toBe(false);
    expect(node(g, 'winonly@1.0').lockfileDev).toBe(false);
    expect(node(g, 'extra-thing@1.0').lockfileDev).toBe(false);
  });

  it('keeps every hash of a repeated wheel name; sdist hashes cover the sdist', () => {
    expect(node(g, 'pytz@2026.1.post1').integrity.map((i) => i.digest)).toEqual([H('1'), H('2')]);
    expect(node(g, 'alabaster@1.0.0').integrity[0]).toMatchObject({ covers: 'sdist', file: 'alabaster-1.0.0.tar.gz' });
  });

  it('vcs and directory packages get git and first-party path sources', () => {
    expect(g.nodes.find((n) => n.name === 'vcs-dep')?.source).toMatchObject({ kind: 'git', commit: 'c'.repeat(40) });
    expect(g.nodes.find((n) => n.name === 'local')?.firstParty).toBe(true);
  });

  it('a malformed marker is a PARSE_ERROR at the package', () => {
    const err = errorOf(() =>
      parsePylock(
        'lock-version = "1.0"\ncreated-by = "x"\n[[packages]]\nname = "a"\nversion = "1"\nmarker = "python_version >>"\n',
        'pylock.toml',
      ),
    );
    expect([err.code, err.line]).toEqual(['PARSE_ERROR', 4]);
  });
});
