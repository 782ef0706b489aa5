import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VetError } from '../../errors.js';
import { findCargoStore } from './store-location.js';

describe('findCargoStore (spec §1)', () => {
  const cwd = '/work/run';

  it('defaults to <workspace root>/supply-chain', () => {
    expect(findCargoStore('[package]\nname = "a"\nversion = "1.0.0"\n', cwd)).toBe(resolve(cwd, 'supply-chain'));
    expect(findCargoStore('[workspace]\n', cwd, { workspaceRoot: '/repo' })).toBe('/repo/supply-chain');
  });

  it('takes a relative store.path against the working directory, not the manifest', () => {
    const text =
      '[package]\nname = "zcash"\nversion = "1.0.0"\n\n[package.metadata.vet]\nstore = { path = "./qa/supply-chain" }\n';
    expect(findCargoStore(text, cwd, { workspaceRoot: '/repo' })).toBe(resolve(cwd, 'qa/supply-chain'));
    expect(findCargoStore('[workspace.metadata.vet]\nstore = { path = "/abs/store" }\n', cwd)).toBe('/abs/store');
  });

  it('accepts the root manifest path as third argument', () => {
    expect(findCargoStore('[workspace]\n', cwd, '/repo/Cargo.toml')).toBe('/repo/supply-chain');
  });

  it('lets --store-path win', () => {
    const text = '[workspace.metadata.vet]\nstore = { path = "x" }\n';
    expect(findCargoStore(text, cwd, { storePathArg: 'y' })).toBe(resolve(cwd, 'y'));
  });

  it('rejects both workspace and package [metadata.vet], and malformed tables', () => {
    const both =
      '[package]\nname = "a"\nversion = "1.0.0"\n[package.metadata.vet]\n[workspace.metadata.vet]\nstore = { path = "s" }\n';
    expect(() => findCargoStore(both, cwd)).toThrow(VetError);
    try {
      findCargoStore(both, cwd);
    } catch (e) {
      expect(e).toMatchObject({ code: 'INVALID_ARGUMENT', file: 'Cargo.toml', line: 4 });
    }
    const bad = '[workspace.metadata.vet]\nstore = "s"\n';
    expect(() => findCargoStore(bad, cwd)).toThrow(expect.objectContaining({ code: 'PARSE_ERROR', line: 2 }));
    expect(() => findCargoStore('[workspace\n', cwd)).toThrow(
      expect.objectContaining({ code: 'PARSE_ERROR', line: 1 }),
    );
  });
});
