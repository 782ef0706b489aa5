/**
 * Store files keyed by `__proto__`, `constructor` and friends (issue 10): parsing never writes to
 * shared objects (@iarna/toml's parse set `Object.a = 1` for `[x.constructor]\na=1`), and every
 * such key is an ordinary entry that survives a parse → serialise round trip.
 */
import { describe, expect, it } from 'vitest';
import { parseAudits } from './parse-audits.js';
import { parseConfig } from './parse-config.js';
import { parseImportsLock } from './parse-imports-lock.js';
import { serializeConfig } from './serialize-config.js';

const NAMES = ['__proto__', 'constructor', 'hasOwnProperty', 'prototype', 'toString'];

const HOSTILE = `
[x.constructor]
a = 1

[x.__proto__]
polluted = true

[constructor.prototype]
polluted = true
`;

function untouched(): void {
  expect((Object as unknown as Record<string, unknown>)['a']).toBeUndefined();
  expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  expect(Object.prototype).not.toHaveProperty('polluted');
}

describe('store files with prototype-named keys', () => {
  it('parsing hostile tables touches neither Object nor Object.prototype', () => {
    for (const parse of [parseConfig, parseAudits, parseImportsLock]) {
      try {
        parse(HOSTILE, 'f.toml');
      } catch {
        // unknown tables may be refused; what matters is what the parse did to the process
      }
      untouched();
    }
  });

  it('exemptions for every prototype name are own entries and round-trip', () => {
    const text =
      '\n# cargo-vet config file\n\n[cargo-vet]\nversion = "0.10"\n' +
      NAMES.map((n) => `\n[[exemptions.${n}]]\nversion = "1.0.0"\ncriteria = "safe-to-deploy"\n`).join('');
    const cfg = parseConfig(text, 'config.toml');
    expect(Object.keys(cfg.exemptions).sort()).toEqual([...NAMES].sort());
    for (const n of NAMES)
      expect(cfg.exemptions[n]).toEqual([{ version: '1.0.0', criteria: ['safe-to-deploy'], suggest: true }]);
    expect(parseConfig(serializeConfig(cfg), 'config.toml')).toEqual(cfg);
    untouched();
  });

  it('audits, criteria and imports named after prototype members are own entries', () => {
    const audits = parseAudits(
      '[criteria.constructor]\ndescription = "c"\n\n' +
        NAMES.map((n) => `[[audits.${n}]]\nwho = "a"\ncriteria = "constructor"\nversion = "1.0.0"\n`).join('\n'),
      'audits.toml',
    );
    expect(Object.keys(audits.criteria)).toEqual(['constructor']);
    expect(Object.keys(audits.audits).sort()).toEqual([...NAMES].sort());
    expect(audits.audits['toString']?.[0]?.version).toBe('1.0.0');
    const lock = parseImportsLock(
      '[audits.__proto__.audits]\n\n[[audits.constructor.audits.hasOwnProperty]]\nwho = "b"\ncriteria = "safe-to-run"\nversion = "2.0.0"\n',
      'imports.lock',
    );
    expect(Object.keys(lock.audits).sort()).toEqual(['__proto__', 'constructor']);
    expect(lock.audits['constructor']?.audits['hasOwnProperty']?.[0]?.version).toBe('2.0.0');
    untouched();
  });
});
