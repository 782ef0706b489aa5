import { describe, expect, it } from 'vitest';
import { isDevRequirementsFile, parseRequirementsTxt } from './requirements.js';
import { edgeKind, errorOf, node, rootOf, thirdParty } from './__fixtures__/helpers.js';

const H = (c: string) => c.repeat(64);

describe('parseRequirementsTxt', () => {
  it('reads pins with several hashes, continuations and trailing comment lines', () => {
    const g = parseRequirementsTxt(
      {
        'requirements/main.txt': [
          '# header comment',
          'Django_Rest.Framework==3.12.2 \\',
          `    --hash=sha256:${H('a')} \\`,
          `    --hash=sha256:${H('b')} \\`,
          '    # via -r requirements/main.in',
          `six==1.15.0 ; python_version >= "2.7" --hash=sha512:${'c'.repeat(128)}  # inline comment`,
        ].join('\n'),
      },
      'requirements/main.txt',
    );
    const drf = node(g, 'djangorestframework@3.12.2'.replace('djangorestframework', 'django-rest-framework'));
    expect(drf.integrity.map((i) => [i.algo, i.digest, i.covers])).toEqual([
      ['sha256', H('a'), 'file'],
      ['sha256', H('b'), 'file'],
    ]);
    expect(drf.paths).toEqual(['requirements/main.txt:2']);
    expect(node(g, 'six@1.15.0').integrity[0]?.algo).toBe('sha512');
    expect(g.format).toBe('requirements.txt (hash-checking)');
    expect(g.unlocked).toEqual([]);
    expect(thirdParty(g).every((n) => n.lockfileDev === false)).toBe(true);
  });

  it('resolves -r and -c relative to the including file; constraints install nothing', () => {
    const g = parseRequirementsTxt(
      {
        'req/tests.txt': `-r ../base/common.txt\n-c constraints.txt\npytest==8.0.0 --hash=sha256:${H('1')}\n`,
        'base/common.txt': `--index-url https://example.invalid/simple\nattrs==23.1.0 --hash=sha256:${H('2')}\n`,
        'req/constraints.txt': 'urllib3<2\n',
      },
      'req/tests.txt',
    );
    expect(
      thirdParty(g)
        .map((n) => n.id)
        .sort(),
    ).toEqual(['attrs@23.1.0', 'pytest@8.0.0']);
    // tests.txt is a dev file by name, and what it includes inherits that.
    expect(edgeKind(rootOf(g), 'attrs@23.1.0')).toBe('dev');
    expect(node(g, 'attrs@23.1.0').lockfileDev).toBe(true);
  });

  it('classifies by entry file name and lets prod win for a pin in both', () => {
    const files = {
      'main.txt': `idna==3.4 --hash=sha256:${H('1')}\n`,
      'requirements-dev.txt': `idna==3.4 --hash=sha256:${H('1')}\nblack==23.1.0 --hash=sha256:${H('2')}\n`,
    };
    const g = parseRequirementsTxt(files, ['main.txt', 'requirements-dev.txt']);
    expect(node(g, 'idna@3.4').lockfileDev).toBe(false);
    expect(node(g, 'black@23.1.0').lockfileDev).toBe(true);
    expect(isDevRequirementsFile('requirements/docs.txt')).toBe(true);
    expect(isDevRequirementsFile('requirements/deploy.txt')).toBe(false);
  });

  it('reports unpinned ranges and pins without a hash in hash-checking mode as unlocked', () => {
    const g = parseRequirementsTxt({ 'r.txt': `a==1.0 --hash=sha256:${H('1')}\nb==2.0\nc>=1.0\nd\n` }, 'r.txt');
    expect(g.unlocked.map((u) => [u.requirement, u.line])).toEqual([
      ['c>=1.0', 3],
      ['d', 4],
      ['b@2.0', 2],
    ]);
    expect(node(g, 'b@2.0').integrity).toEqual([]);
  });

  it('keeps the same name twice with complementary markers (uv --universal)', () => {
    const g = parseRequirementsTxt(
      {
        'r.txt': `numpy==1.26.4 ; python_version < "3.12" --hash=sha256:${H('1')}\nnumpy==2.0.0 ; python_version >= "3.12" --hash=sha256:${H('2')}\n`,
      },
      'r.txt',
    );
    expect(thirdParty(g).map((n) => n.id)).toEqual(['numpy@1.26.4', 'numpy@2.0.0']);
  });

  it('gives VCS, URL, editable and local requirements the right source kind', () => {
    const sha = 'f'.repeat(40);
    const g = parseRequirementsTxt(
      {
        'r.txt': [
          `git+https://github.com/o/r.git@${sha}#egg=Some_Pkg`,
          `pkg @ https://files.example.invalid/pkg-1.2.tar.gz#sha256=${H('e')}`,
          '-e ./libs/local',
          './wheels/thing-0.1-py3-none-any.whl',
          'foo==${FOO_VERSION}',
        ].join('\n'),
      },
      'r.txt',
      { env: { FOO_VERSION: '4.5' } },
    );
    const git = thirdParty(g).find((n) => n.name === 'some-pkg');
    expect(git?.source).toEqual({
      kind: 'git',
      url: `git+https://github.com/o/r.git@${sha}#egg=Some_Pkg`,
      commit: sha,
    });
    expect(git?.integrity).toEqual([]);
    const url = thirdParty(g).find((n) => n.name === 'pkg');
    expect([url?.version, url?.source.kind, url?.integrity[0]?.covers, url?.integrity[0]?.file]).toEqual([
      '1.2',
      'tarball',
      'sdist',
      'pkg-1.2.tar.gz',
    ]);
    const firstParty = g.nodes.filter((n) => n.firstParty && !n.workspaceMember).map((n) => [n.name, n.source.kind]);
    expect(firstParty).toEqual(
      expect.arrayContaining([
        ['local', 'path'],
        ['thing', 'path'],
      ]),
    );
    expect(node(g, 'foo@4.5').name).toBe('foo');
    expect(g.unlocked.some((u) => u.reason.startsWith('VCS'))).toBe(true);
  });

  it('collects every problem with file and line, including a missing include and a cycle', () => {
    const err = errorOf(() =>
      parseRequirementsTxt(
        {
          'a.txt': '-r b.txt\n-r missing.txt\nfoo===\nbar==1.0 ; python_version >>> "3"\n--frobnicate\n',
          'b.txt': '-r a.txt\n',
        },
        'a.txt',
      ),
    );
    expect(err.code).toBe('PARSE_ERROR');
    expect(err.problems?.map((p) => [p.file, p.line])).toEqual([
      ['b.txt', 1],
      ['a.txt', 2],
      ['a.txt', 3],
      ['a.txt', 4],
      ['a.txt', 5],
    ]);
    expect(err.file).toBe('b.txt');
  });
});

describe('requirements.txt on hostile text (fuzz finding, issue 10)', () => {
  it('long runs of spaces cost linear time', () => {
    const text = `six==1.16.0 # pinned\n${Array.from({ length: 3000 }, (_, i) => `${' '.repeat(i)}k:\n`).join('')}`;
    const start = performance.now();
    expect(() => parseRequirementsTxt({ 'requirements.txt': text }, 'requirements.txt')).toThrow();
    expect(performance.now() - start).toBeLessThan(1500);
  });
});
