/**
 * Every lockfile in ../shared/corpus/pypi against the counts in its MANIFEST.md (counted there by
 * an independent script). Skips, saying why, when the corpus is not checked out next to the repo.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRequirementsTxt, type PythonLockGraph } from '@vet/core';
import { readPythonLockfile } from '@vet/core/node';

const CORPUS = join(__dirname, '..', '..', 'shared', 'corpus', 'pypi');
const present = existsSync(join(CORPUS, 'MANIFEST.md'));
if (!present) console.warn(`corpus-pypi: skipped, ${CORPUS} not found (the shared corpus sits next to the repo)`);

function counts(g: PythonLockGraph) {
  const tp = g.nodes.filter((n) => !n.firstParty);
  const dev = tp.filter((n) => n.lockfileDev === true).length;
  return {
    unique: new Set(tp.map((n) => `${n.name}@${n.version}`)).size,
    dev,
    prod: tp.length - dev,
    noHash: tp.filter((n) => n.integrity.length === 0).map((n) => n.name),
  };
}

describe.skipIf(!present)('PyPI corpus matches MANIFEST.md', () => {
  // [dir, lockfile, unique third-party, dev-only, prod, names with no hash]
  const table: Array<[string, string, number, number, number, string[]]> = [
    ['python-poetry__poetry', 'poetry.lock', 78, 25, 53, ['poetry-core']],
    ['pydantic__pydantic', 'uv.lock', 174, 167, 7, ['pydantic-docs']],
    ['pydantic__pydantic', '.github/actions/people/pylock.toml', 19, 0, 19, []],
    ['pypa__pipenv', 'Pipfile.lock', 105, 95, 10, []],
    ['pypa__pipenv', 'pylock.toml', 103, 102, 1, []],
  ];
  it.each(table)('%s/%s', async (dir, file, unique, dev, prod, noHash) => {
    const g = await readPythonLockfile(join(CORPUS, dir, file));
    expect(counts(g)).toEqual({ unique, dev, prod, noHash });
    // No reader-side surprises: every package is reachable and the file's own flags agree with the walk.
    expect(g.warnings).toEqual([]);
  });

  it('uv workspace: both members are first-party roots without a locked version', async () => {
    const g = await readPythonLockfile(join(CORPUS, 'pydantic__pydantic', 'uv.lock'));
    expect(g.nodes.filter((n) => n.workspaceMember).map((n) => [n.name, n.version])).toEqual([
      ['pydantic-core', ''],
      ['pydantic', ''],
    ]);
  });

  it('Pipfile.lock: 110 entries, exceptiongroup locked at two versions', async () => {
    const text = readFileSync(join(CORPUS, 'pypa__pipenv', 'Pipfile.lock'), 'utf8');
    const raw = JSON.parse(text) as Record<string, Record<string, unknown>>;
    expect(Object.keys(raw.default ?? {}).length + Object.keys(raw.develop ?? {}).length).toBe(110);
    const g = await readPythonLockfile(join(CORPUS, 'pypa__pipenv', 'Pipfile.lock'));
    const eg = g.nodes.filter((n) => n.name === 'exceptiongroup').map((n) => [n.version, n.lockfileDev]);
    expect(eg).toEqual([
      ['1.1.0', true],
      ['1.3.1', false],
    ]);
  });

  it('warehouse requirements/: 181 distinct pins from 216, dev.txt and ipython.txt reported unlocked', () => {
    const dir = join(CORPUS, 'pypa__warehouse', 'requirements');
    const files: Record<string, string> = {};
    for (const n of readdirSync(dir)) files[`requirements/${n}`] = readFileSync(join(dir, n), 'utf8');
    const entries = Object.keys(files)
      .filter((k) => k.endsWith('.txt'))
      .sort();
    // theme.txt is dev/build by the repo's convention; the default name rule would not know that.
    const g = parseRequirementsTxt(files, entries, { isDevFile: (p) => !/\/(main|deploy)\.txt$/.test(p) });
    const tp = g.nodes.filter((n) => !n.firstParty);
    expect(tp.length).toBe(181);
    expect(tp.reduce((s, n) => s + (n.paths?.length ?? 0), 0)).toBe(216);
    expect(tp.every((n) => n.integrity.length > 0)).toBe(true);
    const perFile = (f: string) =>
      tp.filter((n) => n.paths?.some((p) => p.startsWith(`requirements/${f}.txt:`))).length;
    expect(['main', 'deploy', 'tests', 'lint', 'docs', 'theme'].map(perFile)).toEqual([122, 2, 37, 27, 27, 1]);
    const hashLines = (f: string) =>
      tp
        .filter((n) => n.paths?.some((p) => p.startsWith(`requirements/${f}.txt:`)))
        .reduce((s, n) => s + n.integrity.length, 0);
    expect(hashLines('main')).toBe(676);
    const unlocked = g.unlocked.map((u) => u.file);
    expect([
      unlocked.filter((f) => f.endsWith('dev.txt')).length,
      unlocked.filter((f) => f.endsWith('ipython.txt')).length,
    ]).toEqual([4, 12]);
    // Prod = anything pinned in main.txt or deploy.txt, whatever else also pins it.
    const prodNames = new Set(tp.filter((n) => n.paths?.some((p) => /\/(main|deploy)\.txt:/.test(p))).map((n) => n.id));
    expect(
      tp
        .filter((n) => n.lockfileDev === false)
        .map((n) => n.id)
        .sort(),
    ).toEqual([...prodNames].sort());
  });
});
