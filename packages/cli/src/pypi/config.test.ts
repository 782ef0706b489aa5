import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NO_INDEX_HINT, loadPypiIndex, parseIni, pypiConfigCandidates, resolvePypiIndex } from './config.js';
import { askPythonToolsForIndex, pipHelpIndex, uvHelpIndex } from './tool-defaults.js';

describe('PyPI index configuration', () => {
  const pip = (text: string) => ({ path: '/home/u/.config/pip/pip.conf', kind: 'pip' as const, text });

  it('PIP_INDEX_URL beats UV_* and every file; a slash is appended', () => {
    const r = resolvePypiIndex(
      { PIP_INDEX_URL: 'https://a.example/simple', UV_DEFAULT_INDEX: 'https://b.example/simple/' },
      [pip('[global]\nindex-url = https://c.example/simple/')],
    );
    expect(r).toEqual({ indexUrl: 'https://a.example/simple/', from: 'PIP_INDEX_URL', extraIndexUrls: [] });
    expect(resolvePypiIndex({ UV_INDEX_URL: 'https://u.example/s/' }, []).from).toBe('UV_INDEX_URL');
  });

  it('[install] beats [global] in pip.conf; index_url spelling works; earlier files win', () => {
    expect(
      resolvePypiIndex({}, [
        pip('[global]\nindex_url = https://g.example/\n[install]\nindex-url: https://i.example/\n'),
      ]).indexUrl,
    ).toBe('https://i.example/');
    expect(
      resolvePypiIndex({}, [pip('# nothing\n'), pip('[global]\nindex-url=https://second.example/x')]).indexUrl,
    ).toBe('https://second.example/x/');
  });

  it('uv.toml [[index]] default and pyproject [tool.uv] index-url', () => {
    const uv = {
      path: 'uv.toml',
      kind: 'uv' as const,
      text: '[[index]]\nname = "a"\nurl = "https://a.example/simple"\n[[index]]\nname = "b"\nurl = "https://b.example/simple"\ndefault = true\n',
    };
    expect(resolvePypiIndex({}, [uv]).indexUrl).toBe('https://b.example/simple/');
    const py = {
      path: 'pyproject.toml',
      kind: 'pyproject' as const,
      text: '[tool.uv]\nindex-url = "https://p.example/simple/"\n',
    };
    expect(resolvePypiIndex({}, [py]).indexUrl).toBe('https://p.example/simple/');
  });

  it('no configuration is an error with a hint, never a built-in host', () => {
    expect(() => resolvePypiIndex({}, [])).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => resolvePypiIndex({ PIP_INDEX_URL: 'ftp://x/' }, [])).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });

  it('PIP_CONFIG_FILE comes first, then the virtualenv, user and global files', () => {
    const c = pypiConfigCandidates({
      env: { PIP_CONFIG_FILE: '/tmp/p.conf', VIRTUAL_ENV: '/venv' },
      home: '/h',
      cwd: '/proj',
    });
    expect(c.slice(0, 4).map((x) => x.path)).toEqual([
      '/tmp/p.conf',
      '/venv/pip.conf',
      '/h/.config/pip/pip.conf',
      '/h/.pip/pip.conf',
    ]);
    expect(c.map((x) => x.path)).toContain('/proj/uv.toml');
    expect(parseIni('[Global]\nTimeout = 5\n').get('global')?.get('timeout')).toBe('5');
  });

  it('extra indexes: PIP_EXTRA_INDEX_URL beats files; a list is space-separated; the primary is not repeated', () => {
    const r = resolvePypiIndex(
      {
        PIP_INDEX_URL: 'https://a.example/simple/',
        PIP_EXTRA_INDEX_URL: 'https://x.example/simple  https://a.example/simple/ https://y.example/s',
      },
      [pip('[global]\nextra-index-url = https://file.example/simple/\n')],
    );
    expect(r.extraIndexUrls).toEqual(['https://x.example/simple/', 'https://y.example/s/']);
    expect(
      resolvePypiIndex({ PIP_INDEX_URL: 'https://a.example/', UV_INDEX: 'https://u.example/simple' }, [])
        .extraIndexUrls,
    ).toEqual(['https://u.example/simple/']);
  });

  it('pip.conf extra-index-url over continuation lines, [install] over [global], from the first file that sets it', () => {
    const conf =
      '[global]\nextra-index-url = https://g.example/\n[install]\nindex-url = https://i.example/simple/\nextra-index-url =\n    https://one.example/simple/\n    https://two.example/simple/\ntimeout = 5\n';
    const r = resolvePypiIndex({}, [pip(conf), pip('[global]\nextra-index-url = https://later.example/\n')]);
    expect(r).toEqual({
      indexUrl: 'https://i.example/simple/',
      from: '/home/u/.config/pip/pip.conf',
      extraIndexUrls: ['https://one.example/simple/', 'https://two.example/simple/'],
    });
    expect(parseIni(conf).get('install')?.get('timeout')).toBe('5');
  });

  it('uv.toml: [[index]] entries other than the default, then extra-index-url, are the extras', () => {
    const uv = {
      path: 'uv.toml',
      kind: 'uv' as const,
      text: 'extra-index-url = ["https://e.example/simple"]\n[[index]]\nname = "corp"\nurl = "https://corp.example/simple"\n[[index]]\nname = "main"\nurl = "https://main.example/simple"\ndefault = true\n',
    };
    expect(resolvePypiIndex({}, [uv])).toEqual({
      indexUrl: 'https://main.example/simple/',
      from: 'uv.toml',
      extraIndexUrls: ['https://corp.example/simple/', 'https://e.example/simple/'],
    });
  });

  it('a malformed uv.toml names the file and line', () => {
    const uv = { path: '/proj/uv.toml', kind: 'uv' as const, text: 'index-url = "https://a.example/"\n[[index]\n' };
    expect(() => resolvePypiIndex({}, [uv])).toThrow(
      expect.objectContaining({ code: 'PARSE_ERROR', file: '/proj/uv.toml', line: 2 }),
    );
  });

  it('a broken file below the one that answers is never parsed', () => {
    const good = pip('[global]\nindex-url = https://a.example/simple/\nextra-index-url = https://x.example/\n');
    const broken = { path: '/etc/uv/uv.toml', kind: 'uv' as const, text: 'index-url = [' };
    expect(resolvePypiIndex({}, [good, broken]).extraIndexUrls).toEqual(['https://x.example/']);
    expect(() => resolvePypiIndex({}, [broken, good])).toThrow(
      expect.objectContaining({ code: 'PARSE_ERROR', file: '/etc/uv/uv.toml' }),
    );
  });
});

describe('the index pip or uv says it uses', () => {
  it('reads pip’s effective --index-url from its help, however it is wrapped', () => {
    const help = [
      'Package Index Options:',
      '  -i, --index-url <url>       Base URL of the Python Package Index (default',
      '                              https://index.registry.example/simple). This should point to a',
      '                              repository compliant with PEP 503 (the simple',
      '  --extra-index-url <url>     Extra URLs of package indexes to use in addition',
    ].join('\n');
    expect(pipHelpIndex(help)).toBe('https://index.registry.example/simple');
    expect(pipHelpIndex('Usage: pip download\n  --no-index  Ignore package index\n')).toBeUndefined();
    expect(pipHelpIndex('--index-url <url> Base URL (default file:///wheels).')).toBeUndefined();
  });

  it('reads uv’s default index from the help of --default-index', () => {
    const help = [
      'Index options:',
      '      --index <INDEX>                        The URLs to use when resolving dependencies, in addition',
      '                                             to the default index [env: UV_INDEX=]',
      '      --default-index <DEFAULT_INDEX>        The URL of the default package index (by default:',
      '                                             <https://index.registry.example/simple>) [env:',
      '                                             UV_DEFAULT_INDEX=]',
    ].join('\n');
    expect(uvHelpIndex(help)).toBe('https://index.registry.example/simple');
  });

  it('asks pip3, pip, python3 -m pip, python -m pip, then uv; the first answer wins', async () => {
    const asked: string[] = [];
    const run = (cmd: string, args: string[]) => {
      asked.push([cmd, ...args].join(' '));
      if (cmd === 'python3')
        return Promise.resolve('--index-url <url> x (default https://py.registry.example/simple).');
      return Promise.resolve(undefined);
    };
    expect(await askPythonToolsForIndex('/', {}, run)).toEqual({
      indexUrl: 'https://py.registry.example/simple',
      from: 'python3 -m pip (its default index)',
    });
    expect(asked).toEqual(['pip3 download --help', 'pip download --help', 'python3 -m pip download --help']);
    const uvOnly = (cmd: string) =>
      Promise.resolve(
        cmd === 'uv'
          ? '--default-index <DEFAULT_INDEX> The URL (by default: <https://uv.registry.example/simple>)'
          : undefined,
      );
    expect((await askPythonToolsForIndex('/', {}, uvOnly))?.indexUrl).toBe('https://uv.registry.example/simple');
    expect(await askPythonToolsForIndex('/', {}, () => Promise.resolve(undefined))).toBeUndefined();
  });

  it('configuration wins; with none, the tools’ answer; with no tool, an error naming the setting', async () => {
    const home = mkdtempSync(join(tmpdir(), 'vet-pip-home-'));
    try {
      const opts = { env: {}, home, cwd: home };
      let asked = 0;
      const tool = () => (asked++, Promise.resolve({ indexUrl: 'https://t.registry.example/simple', from: 'pip' }));
      expect(
        await loadPypiIndex({ ...opts, env: { PIP_INDEX_URL: 'https://c.registry.example/s' }, askTools: tool }),
      ).toMatchObject({
        indexUrl: 'https://c.registry.example/s/',
      });
      expect(asked).toBe(0);
      expect(await loadPypiIndex({ ...opts, askTools: tool })).toEqual({
        indexUrl: 'https://t.registry.example/simple/',
        from: 'pip',
        extraIndexUrls: [],
      });
      await expect(loadPypiIndex({ ...opts, askTools: () => Promise.resolve(undefined) })).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
        hint: NO_INDEX_HINT,
        details: { setting: 'PIP_INDEX_URL' },
      });
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
