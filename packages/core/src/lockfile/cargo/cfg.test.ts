import { describe, expect, it } from 'vitest';
import { cargoPlatformMatches, cfgFactsForTriple, evalCfg, parseCfg } from './cfg.js';

describe('parseCfg', () => {
  it('parses names, key = "value", all/any/not and trailing commas', () => {
    expect(parseCfg('cfg(unix)')).toEqual({ op: 'name', name: 'unix' });
    expect(parseCfg('cfg(all(target_os = "linux", not(target_env = "musl"),))')).toEqual({
      op: 'all',
      args: [
        { op: 'kv', key: 'target_os', value: 'linux' },
        { op: 'not', arg: { op: 'kv', key: 'target_env', value: 'musl' } },
      ],
    });
    expect(parseCfg('cfg(any())')).toEqual({ op: 'any', args: [] });
  });

  it('rejects malformed expressions', () => {
    for (const bad of ['cfg(', 'cfg(a b)', 'cfg(not(a, b))', 'cfg(a = b)', 'unix'])
      expect(parseCfg(bad)).toBeUndefined();
  });
});

describe('cargoPlatformMatches', () => {
  const cases: Array<[string, string, boolean]> = [
    ['cfg(unix)', 'x86_64-unknown-linux-gnu', true],
    ['cfg(windows)', 'x86_64-unknown-linux-gnu', false],
    ['cfg(windows)', 'x86_64-pc-windows-msvc', true],
    ['cfg(target_env = "msvc")', 'x86_64-pc-windows-msvc', true],
    ['cfg(target_os = "macos")', 'aarch64-apple-darwin', true],
    ['cfg(target_vendor = "apple")', 'aarch64-apple-darwin', true],
    ['cfg(all(target_arch = "x86_64", target_os = "linux"))', 'x86_64-unknown-linux-gnu', true],
    ['cfg(all(target_arch = "x86_64", target_os = "linux"))', 'aarch64-unknown-linux-gnu', false],
    ['cfg(target_pointer_width = "64")', 'i686-unknown-linux-gnu', false],
    ['cfg(target_arch = "x86")', 'i686-unknown-linux-gnu', true],
    ['cfg(target_os = "none")', 'thumbv7em-none-eabihf', true],
    ['cfg(target_arch = "arm")', 'thumbv7em-none-eabihf', true],
    ['cfg(target_vendor = "unknown")', 'thumbv7em-none-eabihf', true],
    ['cfg(target_has_atomic = "ptr")', 'thumbv6m-none-eabi', false],
    ['cfg(target_has_atomic = "ptr")', 'riscv32imac-unknown-none-elf', true],
    ['cfg(target_family = "wasm")', 'wasm32-unknown-unknown', true],
    ['cfg(target_os = "wasi")', 'wasm32-wasip1', true],
    ['cfg(unix)', 'wasm32-wasip1', false],
    ['cfg(any())', 'x86_64-unknown-linux-gnu', false],
    ['cfg(feature = "std")', 'x86_64-unknown-linux-gnu', false],
    ['cfg(context = "esp")', 'x86_64-unknown-linux-gnu', false],
    ['x86_64-pc-windows-msvc', 'x86_64-pc-windows-msvc', true],
    ['x86_64-pc-windows-gnu', 'x86_64-pc-windows-msvc', false],
  ];
  it.each(cases)('%s on %s → %s', (spec, triple, expected) => {
    expect(cargoPlatformMatches(spec, triple)).toBe(expected);
  });

  it('Android triples are Android, not Linux', () => {
    for (const t of ['aarch64-linux-android', 'armv7-linux-androideabi', 'x86_64-linux-android']) {
      expect(cargoPlatformMatches('cfg(target_os = "android")', t), t).toBe(true);
      expect(cargoPlatformMatches('cfg(target_os = "linux")', t), t).toBe(false);
      expect(cargoPlatformMatches('cfg(unix)', t), t).toBe(true);
    }
  });

  it('derives big-endian and 16-bit targets', () => {
    const s390 = cfgFactsForTriple('s390x-unknown-linux-gnu');
    expect(evalCfg({ op: 'kv', key: 'target_endian', value: 'big' }, s390)).toBe(true);
    const avr = cfgFactsForTriple('avr-unknown-gnu-atmega328');
    expect(evalCfg({ op: 'kv', key: 'target_pointer_width', value: '16' }, avr)).toBe(true);
  });
});
