import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isVetError } from '@vet/core';
import { cacheEntries, cacheLimit, evict, parseSize, setCacheMaxFlag, touch, trim } from './cache-limit.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'vet-cache-limit-'));
});
afterEach(() => {
  setCacheMaxFlag(undefined);
  rmSync(root, { recursive: true, force: true });
});

/** An entry `<root>/<kind>/<name>` of `kb` KiB (a file, or a tree of two files), last used `age` seconds ago. */
function entry(kind: string, name: string, kb: number, age: number, tree = false): string {
  const path = join(root, kind, name);
  mkdirSync(join(root, kind), { recursive: true });
  if (tree) {
    mkdirSync(join(path, 'lib'), { recursive: true });
    writeFileSync(join(path, 'package.json'), 'x'.repeat(512 * kb));
    writeFileSync(join(path, 'lib', 'index.js'), 'y'.repeat(512 * kb));
  } else writeFileSync(path, 'z'.repeat(1024 * kb));
  const t = new Date(Date.now() - age * 1000);
  utimesSync(path, t, t);
  return path;
}

describe('parseSize', () => {
  it('reads bytes with decimal and binary units', () => {
    expect(parseSize('1048576')).toBe(1048576);
    expect(parseSize('500MB')).toBe(500e6);
    expect(parseSize('2GiB')).toBe(2 * 1024 ** 3);
    expect(parseSize('1.5g')).toBe(1.5e9);
    expect(parseSize(' 64 kib ')).toBe(65536);
  });
  it('refuses anything else with INVALID_ARGUMENT', () => {
    for (const bad of ['', 'lots', '-1GB', '12QB', '1e9']) {
      let err: unknown;
      try {
        parseSize(bad);
      } catch (e) {
        err = e;
      }
      expect(isVetError(err) && err.code === 'INVALID_ARGUMENT', bad).toBe(true);
    }
  });
});

describe('eviction', () => {
  it('removes least recently used entries first, trees and files alike, until under the limit', () => {
    const old = entry('trees', 'sha512-aa', 64, 300, true);
    const mid = entry('tarballs', 'sha512-bb', 64, 200);
    const recent = entry('parse', 'cc.json', 64, 100);
    const total = cacheEntries(root).reduce((n, e) => n + e.bytes, 0);
    const { removed, bytes } = evict(root, total - 1);
    expect(removed.map((e) => e.path)).toEqual([old]);
    expect(existsSync(old)).toBe(false);
    expect(existsSync(mid) && existsSync(recent)).toBe(true);
    expect(bytes).toBeLessThan(total);
  });

  it('counts a use: a touched entry outlives younger untouched ones', () => {
    const old = entry('trees', 'sha512-aa', 64, 300, true);
    const mid = entry('tarballs', 'sha512-bb', 64, 200);
    touch(old);
    const sizes = cacheEntries(root);
    const one = Math.max(...sizes.map((e) => e.bytes));
    evict(root, one);
    expect(existsSync(old)).toBe(true);
    expect(existsSync(mid)).toBe(false);
  });

  it('trusts the running total while it is under the limit, and measures for real past it', () => {
    entry('tarballs', 'sha512-aa', 256, 300);
    entry('tarballs', 'sha512-bb', 256, 200);
    writeFileSync(join(root, '.usage'), '0\n');
    // The estimate says 0 + 1 KiB: no walk, nothing removed although the real usage is 512 KiB.
    expect(trim(root, 1024, 300 * 1024)).toBe(1024);
    expect(cacheEntries(root)).toHaveLength(2);
    // Past the limit by the estimate: measured, trimmed, and the total corrected.
    expect(trim(root, 400 * 1024, 300 * 1024)).toBeLessThanOrEqual(300 * 1024);
    expect(cacheEntries(root)).toHaveLength(1);
  });
});

describe('cacheLimit', () => {
  it('--cache-max wins over VET_CACHE_MAX, which wins over the config file, then 2 GiB', () => {
    const config = join(root, 'config');
    mkdirSync(join(config, 'vet'), { recursive: true });
    const env = { XDG_CONFIG_HOME: config } as NodeJS.ProcessEnv;
    expect(cacheLimit(env)).toEqual({ bytes: 2 * 1024 ** 3, from: 'default' });
    writeFileSync(join(config, 'vet', 'config.toml'), 'cache-max = "300MB"\n');
    expect(cacheLimit(env)).toEqual({ bytes: 300e6, from: join(config, 'vet', 'config.toml') });
    expect(cacheLimit({ ...env, VET_CACHE_MAX: '1GB' })).toEqual({ bytes: 1e9, from: 'VET_CACHE_MAX' });
    setCacheMaxFlag('10MiB');
    expect(cacheLimit({ ...env, VET_CACHE_MAX: '1GB' })).toEqual({ bytes: 10 * 1024 ** 2, from: '--cache-max' });
  });

  it('a broken config file is a PARSE_ERROR naming it', () => {
    mkdirSync(join(root, 'vet'), { recursive: true });
    writeFileSync(join(root, 'vet', 'config.toml'), 'cache-max = \n');
    let err: unknown;
    try {
      cacheLimit({ XDG_CONFIG_HOME: root });
    } catch (e) {
      err = e;
    }
    expect(isVetError(err) && err.code === 'PARSE_ERROR' && err.file === join(root, 'vet', 'config.toml')).toBe(true);
  });
});
