import { describe, expect, it } from 'vitest';
import { VetError, VetValidationError } from '../errors.js';
import { emptyStore, type Store } from './model.js';
import { parseAudits } from './parse-audits.js';
import { parseConfig } from './parse-config.js';
import { checkStoreVersion } from './store-version.js';
import { addMonths, collectStoreProblems, validateStore } from './validate.js';

const TODAY = '2026-03-15';

function storeFrom(config: string, audits: string): Store {
  return {
    config: parseConfig(config, 'config.toml'),
    audits: parseAudits(audits, 'audits.toml'),
    importsLock: emptyStore().importsLock,
  };
}

function messages(store: Store, today = TODAY): string[] {
  return collectStoreProblems(store, { today }).map((p) => `${p.file}:${p.line ?? '?'}: ${p.message}`);
}

describe('validateStore', () => {
  it('accepts a consistent store', () => {
    const store = storeFrom(
      '[cargo-vet]\nversion = "0.10"\n[policy.app]\ncriteria = "crypto"\n[[exemptions.x]]\nversion = "1.0.0"\ncriteria = "safe-to-run"\n',
      '[criteria.crypto]\ndescription = "c"\nimplies = "safe-to-deploy"\n[[audits.x]]\ncriteria = ["crypto"]\nversion = "1.0.0"\n',
    );
    expect(() => validateStore(store, { today: TODAY })).not.toThrow();
  });

  it('reports unknown criteria everywhere they are used, each with file and line', () => {
    const store = storeFrom(
      [
        'default-criteria = "nope-0"',
        '[imports.peer]',
        'url = "https://x"',
        '[imports.peer.criteria-map]',
        'theirs = "nope-1"',
        '[policy.app]',
        'criteria = "nope-2"',
        'dev-criteria = "nope-3"',
        'dependency-criteria = { dep = "nope-4" }',
        '[[exemptions.x]]',
        'version = "1.0.0"',
        'criteria = "nope-5"',
      ].join('\n'),
      [
        '[criteria.c]',
        'description = "c"',
        'implies = "nope-6"',
        '[[wildcard-audits.w]]',
        'criteria = "nope-7"',
        'user-id = 1',
        'start = "2025-01-01"',
        'end = "2026-01-01"',
        '[[audits.x]]',
        'criteria = "nope-8"',
        'version = "1.0.0"',
        '[[trusted.t]]',
        'criteria = "not-checked-like-cargo-vet"',
        'user-id = 1',
        'start = "2025-01-01"',
        'end = "2026-01-01"',
      ].join('\n'),
    );
    const got = messages(store);
    expect(got.map((m) => /nope-(\d)/.exec(m)?.[1]).sort()).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8']);
    expect(got).toContain('audits.toml:1: criteria `c` implies unknown criteria `nope-6`');
    expect(got).toContain('audits.toml:9: audit of `x`: unknown criteria `nope-8`');
    expect(got).toContain('config.toml:10: exemption of `x` 1.0.0: unknown criteria `nope-5`');
    expect(got.some((m) => m.includes('not-checked'))).toBe(false);
  });

  it('rejects redeclared built-ins, implies cycles and more than 64 criteria', () => {
    const store = storeFrom(
      '',
      '[criteria.safe-to-run]\ndescription = "x"\n[criteria.a]\ndescription = "a"\nimplies = "b"\n[criteria.b]\ndescription = "b"\nimplies = "a"\n[audits]\n',
    );
    const got = messages(store);
    expect(got).toContain('audits.toml:1: criteria `safe-to-run` redeclares a built-in criterion');
    expect(got).toContain('audits.toml:3: criteria `a` implies itself');
    expect(got).toContain('audits.toml:6: criteria `b` implies itself');
    const many = emptyStore();
    for (let i = 0; i < 63; i++) many.audits.criteria[`c${i}`] = { description: 'x', implies: [], aggregatedFrom: [] };
    expect(messages(many)).toEqual(['audits.toml:?: too many criteria: 65 (at most 64 including the built-ins)']);
    delete many.audits.criteria['c0'];
    expect(messages(many)).toEqual([]);
  });

  it('checks versions with the store ecosystem’s rules', () => {
    const cargo = storeFrom(
      '[policy."foo:1.0"]\naudit-as-crates-io = true\n[[exemptions.x]]\nversion = "1.0.0.post1"\ncriteria = []\n',
      '[[audits.x]]\ncriteria = []\ndelta = "1.0.0 -> 1.x"\n[[audits.y]]\ncriteria = []\nviolation = "banana"\n[[audits.z]]\ncriteria = []\nversion = "1.0.0@git:4445659b0f753a928059244c875a58bb12f791e9"\n',
    );
    expect(messages(cargo)).toEqual([
      'audits.toml:1: audit of `x`: not a semver version: "1.x"',
      'audits.toml:4: audit of `y`: not a version requirement: "banana"',
      'config.toml:3: exemption of `x`: not a semver version: "1.0.0.post1"',
      'config.toml:1: policy `foo:1.0`: not a semver version: "1.0"',
    ]);
    const pypi = storeFrom(
      '[vet]\necosystem = "pypi"\n[[exemptions.x]]\nversion = "1.0.0.post1"\ncriteria = []\n',
      '[[audits.x]]\ncriteria = []\nversion = "2.0rc1"\n',
    );
    expect(messages(pypi)).toEqual([]);
    const npm = storeFrom(
      '[vet]\necosystem = "npm"\n',
      '[[audits.x]]\ncriteria = []\nversion = "1.0.0@git:4445659b0f753a928059244c875a58bb12f791e9"\n[[audits.y]]\ncriteria = []\nviolation = "^1.2 || >=3"\n[[audits.z]]\ncriteria = []\nversion = "github:o/z#4445659b0f753a928059244c875a58bb12f791e9"\n',
    );
    // A git dependency is stored as cargo-vet stores git crates, `x.y.z@git:<commit>` (issue 10).
    expect(messages(npm)).toEqual([
      'audits.toml:7: audit of `z`: not a semver version: "github:o/z#4445659b0f753a928059244c875a58bb12f791e9"',
    ]);
  });

  it('rejects a local wildcard audit ending more than 12 months after today (date-dependent)', () => {
    const store = storeFrom(
      '',
      '[[wildcard-audits.w]]\ncriteria = "safe-to-deploy"\nuser-id = 1\nstart = "2025-01-01"\nend = "2027-03-16"\n[audits]\n',
    );
    expect(messages(store, '2026-03-15')).toEqual([
      'audits.toml:1: wildcard audit of `w` ends 2027-03-16, more than 12 months after today (2026-03-15); the latest allowed end is 2027-03-15',
    ]);
    expect(messages(store, '2026-03-16')).toEqual([]);
  });

  it('throws one VetValidationError listing every problem', () => {
    const store = storeFrom('[[exemptions.x]]\nversion = "bad"\ncriteria = "nope"\n', '[audits]\n');
    try {
      validateStore(store, { today: TODAY, storeDir: '/s' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(VetValidationError);
      expect((e as VetValidationError).code).toBe('INVALID_STORE');
      expect((e as VetValidationError).problems).toHaveLength(2);
    }
  });

  it('checks [vet.require-notaries] against the configured notary imports', () => {
    const store = storeFrom(
      '[vet.require-notaries]\nimports = ["a", "ghost"]\nthreshold = 3\n[imports.a]\nurl = "u"\n[imports.a.notary]\nurl = "n"\nkey = "k"\n',
      '[audits]\n',
    );
    expect(messages(store)).toEqual([
      'config.toml:?: [vet.require-notaries] names `ghost`, which is not an import with a notary',
      'config.toml:?: [vet.require-notaries] threshold 3 must be between 1 and 2',
    ]);
  });
});

describe('addMonths', () => {
  it('clamps to the end of shorter months', () => {
    expect(addMonths('2024-02-29', 12)).toBe('2025-02-28');
    expect(addMonths('2025-12-31', 2)).toBe('2026-02-28');
    expect(addMonths('2026-03-15', 12)).toBe('2027-03-15');
  });
});

describe('checkStoreVersion (spec §3.1)', () => {
  function code(f: () => unknown): string | undefined {
    try {
      f();
      return undefined;
    } catch (e) {
      return (e as VetError).code;
    }
  }

  it('accepts the emulated version, and an older one only when not locked', () => {
    expect(checkStoreVersion('0.10', { locked: true })).toEqual({ storeVersion: '0.10', needsUpdate: false });
    expect(checkStoreVersion('0.7', { locked: false })).toEqual({ storeVersion: '0.7', needsUpdate: true });
    expect(checkStoreVersion(undefined, { locked: false })).toEqual({ storeVersion: '0.4', needsUpdate: true });
    expect(code(() => checkStoreVersion('0.7', { locked: true }))).toBe('STORE_VERSION');
    expect(code(() => checkStoreVersion(undefined, { locked: true }))).toBe('STORE_VERSION');
  });

  it('always rejects a newer store, comparing numerically', () => {
    expect(code(() => checkStoreVersion('0.11', { locked: false }))).toBe('STORE_VERSION');
    expect(code(() => checkStoreVersion('1.0', { locked: false }))).toBe('STORE_VERSION');
    expect(checkStoreVersion('0.9', { locked: false }).needsUpdate).toBe(true);
    expect(code(() => checkStoreVersion('zero', { locked: false }))).toBe('STORE_VERSION');
  });
});
