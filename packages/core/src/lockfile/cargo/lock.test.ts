import { describe, expect, it } from 'vitest';
import { VetError } from '../../errors.js';
import { DEFAULT_REGISTRY, lockText, reg, local, git, HASH_A } from './__fixtures__/builders.js';
import { parseCargoDepRef, parseCargoLock } from './lock.js';

function parseError(text: string): VetError {
  try {
    parseCargoLock(text, 'Cargo.lock');
  } catch (e) {
    if (e instanceof VetError) return e;
    throw e;
  }
  throw new Error('expected a VetError');
}

describe('parseCargoDepRef', () => {
  it('reads the three dependency string forms', () => {
    expect(parseCargoDepRef('serde')).toEqual({ name: 'serde', raw: 'serde' });
    expect(parseCargoDepRef('serde 1.0.1')).toMatchObject({ name: 'serde', version: '1.0.1' });
    expect(parseCargoDepRef(`serde 1.0.1 (${DEFAULT_REGISTRY})`)).toMatchObject({
      name: 'serde',
      version: '1.0.1',
      source: DEFAULT_REGISTRY,
    });
    expect(parseCargoDepRef('two words here')).toBeUndefined();
  });
});

describe('parseCargoLock', () => {
  it('reads v4 packages, sources, checksums and dependencies', () => {
    const text = lockText([
      local('app', '0.1.0', ['serde']),
      reg('serde', '1.0.1'),
      git('g', '0.2.0', 'https://x/g', HASH_A),
    ]);
    const lock = parseCargoLock(text, 'Cargo.lock');
    expect(lock.version).toBe(4);
    expect(lock.packages.map((p) => [p.name, p.source ?? null])).toEqual([
      ['app', null],
      ['serde', DEFAULT_REGISTRY],
      ['g', `git+https://x/g#${HASH_A}`],
    ]);
    expect(lock.packages[0]?.dependencies).toEqual([{ name: 'serde', raw: 'serde' }]);
    expect(lock.packages[1]?.checksum).toMatch(/^[0-9a-f]{64}$/);
    const headers = text.split('\n').flatMap((l, i) => (l === '[[package]]' ? [i + 1] : []));
    expect(lock.packages.map((p) => p.line)).toEqual(headers);
    expect(headers[1]).toBe(12);
  });

  it('tells v1 (checksums in [metadata]) from v2 (inline checksums), both without `version`', () => {
    const v1 = [
      '[[package]]',
      'name = "app"',
      'version = "0.1.0"',
      `dependencies = ["serde 1.0.1 (${DEFAULT_REGISTRY})"]`,
      '',
      '[[package]]',
      'name = "serde"',
      'version = "1.0.1"',
      `source = "${DEFAULT_REGISTRY}"`,
      '',
      '[metadata]',
      `"checksum serde 1.0.1 (${DEFAULT_REGISTRY})" = "${'c'.repeat(64)}"`,
      '',
    ].join('\n');
    const lock1 = parseCargoLock(v1, 'Cargo.lock');
    expect(lock1.version).toBe(1);
    expect(lock1.packages[1]?.checksum).toBe('c'.repeat(64));
    expect(lock1.packages[0]?.dependencies[0]).toMatchObject({
      name: 'serde',
      version: '1.0.1',
      source: DEFAULT_REGISTRY,
    });

    const v2 = lockText([local('app', '0.1.0', ['serde']), reg('serde', '1.0.1')]).replace(/^version = 4$/m, '');
    expect(parseCargoLock(v2, 'Cargo.lock').version).toBe(2);
  });

  it('ignores "<none>" checksums in v1 metadata', () => {
    const v1 = [
      '[[package]]',
      'name = "a"',
      'version = "1.0.0"',
      `source = "${DEFAULT_REGISTRY}"`,
      '',
      '[metadata]',
      `"checksum a 1.0.0 (${DEFAULT_REGISTRY})" = "<none>"`,
    ].join('\n');
    const lock = parseCargoLock(v1, 'Cargo.lock');
    expect(lock.version).toBe(1);
    expect(lock.packages[0]?.checksum).toBeUndefined();
  });

  it('reads version 5 like 4, with a warning', () => {
    const lock = parseCargoLock(lockText([local('app', '0.1.0')], 5), 'Cargo.lock');
    expect(lock.version).toBe(5);
    expect(lock.warnings.join()).toMatch(/version 5/);
  });

  it('keeps [[patch.unused]] entries', () => {
    const text = `${lockText([local('app', '0.1.0')])}\n[[patch.unused]]\nname = "p"\nversion = "1.0.0"\nsource = "git+https://x/p#${HASH_A}"\n`;
    expect(parseCargoLock(text, 'Cargo.lock').patchUnused).toMatchObject([{ name: 'p', version: '1.0.0' }]);
  });

  it('reports TOML syntax errors as PARSE_ERROR with file and 1-based line', () => {
    const e = parseError('version = 4\n\n[[package]]\nname = "a\n');
    expect(e.code).toBe('PARSE_ERROR');
    expect(e.file).toBe('Cargo.lock');
    expect(e.line).toBe(4);
  });

  it('reports every bad entry with its [[package]] line', () => {
    const text = [
      'version = 3',
      '',
      '[[package]]',
      'name = "a"',
      '',
      '[[package]]',
      'name = "b"',
      'version = "1.0.0"',
      'dependencies = ["x y z w"]',
    ].join('\n');
    const e = parseError(text) as VetError & { problems: { line?: number; message: string }[] };
    expect(e.code).toBe('PARSE_ERROR');
    expect(e.problems.map((p) => p.line)).toEqual([3, 6]);
    expect(e.problems[1]?.message).toMatch(/bad dependency string/);
  });

  it('rejects a package listed twice and a non-integer version', () => {
    expect(parseError(lockText([reg('a', '1.0.0'), reg('a', '1.0.0')])).message).toMatch(/listed twice/);
    expect(parseError('version = "4"\n').code).toBe('PARSE_ERROR');
  });
});
