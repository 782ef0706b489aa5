/**
 * Hostile input never escapes as a raw exception: each Python lockfile reader either returns a
 * graph or throws a VetError naming the file. Shapes are well-formed JSON/TOML with wrong types
 * in every slot, including keys that shadow Object.prototype (`toString`, `valueOf`).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FC_RUNS, survives, tomlJunk, tomlText } from '../../__fixtures__/hostile.js';
import { parsePipfileLock } from './pipfile.js';
import { parsePoetryLock } from './poetry.js';
import { parsePylock } from './pylock.js';
import { parseUvLock } from './uv.js';

const KEYS = [
  'name',
  'version',
  'source',
  'dependencies',
  'files',
  'hashes',
  'revision',
  'category',
  'groups',
  'extras',
  'registry',
  'sdist',
  'wheels',
  'hash',
  'url',
  'optional',
  'markers',
  'packages',
  'members',
];
const junk = tomlJunk(KEYS, ['1.0', '==1.0', 'sha256:00']);
const table = (maxKeys: number) => fc.dictionary(fc.constantFrom(...KEYS, 'toString'), junk, { maxKeys });
const tomlDoc = fc.record({
  version: fc.oneof(fc.constantFrom(1, '1.0'), junk),
  revision: junk,
  package: fc.array(table(6), { maxLength: 4 }),
  packages: fc.array(table(6), { maxLength: 4 }),
  'lock-version': fc.oneof(fc.constant('1.0'), junk),
  metadata: table(3),
  manifest: table(3),
});

const tomlReaders: Array<[string, (t: string) => unknown]> = [
  ['uv.lock', (t) => parseUvLock(t, 'uv.lock')],
  ['poetry.lock', (t) => parsePoetryLock(t, 'poetry.lock')],
  ['pylock.toml', (t) => parsePylock(t, 'pylock.toml')],
];

describe('hostile Python lockfiles', () => {
  it.each(tomlReaders)('%s: well-formed TOML, hostile shapes', (file, read) => {
    fc.assert(
      fc.property(tomlDoc, (doc) => survives(() => read(tomlText(doc)), file)),
      FC_RUNS,
    );
  });

  it('Pipfile.lock: well-formed JSON, hostile shapes', () => {
    const doc = fc.record({ _meta: junk, default: table(20), develop: junk });
    fc.assert(
      fc.property(doc, (d) => survives(() => parsePipfileLock(JSON.stringify(d), 'Pipfile.lock'), 'Pipfile.lock')),
      FC_RUNS,
    );
  });

  it('uv.lock: a table where the revision number belongs is not printed or thrown on', () => {
    expect(survives(() => parseUvLock('version = 1\n[revision]\ntoString = 0\n', 'uv.lock'), 'uv.lock')).toBe(true);
  });
});

describe('shape errors say what is wrong and where (issue 10)', () => {
  it.each([
    ['uv.lock', 'version = 1\npackage = "x"\n', (t: string) => parseUvLock(t, 'uv.lock'), 2, 'a string'],
    ['poetry.lock', '[metadata]\nlock-version = "2.1"\n', (t: string) => parsePoetryLock(t, 'poetry.lock'), 0, ''],
    [
      'poetry.lock',
      'package = [1]\n[metadata]\nlock-version = "2.1"\n',
      (t: string) => parsePoetryLock(t, 'poetry.lock'),
      1,
      'a number',
    ],
    [
      'pylock.toml',
      'lock-version = "1.0"\npackages = 3\n',
      (t: string) => parsePylock(t, 'pylock.toml'),
      2,
      'a number',
    ],
  ])('%s: %j', (file, text, read, line, kind) => {
    if (line === 0) return void expect(() => read(text)).not.toThrow(); // no packages at all is fine
    let error: unknown;
    try {
      read(text);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'PARSE_ERROR', file, line });
    expect((error as Error).message).toMatch(new RegExp(`must be an array of tables .*found ${kind}$`));
  });
});
