import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectPythonLockfile, detectPythonLockfiles, readPythonLockfile } from './pypi-lockfile.js';

const H = (c: string) => c.repeat(64);
let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vet-pypi-read-'));
  const tree: Record<string, string> = {
    'req/requirements.txt': `-r ../shared/base.txt\nflask==3.0.0 --hash=sha256:${H('1')}\n`,
    'shared/base.txt': `click==\${CLICK_V} --hash=sha256:${H('2')}\n`,
    'poetry/poetry.lock':
      '[[package]]\nname = "six"\nversion = "1.16.0"\nfiles = []\n[metadata]\nlock-version = "2.0"\n',
    'poetry/pyproject.toml': '[tool.poetry.group.dev.dependencies]\nsix = "*"\n',
    'multi/Pipfile.lock': '{"_meta": {}, "default": {}}',
    'multi/uv.lock': 'version = 1\n',
    'multi/requirements/prod.txt': '',
    'none/README': 'x',
  };
  for (const [p, text] of Object.entries(tree)) {
    await mkdir(join(dir, p, '..'), { recursive: true });
    await writeFile(join(dir, p), text);
  }
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('detect and read Python lockfiles from disk', () => {
  it('lists every lockfile, most specific first', async () => {
    const found = await detectPythonLockfiles(join(dir, 'multi'));
    expect(found.map((f) => f.format)).toEqual(['uv', 'pipfile', 'requirements']);
    expect((await detectPythonLockfile(join(dir, 'multi')))?.format).toBe('uv');
    expect(await detectPythonLockfile(join(dir, 'none'))).toBeUndefined();
  });

  it('reads -r includes from disk relative to the including file, expanding ${VAR}', async () => {
    const g = await readPythonLockfile(join(dir, 'req/requirements.txt'), { env: { CLICK_V: '8.1.7' } });
    expect(
      g.nodes
        .filter((n) => !n.firstParty)
        .map((n) => n.id)
        .sort(),
    ).toEqual(['click@8.1.7', 'flask@3.0.0']);
  });

  it('reads pyproject.toml next to poetry.lock for dev groups', async () => {
    const g = await readPythonLockfile(join(dir, 'poetry/poetry.lock'));
    expect(g.nodes.find((n) => n.name === 'six')?.lockfileDev).toBe(true);
  });

  it('missing and unsupported files have their own codes', async () => {
    await expect(readPythonLockfile(join(dir, 'nope.lock'))).rejects.toMatchObject({ code: 'LOCKFILE_NOT_FOUND' });
    await expect(readPythonLockfile(join(dir, 'none/README'))).rejects.toMatchObject({ code: 'UNSUPPORTED_LOCKFILE' });
  });
});
