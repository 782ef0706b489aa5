/**
 * Hostile input never escapes as a raw exception (STYLE §8, brief): every reader either returns a
 * graph or throws a VetError carrying the file name.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isVetError } from '../../errors.js';
import { parseBunLock } from './bun.js';
import { parsePackageLock } from './package-lock.js';
import { parsePnpmLock } from './pnpm.js';
import { parseYarnLock } from './yarn.js';

const readers: Array<[string, (text: string) => unknown]> = [
  ['package-lock.json', (t) => parsePackageLock(t, 'package-lock.json', { '': { name: 'x' } })],
  ['pnpm-lock.yaml', (t) => parsePnpmLock(t, 'pnpm-lock.yaml')],
  ['yarn.lock', (t) => parseYarnLock(t, 'yarn.lock', { '': { name: 'x' } })],
  ['bun.lock', (t) => parseBunLock(t, 'bun.lock')],
];

function outcome(read: (text: string) => unknown, text: string, file: string): boolean {
  try {
    read(text);
    return true;
  } catch (e) {
    // The safety net in guarded() ('malformed lockfile: …') must not be what catches shape errors:
    // readers handle wrong types themselves and say what is wrong.
    return isVetError(e) && e.file === file && !e.message.startsWith('malformed lockfile');
  }
}

// Plausible-looking documents with wrong types in every slot.
// Keys that shadow Object.prototype are drawn often: `String(value)` on `{toString: 0}` throws.
const protoKey = fc.constantFrom('toString', 'valueOf', 'constructor', 'hasOwnProperty', '__proto__');
const junk = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.jsonValue({ maxDepth: 0 }),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.oneof(protoKey, fc.string({ maxLength: 6 })), tie('value'), { maxKeys: 4 }),
  ),
})).value;
const shaped = fc.record({
  lockfileVersion: fc.oneof(fc.constantFrom(1, 2, 3, '9.0', '6.0', 5.4), junk),
  packages: fc.dictionary(fc.constantFrom('', 'node_modules/a', 'a@1.0.0', '/a@1.0.0', 'a', 'packages/x'), junk),
  importers: fc.dictionary(fc.constantFrom('.', 'packages/x'), junk),
  snapshots: fc.dictionary(fc.constantFrom('a@1.0.0', 'a@1.0.0(b@1.0.0)'), junk),
  workspaces: fc.dictionary(fc.constantFrom('', 'packages/x'), junk),
  dependencies: fc.dictionary(fc.constantFrom('a', 'b'), junk),
});

describe('hostile lockfiles', () => {
  it.each(readers)('%s: random text', (file, read) => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => outcome(read, text, file)),
      { numRuns: Number(process.env.VET_FC_RUNS ?? 150) },
    );
  });

  it.each(readers)('%s: well-formed syntax, hostile shapes', (file, read) => {
    fc.assert(
      fc.property(shaped, (doc) => outcome(read, JSON.stringify(doc, null, 1), file)),
      { numRuns: Number(process.env.VET_FC_RUNS ?? 150) },
    );
  });

  it('yarn: hostile block shapes', () => {
    const block = fc.record({
      version: junk,
      resolution: junk,
      dependencies: junk,
      checksum: junk,
      dependenciesMeta: junk,
    });
    const doc = fc.dictionary(
      fc.constantFrom('__metadata', 'a@npm:^1', 'a@^1, a@^2', 'b@workspace:.', 'c@patch:c@npm%3A1#x'),
      block,
    );
    fc.assert(
      fc.property(doc, (d) => outcome(readers[2]![1], JSON.stringify(d), 'yarn.lock')),
      { numRuns: Number(process.env.VET_FC_RUNS ?? 150) },
    );
  });
});

describe('hostile lockfiles: pinned counterexamples', () => {
  // Found by the property above in CI: String() on a mapping whose toString is not a function throws.
  it('pnpm-lock.yaml: lockfileVersion that is a mapping with a toString key', () => {
    const text = JSON.stringify({ lockfileVersion: { toString: 0 }, packages: {}, importers: {} });
    expect(outcome(readers[1]![1], text, 'pnpm-lock.yaml')).toBe(true);
  });

  it('package-lock.json v1: a requires range that is a mapping with a toString key', () => {
    const text = JSON.stringify({
      lockfileVersion: 1,
      dependencies: { a: { version: '1.0.0', requires: { b: { toString: 0 } } }, b: { version: '1.0.0' } },
    });
    expect(outcome(readers[0]![1], text, 'package-lock.json')).toBe(true);
  });
});

describe('shape errors say what is wrong and where (issue 10)', () => {
  it.each([
    ['pnpm-lock.yaml', "lockfileVersion: '9.0'\nimporters: [1, 2]\npackages: 5\n", 'pnpm'],
    ['bun.lock', '{"lockfileVersion": 1,\n "workspaces": [1],\n "packages": 2}', 'bun'],
  ])('%s: containers of the wrong type are named with their line', (file, text) => {
    const read = readers.find(([f]) => f === file)![1];
    let error: unknown;
    try {
      read(text);
    } catch (e) {
      error = e;
    }
    expect(isVetError(error) && error.code).toBe('PARSE_ERROR');
    const problems = (error as { problems: { line?: number; message: string }[] }).problems;
    expect(problems.map((p) => [p.line, p.message])).toEqual(
      file === 'bun.lock'
        ? [
            [2, '`workspaces` must be a mapping, found an array'],
            [3, '`packages` must be a mapping, found a number'],
          ]
        : [
            [2, '`importers` must be a mapping, found an array'],
            [3, '`packages` must be a mapping, found a number'],
          ],
    );
  });

  it('pnpm-lock.yaml: an importer that is not a mapping', () => {
    expect(() => parsePnpmLock("lockfileVersion: '9.0'\nimporters:\n  .: 5\n", 'pnpm-lock.yaml')).toThrow(
      '`importers["."]` must be a mapping, found a number',
    );
  });
});
