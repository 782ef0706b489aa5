/**
 * Store files come from the user and, for imports, from the network: well-formed TOML with wrong
 * types anywhere must end in a VetError naming the file, never a raw exception.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isVetError } from '../errors.js';
import { parseAudits } from './parse-audits.js';
import { parseConfig } from './parse-config.js';
import { parseImportsLock } from './parse-imports-lock.js';

function survives(read: () => unknown, file: string): boolean {
  try {
    read();
    return true;
  } catch (e) {
    return isVetError(e) && e.file === file;
  }
}

const key = fc.constantFrom(
  'criteria', 'who', 'notes', 'version', 'delta', 'violation', 'implies', 'description', 'description-url',
  'start', 'end', 'user-id', 'user-login', 'when', 'suggest', 'aggregated-from', 'importable', 'toString', 'valueOf',
  'dev-criteria', 'dependency-criteria', 'audit-as-crates-io', 'url', 'exclude', 'criteria-map', 'publisher', 'is-fresh-imports',
);
const scalar = fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean(), fc.constantFrom('safe-to-deploy', '1.0.0', '1.0.0 -> 1.1.0', '2024-01-01'));
const junk = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, scalar, fc.array(tie('value'), { maxLength: 3 }), fc.dictionary(key, tie('value'), { maxKeys: 4 })),
})).value;
const entries = fc.oneof(fc.array(fc.dictionary(key, junk, { maxKeys: 6 }), { maxLength: 3 }), junk);
const pkgMap = fc.dictionary(fc.constantFrom('a', '@s/b', 'toString'), entries, { maxKeys: 3 });
const doc = fc.record({
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
}, { requiredKeys: [] });

function toToml(d: Record<string, unknown>): string {
  const value = (v: unknown): string => {
    if (typeof v === 'string') return JSON.stringify(v);
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    if (Array.isArray(v)) return `[${v.map(value).join(', ')}]`;
    return `{ ${Object.entries(v as Record<string, unknown>).map(([k, x]) => `${JSON.stringify(k)} = ${value(x)}`).join(', ')} }`;
  };
  return Object.entries(d).map(([k, v]) => `${JSON.stringify(k)} = ${value(v)}`).join('\n') + '\n';
}

const runs = { numRuns: Number(process.env.VET_FC_RUNS ?? 150) };

describe('hostile store files', () => {
  it('audits.toml (own and imported)', () => {
    fc.assert(fc.property(doc, fc.boolean(), (d, foreign) => survives(() => parseAudits(toToml(d), 'audits.toml', { foreign }), 'audits.toml')), runs);
  });
  it('config.toml', () => {
    fc.assert(fc.property(doc, (d) => survives(() => parseConfig(toToml(d), 'config.toml'), 'config.toml')), runs);
  });
  it('imports.lock', () => {
    const lock = fc.record({ publisher: pkgMap, unpublished: pkgMap, audits: fc.dictionary(fc.constantFrom('m', 'toString'), fc.record({ audits: pkgMap, criteria: junk }, { requiredKeys: [] })) }, { requiredKeys: [] });
    fc.assert(fc.property(lock, (d) => survives(() => parseImportsLock(toToml(d), 'imports.lock'), 'imports.lock')), runs);
  });
  it('a criteria table named toString is an ordinary criterion, not a crash', () => {
    expect(survives(() => parseAudits('[criteria.toString]\ndescription = "x"\n', 'audits.toml'), 'audits.toml')).toBe(true);
  });
});
