import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { outcome, shape } from '../../__fixtures__/toml-outcome.js';
import { parseToml } from '../../toml-parse.js';
import { readUvLockToml } from './uv-toml.js';

/** What parseUvLock does with `text` (fast path, else smol-toml) must be what smol-toml alone does. */
const same = (text: string) =>
  expect(outcome((t) => readUvLockToml(t) ?? parseToml(t, 'uv.lock'), text)).toEqual(
    outcome((t) => parseToml(t, 'uv.lock'), text),
  );

// ---- uv.lock-like documents, written the way uv writes them ----

const NAMES = ['a', 'pydantic-core', 'typing_extensions', 'constructor', 'toString', '0', '12', 'x-1'];
const STRINGS = [
  '',
  '1.0.0',
  '>=3.10',
  "python_full_version < '3.11'",
  'https://files.example/a/b-1.0-py3-none-any.whl',
  'sha256:c3f9d0113123803ccadfdf3f0faa505bc78e6a72d1cc4806cbd719826e943558',
  '2025-03-12T01:42:48.764Z',
  '# not a comment',
  'a, b = c',
  '{ x = [1] }',
  'ü é 😀',
  '__proto__',
];
const str = fc.constantFrom(...STRINGS).map((s) => JSON.stringify(s));
const int = fc.oneof(
  fc.constantFrom('0', '1', '3', '22760', '999999999999999'),
  fc.nat().map((n) => String(n)),
);
const scalar = fc.oneof({ arbitrary: str, weight: 4 }, { arbitrary: int, weight: 2 }, fc.constantFrom('true', 'false'));
const key = fc.constantFrom(...NAMES, 'name', 'version', 'url', 'hash', 'size', 'upload-time', 'marker', 'extra');

/** A one-line value: scalars, `[a, b]`, `{ k = v, … }`, nested a few levels. */
const { value } = fc.letrec<{ value: string; array: string; table: string }>((tie) => ({
  value: fc.oneof({ depthSize: 'small', maxDepth: 4, withCrossShrink: true }, scalar, tie('array'), tie('table')),
  array: fc.array(tie('value'), { maxLength: 3 }).map((xs) => `[${xs.join(', ')}]`),
  table: fc
    .uniqueArray(fc.tuple(key, tie('value')), { maxLength: 4, selector: ([k]) => k })
    .map((kvs) => (kvs.length === 0 ? '{}' : `{ ${kvs.map(([k, v]) => `${k} = ${v}`).join(', ')} }`)),
}));

/** `key = value` lines of one table, keys unique; some values spread over lines as uv does. */
const keyValues = (keys: fc.Arbitrary<string>) =>
  fc
    .uniqueArray(
      fc.tuple(
        keys,
        fc.oneof<[fc.Arbitrary<string>, fc.Arbitrary<string[]>]>(value, fc.array(value, { maxLength: 4 })),
      ),
      { maxLength: 5, selector: ([k]) => k },
    )
    .map((kvs) =>
      kvs
        .map(([k, v]) =>
          typeof v === 'string' ? `${k} = ${v}\n` : `${k} = [\n${v.map((x) => `    ${x},\n`).join('')}]\n`,
        )
        .join(''),
    );

const inlineTable = (fields: Array<[string, fc.Arbitrary<string>]>) =>
  fc.tuple(...fields.map(([, a]) => a)).map((vs) => `{ ${vs.map((v, i) => `${fields[i]![0]} = ${v}`).join(', ')} }`);
const file = inlineTable([
  ['url', str],
  ['hash', str],
  ['size', int],
  ['upload-time', str],
]);
const dep = fc.oneof(
  inlineTable([['name', str]]),
  inlineTable([
    ['name', str],
    ['marker', str],
  ]),
  inlineTable([
    ['name', str],
    ['extra', fc.array(str, { maxLength: 2 }).map((xs) => `[${xs.join(', ')}]`)],
  ]),
  inlineTable([
    ['name', str],
    ['version', str],
    ['source', inlineTable([['registry', str]])],
  ]),
);
const longArray = (k: string, items: fc.Arbitrary<string>) =>
  fc.array(items, { maxLength: 4 }).map((xs) => `${k} = [\n${xs.map((x) => `    ${x},\n`).join('')}]\n`);

/** One `[[package]]` with its sub-tables, in uv's order. */
const pkg = fc
  .tuple(
    str,
    fc.option(str, { nil: undefined }),
    fc.constantFrom('{ registry = "https://x.example/simple" }', '{ editable = "." }', '{ virtual = "." }'),
    fc.option(longArray('dependencies', dep), { nil: undefined }),
    fc.option(file, { nil: undefined }),
    fc.option(longArray('wheels', file), { nil: undefined }),
    fc.option(keyValues(fc.constantFrom(...NAMES)), { nil: undefined }),
    fc.option(keyValues(fc.constantFrom('requires-dist', 'provides-extras')), { nil: undefined }),
    fc.option(keyValues(fc.constantFrom('dev', 'docs', 'lint')), { nil: undefined }),
  )
  .map(([name, version, source, deps, sdist, wheels, optional, metadata, requiresDev]) => {
    let s = `\n[[package]]\nname = ${name}\n`;
    if (version !== undefined) s += `version = ${version}\n`;
    s += `source = ${source}\n`;
    if (deps !== undefined) s += deps;
    if (sdist !== undefined) s += `sdist = ${sdist}\n`;
    if (wheels !== undefined) s += wheels;
    if (optional !== undefined) s += `\n[package.optional-dependencies]\n${optional}`;
    if (metadata !== undefined) s += `\n[package.metadata]\n${metadata}`;
    if (requiresDev !== undefined) s += `\n[package.metadata.requires-dev]\n${requiresDev}`;
    return s;
  });

const uvLock = fc
  .tuple(
    fc.option(longArray('resolution-markers', str), { nil: undefined }),
    fc.option(longArray('members', str), { nil: undefined }),
    fc.array(pkg, { maxLength: 4 }),
  )
  .map(([markers, members, pkgs]) => {
    let s = 'version = 1\nrevision = 3\nrequires-python = ">=3.10"\n';
    if (markers !== undefined) s += markers;
    if (members !== undefined) s += `\n[manifest]\n${members}`;
    return s + pkgs.join('');
  });

// ---- mutations: what uv does not write, or what is not TOML at all ----

const CHARS = ['"', '\\', "'", '#', '\r', '\n', ' ', '\t', '[', ']', '{', '}', ',', '=', '.', '0', '1', '-', '_', 'a'];
const ODD_CHARS = ['\x00', '\x7f', '\x1b', 'é', '\uFEFF', ':', '+', 'e', 'x'];
const TOKENS = [
  '__proto__',
  '"__proto__"',
  '1.5',
  '1e3',
  '1979-05-27',
  '07:32:00',
  '1979-05-27T07:32:00Z',
  'inf',
  'nan',
  '+1',
  '-1',
  '-0',
  '0x1f',
  '0o7',
  '0b1',
  '1_000',
  '00',
  '9007199254740993',
  '1234567890123456',
  '"""x"""',
  "'lit'",
  "'''x'''",
  '"a\\"b"',
  '"\\u00e9"',
  '"\t"',
  '# c',
  'a.b',
  '"q"',
  '[[x]]',
  '[x]',
  '[package]',
  '[[package]]',
  '[package.sdist]',
  '[[package.wheels]]',
  '[version]',
  '[package.metadata.requires-dev]',
  '{ a = 1, }',
  '[1,]',
  '[ 1 ]',
  '{a = 1}',
  'true',
  'TRUE',
];

/** Escapes and what looks like them, for the inside of strings. */
const ESCAPES = ['\\', '\\\\', '\\n', '\\"', '\\u00e9', '\\U0001F600', '\\x41', '\\ud800', '\\q', '\t', '"', "'"];

interface Mutation {
  at: number;
  kind: 'insert' | 'in-string' | 'delete' | 'replace' | 'dup-line' | 'drop-line' | 'swap-lines';
  what: string;
  other: number;
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  at: fc.nat(),
  kind: fc.constantFrom('insert', 'in-string', 'delete', 'replace', 'dup-line', 'drop-line', 'swap-lines'),
  what: fc.oneof(
    { arbitrary: fc.constantFrom(...CHARS), weight: 4 },
    { arbitrary: fc.constantFrom(...ODD_CHARS), weight: 1 },
    { arbitrary: fc.constantFrom(...TOKENS), weight: 3 },
    { arbitrary: fc.constantFrom(...ESCAPES), weight: 2 },
  ),
  other: fc.nat(),
});

function mutate(text: string, m: Mutation): string {
  if (text.length === 0) return m.what;
  const at = m.at % text.length;
  switch (m.kind) {
    case 'insert':
      return text.slice(0, at) + m.what + text.slice(at);
    case 'in-string': {
      // Right after a quote: inside a string (or just after one), where escapes matter.
      const quotes = [...text.matchAll(/"/g)].map((q) => q.index);
      const q = quotes.length === 0 ? at : quotes[m.other % quotes.length]! + 1;
      return text.slice(0, q) + m.what + text.slice(q);
    }
    case 'delete':
      return text.slice(0, at) + text.slice(at + 1 + (m.other % 3));
    case 'replace': {
      // Replace the token (run of key/number characters) at `at`, or one character.
      let end = at;
      while (end < text.length && /[A-Za-z0-9_-]/.test(text[end]!)) end++;
      return text.slice(0, at) + m.what + text.slice(Math.max(end, at + 1));
    }
    default: {
      const lines = text.split('\n');
      const i = at % lines.length;
      const j = m.other % lines.length;
      if (m.kind === 'dup-line') lines.splice(j, 0, lines[i]!);
      else if (m.kind === 'drop-line') lines.splice(i, 1);
      else [lines[i], lines[j]] = [lines[j]!, lines[i]!];
      return lines.join('\n');
    }
  }
}

describe('uv.lock fast path', () => {
  it('reads every generated uv.lock exactly as smol-toml does', () => {
    fc.assert(
      fc.property(uvLock, (text) => {
        // What uv writes is inside the subset: the comparison must not be vacuous.
        expect(readUvLockToml(text)).toBeDefined();
        same(text);
      }),
      { numRuns: 2_000 },
    );
  });

  it('reads a mutated uv.lock as smol-toml does, or leaves it to smol-toml', () => {
    let fast = 0;
    let declined = 0;
    fc.assert(
      fc.property(uvLock, fc.array(mutation, { minLength: 1, maxLength: 3 }), (text, ms) => {
        const t = ms.reduce(mutate, text);
        same(t);
        if (readUvLockToml(t) === undefined) declined++;
        else fast++;
      }),
      { numRuns: 8_000 },
    );
    // Both sides are exercised: mutations the subset still covers, and ones it refuses.
    expect(fast).toBeGreaterThan(1_000);
    expect(declined).toBeGreaterThan(1_000);
  });

  it('reads one-line values, tables and headers of every kind as smol-toml does', () => {
    const header = fc
      .array(fc.constantFrom('a', 'b', 'package', 'x-1', '0', 'constructor'), { minLength: 1, maxLength: 10 })
      .chain((ks) => fc.constantFrom(`[${ks.join('.')}]`, `[[${ks.join('.')}]]`));
    const line = fc.oneof(
      header,
      fc.tuple(key, value).map(([k, v]) => `${k} = ${v}`),
      fc.tuple(key, fc.constantFrom(...TOKENS)).map(([k, v]) => `${k} = ${v}`),
      fc.tuple(key, fc.constantFrom(...TOKENS)).map(([k, v]) => `${k} = [1, ${v}]`),
      fc.constantFrom('', 'x = [', '    1,', ']', ...TOKENS),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 10 }), fc.boolean(), (lines, lastBreak) => {
        same(lines.join('\n') + (lastBreak ? '\n' : ''));
      }),
      { numRuns: 20_000 },
    );
  });

  it('refuses what nests deeper than it reads, before any stack or pre-scan limit', () => {
    for (const depth of [8, 9, 127, 129, 10_000]) {
      const text = `version = 1\nx = ${'['.repeat(depth)}${']'.repeat(depth)}\n`;
      if (depth <= 8) expect(readUvLockToml(text)).toBeDefined();
      else expect(readUvLockToml(text)).toBeUndefined();
      same(text);
      const tables = `version = 1\nx = ${'{ a = '.repeat(depth)}1${' }'.repeat(depth)}\n`;
      if (depth > 8) expect(readUvLockToml(tables)).toBeUndefined();
      same(tables);
    }
    for (const segments of [8, 9, 200]) {
      const text = `[${Array.from({ length: segments }, () => 'a').join('.')}]\nb = 1\n`;
      if (segments <= 8) expect(readUvLockToml(text)).toBeDefined();
      else expect(readUvLockToml(text)).toBeUndefined();
      same(text);
    }
  });

  it('leaves every TOML form uv does not write to smol-toml', () => {
    const lock =
      'version = 1\nrevision = 3\nrequires-python = ">=3.10"\n\n[[package]]\nname = "a"\nversion = "1.0.0"\n' +
      'source = { registry = "https://x.example/simple" }\nsdist = { url = "https://x.example/a-1.0.0.tar.gz", ' +
      'hash = "sha256:00", size = 22760, upload-time = "2025-03-12T01:42:48.764Z" }\nwheels = [\n' +
      '    { url = "https://x.example/a-1.0.0-py3-none-any.whl", hash = "sha256:11", size = 1, upload-time = "t" },\n]\n';
    expect(readUvLockToml(lock)).toBeDefined();
    same(lock);
    const variants: Array<[string, string]> = [
      ['CRLF', lock.replaceAll('\n', '\r\n')],
      ['a BOM', `\uFEFF${lock}`],
      ['no last line break', lock.slice(0, -1)],
      ['a comment line', lock.replace('[[package]]', '# c\n[[package]]')],
      ['a trailing comment', lock.replace('revision = 3', 'revision = 3 # c')],
      ['a literal string', lock.replace('"a"', "'a'")],
      ['a multi-line string', lock.replace('"a"', '"""a"""')],
      ['an escape', lock.replace('"a"', '"\\u0061"')],
      ['a quoted key', lock.replace('name =', '"name" =')],
      ['a dotted key', lock.replace('name = "a"', 'name.x = "a"')],
      ['a float', lock.replace('size = 22760', 'size = 22760.0')],
      ['a date', lock.replace('"2025-03-12T01:42:48.764Z"', '2025-03-12T01:42:48.764Z')],
      ['a tab', lock.replace('name = ', 'name =\t')],
      ['tab indentation', lock.replace('    {', '\t{')],
      ['a trailing comma in a table', lock.replace('upload-time = "t" }', 'upload-time = "t", }')],
      ['a `__proto__` key', lock.replace('name =', '__proto__ =')],
      ['a duplicate key', lock.replace('name = "a"', 'name = "a"\nname = "b"')],
      ['an unsafe integer', lock.replace('22760', '9007199254740993')],
    ];
    for (const [what, text] of variants) {
      expect(text, what).not.toBe(lock);
      expect(readUvLockToml(text), what).toBeUndefined();
      same(text);
    }
  });

  it('leaves duplicate and redefined keys and tables to smol-toml', () => {
    for (const text of [
      'a = 1\na = 2\n',
      'a = { b = 1, b = 2 }\n',
      '[a]\n[a]\n',
      '[a.b]\n[a]\n',
      '[[a]]\n[a]\n',
      '[a]\n[[a]]\n',
      'a = 1\n[a]\n',
      'a = {}\n[a.b]\n',
      'a = []\n[[a]]\n',
      'a = [{}]\n[a.b]\n',
      '[[a]]\nb = 1\n[a.b]\n',
      '__proto__ = 1\n',
      'a = { __proto__ = 1 }\n',
      '[__proto__]\n',
      '[__proto__.a]\n',
    ]) {
      expect(readUvLockToml(text), text).toBeUndefined();
      same(text);
    }
    for (const text of [
      '[[a]]\n[a.b]\n[[a]]\n[a.b]\n',
      '[a]\n[a.b]\n[a.c]\n',
      '[a.b]\n[a.c]\n',
      '[[a.b]]\n[[a.b]]\n',
    ]) {
      expect(readUvLockToml(text), text).toBeDefined();
      same(text);
    }
  });
});

// Every uv.lock of the shared corpus (and the repository's fixtures) is read by the fast path, to
// the same document as smol-toml's.
const CORPUS = join(__dirname, '..', '..', '..', '..', '..', '..', 'shared', 'corpus');
const FIXTURES = join(__dirname, '..', '..', '..', '..', '..', 'test', 'fixtures');

function uvLocks(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((p) => p === 'uv.lock' || p.endsWith('/uv.lock'))
    .map((p) => join(dir, p));
}

const corpus = uvLocks(CORPUS);
if (corpus.length === 0)
  console.warn(`uv-toml: corpus part skipped, no uv.lock under ${CORPUS} (the shared corpus sits next to the repo)`);

describe('uv.lock fast path on real files', () => {
  it.skipIf(corpus.length === 0).each(corpus.length > 0 ? corpus : ['(no corpus)'])('%s', (path) => {
    const text = readFileSync(path, 'utf8');
    const fast = readUvLockToml(text);
    expect(fast).toBeDefined();
    expect(shape(fast)).toEqual(shape(parseToml(text, path)));
  });

  it('reads the fixtures', () => {
    const fixtures = uvLocks(FIXTURES);
    expect(fixtures.length).toBeGreaterThan(0);
    for (const path of fixtures) {
      const text = readFileSync(path, 'utf8');
      expect(shape(readUvLockToml(text)), path).toEqual(shape(parseToml(text, path)));
    }
  });
});
