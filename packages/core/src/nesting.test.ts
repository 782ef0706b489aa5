/**
 * Deep nesting is refused fast, as PARSE_ERROR with file and line, by every reader (issue 10:
 * a 10,000-deep array in Pipfile.lock overflowed the stack; a 50,000-deep flow sequence in a
 * pnpm 6 lockfile cost 31 s before its error).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isVetError } from './errors.js';
import { parseCargoLock } from './lockfile/cargo/lock.js';
import { parseBunLock } from './lockfile/npm/bun.js';
import { parsePackageLock } from './lockfile/npm/package-lock.js';
import { parsePnpmLock } from './lockfile/npm/pnpm.js';
import { parseYarnLock } from './lockfile/npm/yarn.js';
import { parsePipfileLock } from './lockfile/pypi/pipfile.js';
import { parsePoetryLock } from './lockfile/pypi/poetry.js';
import { parsePylock } from './lockfile/pypi/pylock.js';
import { parseUvLock } from './lockfile/pypi/uv.js';
import { checkNesting, deepLine, deepLineJsonToml, deepLineYaml } from './nesting.js';
import { parseAudits } from './store/parse-audits.js';
import { parseConfig } from './store/parse-config.js';
import { parseImportsLock } from './store/parse-imports-lock.js';

const N = 50_000;
const arr = (n: number): string => '['.repeat(n) + ']'.repeat(n);
const obj = (n: number): string => '{"a":'.repeat(n) + '1' + '}'.repeat(n);
const tomlArr = (n: number): string => `x = ${arr(n)}\n`;
const dotted = (n: number): string => `[${Array.from({ length: n }, () => 'a').join('.')}]\nx = 1\n`;
const blockYaml = (n: number): string => Array.from({ length: n }, (_, i) => `${' '.repeat(i)}k${i}:\n`).join('');
const manifests = { '': { name: 'x' } };

// [format, reader, hostile text, line the error names]
const cases: Array<[string, (text: string) => unknown, string, number]> = [
  [
    'package-lock.json',
    (t) => parsePackageLock(t, 'f', manifests),
    `{\n"lockfileVersion":3,\n"packages":${arr(N)}}`,
    3,
  ],
  ['package-lock.json (objects)', (t) => parsePackageLock(t, 'f', manifests), `{"packages":${obj(N)}}`, 1],
  ['bun.lock', (t) => parseBunLock(t, 'f'), `{\n"lockfileVersion": 1,\n"packages": ${arr(N)},}`, 3],
  ['pnpm-lock.yaml (flow)', (t) => parsePnpmLock(t, 'f'), `lockfileVersion: '6.0'\npackages:\n  x: ${arr(N)}\n`, 3],
  ['pnpm-lock.yaml (block)', (t) => parsePnpmLock(t, 'f'), `lockfileVersion: '6.0'\n${blockYaml(2000)}`, 2 + 513],
  ['yarn.lock berry', (t) => parseYarnLock(t, 'f', manifests), `__metadata:\n  version: 8\nx: ${arr(N)}\n`, 3],
  ['yarn.lock v1', (t) => parseYarnLock(t, 'f', manifests), `# yarn lockfile v1\n${blockYaml(2000)}`, 2 + 513],
  ['Pipfile.lock', (t) => parsePipfileLock(t, 'f'), `{"_meta": {},\n"default": {"a": ${arr(10_000)}}}`, 2],
  ['uv.lock', (t) => parseUvLock(t, 'f'), `version = 1\n${tomlArr(N)}`, 2],
  ['uv.lock (dotted)', (t) => parseUvLock(t, 'f'), `version = 1\n${dotted(N)}`, 2],
  ['poetry.lock', (t) => parsePoetryLock(t, 'f'), `\n\n${tomlArr(N)}`, 3],
  ['pylock.toml', (t) => parsePylock(t, 'f'), tomlArr(N), 1],
  ['Cargo.lock', (t) => parseCargoLock(t, 'f'), `version = 4\n${dotted(N)}`, 2],
  ['config.toml', (t) => parseConfig(t, 'f'), `[cargo-vet]\nversion = "0.10"\n${tomlArr(N)}`, 3],
  ['audits.toml', (t) => parseAudits(t, 'f'), tomlArr(N), 1],
  ['imports.lock', (t) => parseImportsLock(t, 'f'), `\n${dotted(N)}`, 2],
];

describe('nesting depth is bounded in every reader', () => {
  for (const [format, read, text, line] of cases) {
    it(`${format}: PARSE_ERROR naming file and line, fast`, () => {
      const start = performance.now();
      let error: unknown;
      try {
        read(text);
      } catch (e) {
        error = e;
      }
      expect(performance.now() - start).toBeLessThan(1000);
      expect(isVetError(error) && { code: error.code, file: error.file, line: error.line }).toEqual({
        code: 'PARSE_ERROR',
        file: 'f',
        line,
      });
      expect((error as Error).message).toContain('nested too deeply');
    });
  }

  it('accepts what real files do: brackets inside strings and comments do not count', () => {
    const deepInString = `"${'['.repeat(1000)}"`;
    expect(() => checkNesting(`{"a": ${deepInString}}`, 'f', 'json')).not.toThrow();
    expect(() => checkNesting(`a: '${'['.repeat(1000)}'\n# ${'{'.repeat(1000)}\n`, 'f', 'yaml')).not.toThrow();
    expect(() => checkNesting(`a = '${'['.repeat(1000)}'\nb = "x.y.z"\n`, 'f', 'toml')).not.toThrow();
    // A corpus imports.lock: a multi-line literal string with a lone `'` and dots inside.
    const multi = `notes = '''\nI've grepped ${'a.'.repeat(200)}\n${'['.repeat(200)}\n'''\n[[audits.x]]\n`;
    expect(() => checkNesting(multi, 'f', 'toml')).not.toThrow();
    expect(() => checkNesting(`notes = """\n\\""" ${'{'.repeat(200)}"""\n`, 'f', 'toml')).not.toThrow();
    // An escaped quote after an escaped backslash (`\\\"`) does not end the string.
    expect(() => checkNesting(`{"a": "x\\\\\\"${'['.repeat(200)}"}`, 'f', 'json')).not.toThrow();
    expect(() => checkNesting(arr(128), 'f', 'json')).not.toThrow();
    expect(() => checkNesting(arr(129), 'f', 'json')).toThrow();
  });

  it('the JSON/TOML scan finds the line the character-by-character reference (deepLine) finds', () => {
    // Every character the scanners treat specially, and runs long enough to cross the bounds.
    const piece = fc.constantFrom(
      ...['[', ']', '{', '}', '"', "'", '\\', '#', '.', '\n', 'a', ' ', '"""', "'''", '\\"', '\\\\"', '\\\\\\"'],
      ...['['.repeat(64), '{'.repeat(64), '.'.repeat(64), ']'.repeat(32), '\n[', '\n#'],
    );
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 60 }),
        fc.constantFrom('json' as const, 'toml' as const),
        (parts, syntax) => {
          const text = parts.join('');
          expect(deepLineJsonToml(text, syntax)).toBe(deepLine(text, syntax));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('the YAML scan finds the line the character-by-character reference (deepLine) finds', () => {
    // Block prefixes (blanks, `- `, `? `, `: `), quotes after and not after an indicator,
    // comments after and not after a blank, and runs long enough to cross the bounds.
    const piece = fc.constantFrom(
      ...[
        '[',
        ']',
        '{',
        '}',
        '"',
        "'",
        "''",
        '\\',
        '#',
        ' #',
        '\n',
        '\r\n',
        'a',
        ' ',
        '\t',
        '- ',
        '? ',
        ': ',
        ',',
        '-',
      ],
      ...['\\"', '\\\\"', '['.repeat(64), '{'.repeat(64), ']'.repeat(32), ' '.repeat(300), '- '.repeat(150)],
      ...['\n[', '\n#', '\n- ', "\n'", '\n"', 'a"', "a'"],
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), (parts) => {
        const text = parts.join('');
        expect(deepLineYaml(text)).toBe(deepLine(text, 'yaml'));
      }),
      { numRuns: 5000 },
    );
  });
});
