import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { outcome } from '../__fixtures__/toml-outcome.js';
import { parseToml } from '../toml-parse.js';
import { parseConfigToml, readExemptionTables } from './exemptions-toml.js';
import type { ExemptionEntry } from './model.js';
import { serializeConfig } from './serialize-config.js';
import { dict } from '../dict.js';

const same = (text: string) =>
  expect(outcome((t) => parseConfigToml(t, 'config.toml'), text)).toEqual(
    outcome((t) => parseToml(t, 'config.toml'), text),
  );

const PREFIXES = [
  '\n# cargo-vet config file\n\n[cargo-vet]\nversion = "0.10"\n\n[vet]\necosystem = "npm"\n',
  '[cargo-vet]\nversion = "0.10"\n',
  '',
  '[policy.x]\ncriteria = "safe-to-run"\n',
  'notes = """\n', // a string still open where the exemptions seem to start
  'criteria = [\n', // an array still open
  '[exemptions]\n', // `exemptions` defined twice
  '[[exemptions.a]]\nversion = "1.0.0"\n',
  'exemptions.a = 1\n',
  '[cargo-vet\n', // a syntax error before the exemptions
];

const NAMES = [
  'a',
  'b-c',
  '"@s/x"',
  '"q.r"',
  'a.b',
  '"sp ace"',
  '""',
  '__proto__',
  '"__proto__"',
  'constructor',
  '"é"',
];
const ODD_NAMES = ['é', '"a\\"b"', 'a .b', "'lit'", '"t\tab"'];
const STRINGS = ['"1.0.0"', '"safe-to-run"', '""', '"ü"', '"a, b"'];
const ODD_STRINGS = ['"a\\", \\"b"', '"a", "b"', '"a\\"b"', '"tab\there"', "'lit'", '"x\\\\y"', '"""m"""'];
const LISTS = ['[]', '["a"]', '["a", "b"]', '["", "a, b"]'];
const ODD_LISTS = ['["a","b"]', '[ "a" ]', '["a", "b",]', '[\n    "a",\n    "b",\n]', '["a", 1]', '[["a"]]'];
const KEYS = ['version', 'criteria', 'suggest', 'notes', 'other'];
const ODD_KEYS = ['"version"', '__proto__', 'a.b', 'x ', 'é', ''];
const ODD_VALUES = ['True', '1', '{}', 'true ', '"a" # c', ...ODD_STRINGS, ...ODD_LISTS];

const header = (names: string[]) => fc.constantFrom(...names).map((n) => `\n[[exemptions.${n}]]\n`);
const keyValue = (keys: string[], values: string[]) =>
  fc.tuple(fc.constantFrom(...keys), fc.constantFrom(...values)).map(([k, v]) => `${k} = ${v}\n`);
// Mostly lines of the subset (so that long runs of it, and its edges, are tried), some outside it.
const line = fc.oneof(
  { arbitrary: header(NAMES), weight: 3 },
  { arbitrary: keyValue(KEYS, [...STRINGS, ...LISTS, 'true', 'false']), weight: 8 },
  {
    arbitrary: fc.oneof(
      header(ODD_NAMES),
      keyValue([...KEYS, ...ODD_KEYS], ODD_VALUES),
      keyValue(ODD_KEYS, STRINGS),
      fc.constantFrom('\n', '# comment\n', '\r\n', ' ', '[[exemptions.a]] \n', '[exemptions.a]\n', '[policy.b]\n', 'x'),
    ),
    weight: 1,
  },
);

describe('config.toml exemptions fast path', () => {
  it('reads every text exactly as smol-toml does, or leaves it to smol-toml', () => {
    let fast = 0;
    fc.assert(
      fc.property(fc.constantFrom(...PREFIXES), fc.array(line, { maxLength: 12 }), (prefix, lines) => {
        const text = `${prefix}\n${lines.join('')}`;
        same(text);
        const at = text.indexOf('\n\n[[exemptions.');
        if (at >= 0 && readExemptionTables(text, at + 1) !== undefined) fast++;
      }),
      { numRuns: 10_000 },
    );
    // The comparison is worth something only if the fast path often accepts the text.
    expect(fast).toBeGreaterThan(1_000);
  });

  it('takes the fast path on what the canonical writer writes', () => {
    const version = fc.constantFrom('1.0.0', '0.2.3-beta.1', '2.0.0+build');
    const text = fc.constantFrom('safe-to-run', 'safe-to-deploy', 'x y', 'ü', 'a"b', 'a\\b', "it's", 'tab\tx', 'l\nm');
    const entry = fc.record({
      version,
      criteria: fc.array(text, { maxLength: 3 }),
      suggest: fc.boolean(),
      notes: fc.option(text, { nil: undefined }),
    });
    const crate = fc.constantFrom('a', '@s/x', 'q.r', 'constructor', 'sp ace', 'é', '"', "'", '__proto__', '');
    let fast = 0;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(crate, fc.array(entry, { minLength: 1, maxLength: 3 })), { minLength: 1 }),
        (rows) => {
          const exemptions = dict<ExemptionEntry[]>();
          for (const [c, list] of rows) exemptions[c] = list.map(stripUndefined);
          const out = serializeConfig({ imports: {}, policy: {}, exemptions });
          same(out);
          if (readExemptionTables(out, out.indexOf('\n\n[[exemptions.') + 1) !== undefined) fast++;
        },
      ),
      { numRuns: 500 },
    );
    // Plain names and strings (most of every generated store) are read by the fast path.
    expect(fast).toBeGreaterThan(0);
  });

  it('reads a plain `vet init` store by the fast path', () => {
    const text =
      '\n# cargo-vet config file\n\n[cargo-vet]\nversion = "0.10"\n\n[[exemptions.a]]\nversion = "1.0.0"\ncriteria = "safe-to-run"\n\n' +
      '[[exemptions."@s/x"]]\nversion = "2.0.0"\ncriteria = ["safe-to-deploy", "x"]\nsuggest = false\nnotes = "n"\n\n[[exemptions.a]]\nversion = "1.1.0"\ncriteria = []\n';
    expect(readExemptionTables(text, text.indexOf('\n\n[[exemptions.') + 1)).toBeDefined();
    same(text);
  });
});

function stripUndefined(e: ExemptionEntry): ExemptionEntry {
  const out: ExemptionEntry = { version: e.version, criteria: e.criteria, suggest: e.suggest };
  if (e.notes !== undefined) out.notes = e.notes;
  return out;
}
