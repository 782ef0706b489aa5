/**
 * Store files come from the user and, for imports, from the network: well-formed TOML with wrong
 * types anywhere must end in a VetError naming the file, never a raw exception.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FC_RUNS, survives, tomlJunk, tomlText } from '../__fixtures__/hostile.js';
import { parseAudits } from './parse-audits.js';
import { parseConfig } from './parse-config.js';
import { parseImportsLock } from './parse-imports-lock.js';

const KEYS = [
  'criteria',
  'who',
  'notes',
  'version',
  'delta',
  'violation',
  'implies',
  'description',
  'description-url',
  'start',
  'end',
  'user-id',
  'user-login',
  'when',
  'suggest',
  'aggregated-from',
  'importable',
  'dev-criteria',
  'dependency-criteria',
  'audit-as-crates-io',
  'url',
  'exclude',
  'criteria-map',
  'publisher',
  'is-fresh-imports',
];
const key = fc.constantFrom(...KEYS, 'toString', 'valueOf');
const junk = tomlJunk(KEYS, ['safe-to-deploy', '1.0.0', '1.0.0 -> 1.1.0', '2024-01-01']);
const entries = fc.oneof(fc.array(fc.dictionary(key, junk, { maxKeys: 6 }), { maxLength: 3 }), junk);
const pkgMap = fc.dictionary(fc.constantFrom('a', '@s/b', 'toString'), entries, { maxKeys: 3 });
const doc = fc.record(
  {
    criteria: fc.dictionary(fc.constantFrom('c', 'safe-to-run', 'toString'), junk, { maxKeys: 2 }),
    audits: pkgMap,
    'wildcard-audits': pkgMap,
    trusted: pkgMap,
    exemptions: pkgMap,
    policy: pkgMap,
    imports: fc.dictionary(fc.constantFrom('m', 'toString'), junk, { maxKeys: 2 }),
    'cargo-vet': junk,
    vet: junk,
    publisher: pkgMap,
    unpublished: pkgMap,
    'audits-as-crates-io': junk,
  },
  { requiredKeys: [] },
);

const runs = FC_RUNS;

describe('hostile store files', () => {
  it('audits.toml (own and imported)', () => {
    fc.assert(
      fc.property(doc, fc.boolean(), (d, foreign) =>
        survives(() => parseAudits(tomlText(d), 'audits.toml', { foreign }), 'audits.toml'),
      ),
      runs,
    );
  });
  it('config.toml', () => {
    fc.assert(
      fc.property(doc, (d) => survives(() => parseConfig(tomlText(d), 'config.toml'), 'config.toml')),
      runs,
    );
  });
  it('imports.lock', () => {
    const lock = fc.record(
      {
        publisher: pkgMap,
        unpublished: pkgMap,
        audits: fc.dictionary(
          fc.constantFrom('m', 'toString'),
          fc.record({ audits: pkgMap, criteria: junk }, { requiredKeys: [] }),
        ),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(lock, (d) => survives(() => parseImportsLock(tomlText(d), 'imports.lock'), 'imports.lock')),
      runs,
    );
  });
  it('a criteria table named toString is an ordinary criterion, not a crash', () => {
    expect(survives(() => parseAudits('[criteria.toString]\ndescription = "x"\n', 'audits.toml'), 'audits.toml')).toBe(
      true,
    );
  });
});
