/**
 * Hostile input never escapes as a raw exception: each Python lockfile reader either returns a
 * graph or throws a VetError naming the file. Shapes are well-formed JSON/TOML with wrong types
 * in every slot, including keys that shadow Object.prototype (`toString`, `valueOf`).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isVetError } from '../../errors.js';
import { parsePipfileLock } from './pipfile.js';
import { parsePoetryLock } from './poetry.js';
import { parsePylock } from './pylock.js';
import { parseUvLock } from './uv.js';

function survives(read: () => unknown, file: string): boolean {
  try {
    read();
    return true;
  } catch (e) {
    return isVetError(e) && e.file === file;
  }
}

// TOML has no null and no mixed-type pitfalls worth generating here: the junk is what TOML can hold.
const scalar = fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean(), fc.constantFrom('1.0', '==1.0', 'sha256:00'));
const key = fc.constantFrom('name', 'version', 'source', 'dependencies', 'files', 'hashes', 'toString', 'valueOf', 'revision', 'category', 'groups', 'extras', 'registry', 'sdist', 'wheels', 'hash', 'url', 'optional', 'markers', 'packages', 'members');
const junk = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, scalar, fc.array(tie('value'), { maxLength: 3 }), fc.dictionary(key, tie('value'), { maxKeys: 4 })),
})).value;
const tomlDoc = fc.record({
  version: fc.oneof(fc.constantFrom(1, '1.0'), junk),
  revision: junk,
  package: fc.array(fc.dictionary(key, junk, { maxKeys: 6 }), { maxLength: 4 }),
  packages: fc.array(fc.dictionary(key, junk, { maxKeys: 6 }), { maxLength: 4 }),
  'lock-version': fc.oneof(fc.constant('1.0'), junk),
  metadata: fc.dictionary(key, junk, { maxKeys: 3 }),
  manifest: fc.dictionary(key, junk, { maxKeys: 3 }),
});

/** TOML text for a generated document (inline tables; arrays of tables as arrays of inline tables). */
function toToml(doc: Record<string, unknown>): string {
  const value = (v: unknown): string => {
    if (typeof v === 'string') return JSON.stringify(v);
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    if (Array.isArray(v)) return `[${v.map(value).join(', ')}]`;
    return `{ ${Object.entries(v as Record<string, unknown>).map(([k, x]) => `${JSON.stringify(k)} = ${value(x)}`).join(', ')} }`;
  };
  return Object.entries(doc).map(([k, v]) => `${JSON.stringify(k)} = ${value(v)}`).join('\n') + '\n';
}

const tomlReaders: Array<[string, (t: string) => unknown]> = [
  ['uv.lock', (t) => parseUvLock(t, 'uv.lock')],
  ['poetry.lock', (t) => parsePoetryLock(t, 'poetry.lock')],
  ['pylock.toml', (t) => parsePylock(t, 'pylock.toml')],
];

describe('hostile Python lockfiles', () => {
  it.each(tomlReaders)('%s: well-formed TOML, hostile shapes', (file, read) => {
    fc.assert(fc.property(tomlDoc, (doc) => survives(() => read(toToml(doc)), file)), { numRuns: Number(process.env.VET_FC_RUNS ?? 150) });
  });

  it('Pipfile.lock: well-formed JSON, hostile shapes', () => {
    const doc = fc.record({ _meta: junk, default: fc.dictionary(key, junk), develop: junk });
    fc.assert(fc.property(doc, (d) => survives(() => parsePipfileLock(JSON.stringify(d), 'Pipfile.lock'), 'Pipfile.lock')), { numRuns: Number(process.env.VET_FC_RUNS ?? 150) });
  });

  it('uv.lock: a table where the revision number belongs is not printed or thrown on', () => {
    expect(survives(() => parseUvLock('version = 1\n[revision]\ntoString = 0\n', 'uv.lock'), 'uv.lock')).toBe(true);
  });
});
