import { describe, expect, it } from 'vitest';
import { parsePipfileLock } from './pipfile.js';
import { errorOf, node, thirdParty } from './__fixtures__/helpers.js';

const H = (c: string) => `sha256:${c.repeat(64)}`;

const LOCK = JSON.stringify(
  {
    _meta: {
      hash: { sha256: 'x' },
      'pipfile-spec': 6,
      requires: {},
      sources: [
        { name: 'main', url: 'https://main.registry.example/simple', verify_ssl: true },
        { name: 'corp', url: 'https://corp.registry.example/simple', verify_ssl: true },
      ],
    },
    default: {
      ExceptionGroup: { hashes: [H('1'), H('2')], version: '==1.3.1', markers: "python_version >= '3.7'" },
      pytz: { hashes: [H('3')], version: '==2024.1', index: 'corp' },
      mylib: { editable: true, path: './mylib' },
    },
    develop: {
      exceptiongroup: { hashes: [H('4')], version: '==1.1.0' },
      pytz: { hashes: [H('3')], version: '==2024.1' },
      theme: { git: 'https://github.com/o/theme.git', ref: 'a'.repeat(40) },
      floating: { hashes: [] },
    },
    docs: { sphinx: { hashes: [H('5')], version: '==7.2.6' } },
  },
  null,
  4,
);

describe('parsePipfileLock', () => {
  const g = parsePipfileLock(LOCK, 'Pipfile.lock');

  it('keys by name@version: one name at two versions in two sections is two nodes', () => {
    expect(node(g, 'exceptiongroup@1.3.1').lockfileDev).toBe(false);
    expect(node(g, 'exceptiongroup@1.1.0').lockfileDev).toBe(true);
    expect(node(g, 'exceptiongroup@1.3.1').integrity).toHaveLength(2);
  });

  it('the same name@version in default and develop is production, and remembers both sections', () => {
    const pytz = node(g, 'pytz@2024.1');
    expect(pytz.lockfileDev).toBe(false);
    expect(pytz.paths).toEqual(['Pipfile.lock#default', 'Pipfile.lock#develop']);
  });

  it('a registry package records its index: the source its "index" names, else the first source', () => {
    expect(node(g, 'pytz@2024.1').source).toEqual({ kind: 'registry', url: 'https://corp.registry.example/simple' });
    expect(node(g, 'exceptiongroup@1.3.1').source).toEqual({
      kind: 'registry',
      url: 'https://main.registry.example/simple',
    });
    const bare = parsePipfileLock('{"_meta":{},"default":{"a":{"version":"==1.0"}}}', 'Pipfile.lock');
    expect(node(bare, 'a@1.0').source).toEqual({ kind: 'registry' });
  });

  it('custom categories are dev unless named production', () => {
    expect(node(g, 'sphinx@7.2.6').lockfileDev).toBe(true);
    const g2 = parsePipfileLock(LOCK, 'Pipfile.lock', { prodSections: ['default', 'docs'] });
    expect(node(g2, 'sphinx@7.2.6').lockfileDev).toBe(false);
  });

  it('git and editable entries get their source kinds; an entry without a version is unlocked', () => {
    expect(g.nodes.find((n) => n.name === 'theme')?.source).toEqual({
      kind: 'git',
      url: 'https://github.com/o/theme.git',
      commit: 'a'.repeat(40),
    });
    expect(g.nodes.find((n) => n.name === 'mylib')?.firstParty).toBe(true);
    expect(g.unlocked.map((u) => u.requirement)).toEqual(['floating']);
    expect(thirdParty(g).map((n) => n.name)).not.toContain('floating');
  });

  it('bad JSON is a PARSE_ERROR with the line', () => {
    const err = errorOf(() => parsePipfileLock('{\n  "_meta": {},\n  "default": {,}\n}', 'Pipfile.lock'));
    expect([err.code, err.line]).toEqual(['PARSE_ERROR', 3]);
  });
});
