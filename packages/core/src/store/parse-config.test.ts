import { describe, expect, it } from 'vitest';
import { VetValidationError } from '../errors.js';
import { isCanonical } from './canonical.js';
import { sourceLocationOf, type StoreWarning } from './parse-common.js';
import { parseConfig } from './parse-config.js';
import { serializeConfig } from './serialize-config.js';

const CANONICAL = `
# cargo-vet config file

[cargo-vet]
version = "0.10"

[imports.mozilla]
url = "https://example.com/mozilla/audits.toml"

[imports.peer]
url = ["https://a.example/audits.toml", "https://b.example/audits.toml"]
exclude = ["only-one"]

[imports.peer.criteria-map]
fuzzed = "safe-to-run"
reviewed = ["safe-to-deploy", "crypto-reviewed"]

[policy.first-party]
audit-as-crates-io = false
criteria = []
dependency-criteria = { bar = [], baz = "safe-to-run" }
notes = "n"

[policy."wasi-common:0.0.0@git:b6d42fe4fbc7a9f3fd1bcb1b3a5c3c6b58b8ed0b"]
audit-as-crates-io = true

[policy."wasi-common:8.0.1"]
audit-as-crates-io = true

[[exemptions.serde]]
version = "1.0.9"
criteria = "safe-to-deploy"

[[exemptions.serde]]
version = "1.0.10"
criteria = []
suggest = false
notes = "why"
`;

describe('parseConfig / serializeConfig', () => {
  it('round-trips a canonical config byte for byte', () => {
    const cfg = parseConfig(CANONICAL, 'config.toml');
    expect(cfg.storeVersion).toBe('0.10');
    expect(cfg.imports['peer']?.criteriaMap['reviewed']).toEqual(['safe-to-deploy', 'crypto-reviewed']);
    expect(cfg.policy['first-party']?.criteria).toEqual([]);
    expect(cfg.policy['first-party']?.devCriteria).toBeUndefined();
    expect(cfg.exemptions['serde']?.[1]).toMatchObject({ suggest: false, criteria: [] });
    expect(serializeConfig(cfg)).toBe(CANONICAL);
  });

  it('sorts exemptions by semver and policies by bytes when writing', () => {
    const shuffled = parseConfig(
      '[[exemptions.serde]]\nversion = "1.0.10"\ncriteria = "safe-to-run"\n\n[[exemptions.serde]]\nversion = "1.0.9"\ncriteria = "safe-to-run"\n\n[policy.b]\n[policy.a]\n',
      'config.toml',
    );
    const out = serializeConfig(shuffled);
    expect(out.indexOf('"1.0.9"')).toBeLessThan(out.indexOf('"1.0.10"'));
    expect(out.indexOf('[policy.a]')).toBeLessThan(out.indexOf('[policy.b]'));
  });

  it('accepts the legacy `unaudited` table and writes it back as `exemptions`', () => {
    const cfg = parseConfig(
      '[cargo-vet]\nversion = "0.10"\n\n[[unaudited.foo]]\nversion = "1.0.0"\ncriteria = "safe-to-run"\n',
      'config.toml',
    );
    expect(cfg.exemptions['foo']?.[0]?.version).toBe('1.0.0');
    expect(serializeConfig(cfg)).toContain('[[exemptions.foo]]');
  });

  it('drops unknown keys but records them, so the rewrite is visibly different', () => {
    const warnings: StoreWarning[] = [];
    const text =
      '\n# cargo-vet config file\n\n[cargo-vet]\nversion = "0.10"\n\n[[exemptions.foo]]\nversion = "1.0.0"\ncriteria = "safe-to-run"\nreason = "old field"\n';
    const cfg = parseConfig(text, 'config.toml', { warnings });
    expect(warnings).toEqual([expect.objectContaining({ kind: 'unknown-key', file: 'config.toml', line: 10 })]);
    expect(isCanonical(text, serializeConfig(cfg))).toBe(false);
  });

  it('writes default-criteria at the root only when it is not the default', () => {
    const cfg = parseConfig('default-criteria = "safe-to-run"\n[cargo-vet]\nversion = "0.10"\n', 'config.toml');
    expect(serializeConfig(cfg)).toBe(
      '\n# cargo-vet config file\ndefault-criteria = "safe-to-run"\n\n[cargo-vet]\nversion = "0.10"\n',
    );
    cfg.defaultCriteria = 'safe-to-deploy';
    expect(serializeConfig(cfg)).not.toContain('default-criteria');
  });

  it('treats an empty file as an empty config', () => {
    const cfg = parseConfig('', 'config.toml');
    expect(cfg).toEqual({ imports: {}, policy: {}, exemptions: {} });
  });

  it('reports every problem with its line', () => {
    const text =
      '[cargo-vet]\nversion = "ten"\n\n[policy.foo]\ncriteria = 3\n\n[policy."foo:1.0.0"]\n\n[imports.x]\nexclude = "one"\n\n[[exemptions.bar]]\ncriteria = "safe-to-run"\n';
    try {
      parseConfig(text, 'config.toml');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(VetValidationError);
      const err = e as VetValidationError;
      expect(err.code).toBe('INVALID_STORE');
      expect(err.problems.map((p) => p.line)).toEqual([9, 10, 5, 7, 12, 2]);
      expect(err.problems.map((p) => p.message).join('\n')).toMatch(
        /missing field `url`[\s\S]*exclude[\s\S]*criteria[\s\S]*mix versioned[\s\S]*missing field `version`[\s\S]*store version/,
      );
    }
  });

  it('round-trips vet extensions: [vet], notary imports', () => {
    const text = `
# cargo-vet config file

[cargo-vet]
version = "0.10"

[vet]
ecosystem = "npm"
deny-deprecated = true

[vet.require-notaries]
imports = ["a", "b"]
threshold = 2

[imports.a]
url = "https://a.example/audits.toml"

[imports.a.notary]
url = "https://notary.a.example"
key = "notary.a.example+1234abcd+AbCdEf"
max-age-seconds = 86400
witnesses = ["w1+00000000+AAAA"]
witness-quorum = 1

[imports.b]
url = "https://b.example/audits.toml"

[imports.b.notary]
url = "https://notary.b.example"
key = "notary.b.example+5678abcd+XyZ"
`;
    const cfg = parseConfig(text, 'config.toml');
    expect(cfg.vet).toEqual({
      ecosystem: 'npm',
      denyDeprecated: true,
      requireNotaries: { imports: ['a', 'b'], threshold: 2 },
    });
    expect(cfg.imports['a']?.notary).toEqual({
      url: 'https://notary.a.example',
      key: 'notary.a.example+1234abcd+AbCdEf',
      maxAgeSeconds: 86400,
      witnesses: ['w1+00000000+AAAA'],
      witnessQuorum: 1,
    });
    expect(serializeConfig(cfg)).toBe(text);
    expect(sourceLocationOf(cfg.imports['b']!)).toEqual({ file: 'config.toml', line: 25 });
  });
});
