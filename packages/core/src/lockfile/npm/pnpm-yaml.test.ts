/**
 * The purpose-built pnpm YAML reader against the general parser (`yaml`, the oracle): wherever
 * the fast reader returns a value it must equal the oracle's, and wherever the oracle reports an
 * error the fast reader must decline (so the error, with its line, still comes from the oracle).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { parsePnpmYamlFast } from './pnpm-yaml.js';

/** The oracle: every document's value, or 'error' when `yaml` reports any problem. */
function oracle(text: string): unknown[] | 'error' {
  try {
    const docs = parseAllDocuments(text);
    const list = Array.isArray(docs) ? docs : [docs];
    if (list.some((d) => d.errors.length > 0 || d.warnings.length > 0)) return 'error';
    return list.map((d) => d.toJS() as unknown);
  } catch {
    return 'error';
  }
}

function agrees(text: string): boolean {
  const fast = parsePnpmYamlFast(text);
  if (fast === undefined) return true;
  const expected = oracle(text);
  expect(expected).not.toBe('error');
  // node's comparison, not vitest's: it compares prototypes, not `.constructor` (a key here).
  if (!isDeepStrictEqual(fast, expected)) expect(fast).toStrictEqual(expected);
  return true;
}

const corpus = path.resolve(__dirname, '../../../../../../shared/corpus/npm');

describe('parsePnpmYamlFast', () => {
  it.skipIf(!existsSync(corpus))('reads every corpus pnpm-lock.yaml exactly as the general parser does', () => {
    const files = readdirSync(corpus)
      .map((d) => path.join(corpus, d, 'pnpm-lock.yaml'))
      .filter((f) => existsSync(f));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      const fast = parsePnpmYamlFast(text);
      expect(fast, `${f} fell back to the general parser`).toBeDefined();
      expect(fast).toStrictEqual(oracle(text));
    }
  });

  it('reads the shapes pnpm writes', () => {
    const text = [
      '---',
      "lockfileVersion: '9.0'",
      '',
      'settings:',
      '  autoInstallPeers: true',
      '  n: 5',
      '  f: 1.5',
      '  z: ~',
      'importers:',
      '  .:',
      '    configDependencies: {}',
      '    dependencies:',
      "      '@a/b':",
      '        specifier: ^1.0.0',
      '        version: 1.0.0(react@18.2.0)',
      'packages:',
      "  'x@1.0.0':",
      '    resolution: {integrity: sha512-AB+/==, tarball: https://registry.example/x/-/x-1.0.0.tgz}',
      '    cpu: [x64, arm64]',
      "    deprecated: 'it''s old: use y'",
      '    engines: {node: ">=18 \\"quoted\\" \\u00e9"}',
      '    list:',
      '    - a',
      '    - 2',
      '  y@git+https://h.example/o/y.git#0123:',
      '    resolution: {commit: 0123, type: git}',
      '---',
      'lockfileVersion: 5.4',
      '',
    ].join('\n');
    expect(parsePnpmYamlFast(text)).toBeDefined();
    agrees(text);
  });

  it('declines what it does not know, so the general parser answers (and reports errors with lines)', () => {
    for (const text of [
      '',
      'a: &x 1\nb: *x\n',
      'a: !!str 1\n',
      'a: |\n  text\n',
      'a: b # comment\n',
      'a: one\n  two\n',
      'a: 1\na: 2\n',
      'a:\tb\n',
      'a: b\r\n',
      'a: 0x1F\n',
      'a: 1e3\n',
      'true: 1\n',
      '__proto__: 1\n',
      "a: 'unterminated\n  rest'\n",
      'a: [1,\n  2]\n',
      '- a: 1\n',
      'a: b: c\n',
      '%YAML 1.2\n---\na: 1\n',
      'a: 1\n...\n',
      '  a: 1\n',
    ])
      expect(parsePnpmYamlFast(text), JSON.stringify(text)).toBeUndefined();
  });

  const scalar = fc.oneof(
    fc.constantFrom('true', 'False', 'null', '~', '1.0', '007', '-3', '.5', '9.0', 'a: b', 'x #y', "it's", 'é', '@s/c'),
    fc.string({
      unit: fc.constantFrom('a', 'Z', '1', '.', '-', ':', ' ', '#', "'", '"', '\\', '{', ',', '[', '@', 'é'),
    }),
  );
  const key = fc.oneof(scalar, fc.constantFrom('constructor', 'toString', 'hasOwnProperty'));
  /** One rendering of a scalar: plain, single-quoted or double-quoted, not necessarily valid. */
  const rendered = fc
    .tuple(scalar, fc.constantFrom('plain', 'single', 'double'))
    .map(([s, style]) =>
      style === 'plain' ? s : style === 'single' ? `'${s.replace(/'/g, "''")}'` : JSON.stringify(s),
    );
  const flow = fc.oneof(
    fc.array(rendered, { maxLength: 3 }).map((xs) => `[${xs.join(', ')}]`),
    fc
      .array(fc.tuple(rendered, rendered), { maxLength: 3 })
      .map((kv) => `{${kv.map(([k, v]) => `${k}: ${v}`).join(', ')}}`),
  );
  const value = fc.oneof(rendered, flow);
  type Entry = { inline: string } | { seq: string[] } | { block: string[] };
  /** Lines of a pnpm-like document: nested block maps, block sequences, inline values. */
  const lines: fc.Arbitrary<string[]> = fc.letrec<{ block: string[] }>((tie) => ({
    block: fc
      .array(
        fc.tuple(
          fc
            .tuple(key, fc.constantFrom('plain', 'single'))
            .map(([k, s]) => (s === 'plain' ? k : `'${k.replace(/'/g, "''")}'`)),
          fc.oneof<fc.Arbitrary<Entry>[]>(
            { depthSize: 'small' },
            value.map((v) => ({ inline: v })),
            fc.array(value, { minLength: 1, maxLength: 3 }).map((vs) => ({ seq: vs.map((v) => `- ${v}`) })),
            tie('block').map((b) => ({ block: b })),
          ),
        ),
        { minLength: 1, maxLength: 4 },
      )
      .map((entries) =>
        entries.flatMap(([k, e]) => {
          if ('inline' in e) return [`${k}: ${e.inline}`];
          if ('seq' in e) return [`${k}:`, ...e.seq];
          return [`${k}:`, ...e.block.map((l) => `  ${l}`)];
        }),
      ),
  })).block;

  it('agrees with the general parser on generated pnpm-like documents', () => {
    fc.assert(
      fc.property(lines, (ls) => agrees(`${ls.join('\n')}\n`)),
      { numRuns: 2000 },
    );
  });

  it('agrees with the general parser on generated documents with one character changed', () => {
    const mutation = fc.tuple(
      lines,
      fc.nat(),
      fc.constantFrom(' ', ':', '-', "'", '"', '#', '{', ']', '\n', '', 'a', '&', '*'),
    );
    fc.assert(
      fc.property(mutation, ([ls, at, ch]) => {
        const text = `${ls.join('\n')}\n`;
        const i = at % text.length;
        return agrees(text.slice(0, i) + ch + text.slice(i + 1));
      }),
      { numRuns: 2000 },
    );
  });
});
