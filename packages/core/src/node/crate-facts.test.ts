import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cargoManifestHasLib, staticCrateFacts } from '../lockfile/cargo/facts.js';
import { cargoRegistryCrateFacts } from './crate-facts.js';

describe('cargoManifestHasLib', () => {
  const none = () => false;
  const all = () => true;
  it('follows cargo target inference: [lib], autolib = false, then src/lib.rs', () => {
    expect(cargoManifestHasLib('[package]\nname = "a"\n[lib]\npath = "src/x.rs"\n', 'a', none)).toBe(true);
    expect(cargoManifestHasLib('[package]\nname = "a"\n[lib]\nproc-macro = true\n', 'a', none)).toBe(true);
    const binOnly =
      '[package]\nname = "cxxbridge-cmd"\nautolib = false\n[[bin]]\nname = "cxxbridge"\npath = "src/main.rs"\n';
    expect(cargoManifestHasLib(binOnly, 'a', all)).toBe(false);
    expect(cargoManifestHasLib('[package]\nname = "old"\n', 'a', (p) => p === 'src/lib.rs')).toBe(true);
    expect(cargoManifestHasLib('[package]\nname = "old-bin"\n', 'a', (p) => p === 'src/main.rs')).toBe(false);
  });
});

describe('cargoRegistryCrateFacts', () => {
  const home = mkdtempSync(join(tmpdir(), 'vet-cargo-home-'));
  afterAll(() => rmSync(home, { recursive: true, force: true }));
  const put = (rel: string, text: string) => {
    mkdirSync(join(home, rel, '..'), { recursive: true });
    writeFileSync(join(home, rel), text);
  };
  put(
    'registry/src/index.registry.example-0123456789abcdef/cxxbridge-cmd-1.0.194/Cargo.toml',
    '[package]\nname = "cxxbridge-cmd"\nversion = "1.0.194"\nautolib = false\n[[bin]]\nname = "cxxbridge"\npath = "src/main.rs"\n',
  );
  put(
    'registry/src/index.registry.example-0123456789abcdef/strsim-0.11.1/Cargo.toml',
    '[package]\nname = "strsim"\nversion = "0.11.1"\n',
  );
  put('registry/src/index.registry.example-0123456789abcdef/strsim-0.11.1/src/lib.rs', '');

  it('answers from unpacked registry sources, undefined when the crate is not there', () => {
    const facts = cargoRegistryCrateFacts(home);
    expect(facts('cxxbridge-cmd', '1.0.194')?.hasLib).toBe(false);
    expect(facts('strsim', '0.11.1')).toMatchObject({ hasLib: true, manifest: expect.stringContaining('strsim') });
    expect(facts('clap', '4.0.0')).toBeUndefined();
    expect(cargoRegistryCrateFacts(join(home, 'nope'))('strsim', '0.11.1')).toBeUndefined();
  });

  it('staticCrateFacts looks up name@version, then name', () => {
    const f = staticCrateFacts({ 'a@1.0.0': { hasLib: false }, b: { hasLib: false } });
    expect(f('a', '1.0.0')?.hasLib).toBe(false);
    expect(f('a', '2.0.0')).toBeUndefined();
    expect(f('b', '9.9.9')?.hasLib).toBe(false);
  });
});
