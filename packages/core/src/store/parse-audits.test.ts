import { describe, expect, it } from 'vitest';
import { VetError, VetValidationError } from '../errors.js';
import { parseAudits } from './parse-audits.js';
import { sourceLocationOf, type StoreWarning } from './parse-common.js';
import { serializeAudits } from './serialize-audits.js';

function problemsOf(fn: () => unknown): VetValidationError {
  try {
    fn();
  } catch (e) {
    if (e instanceof VetValidationError) return e;
    throw e;
  }
  throw new Error('expected a VetValidationError');
}

const GOOD = `
# cargo-vet audits file

[criteria.crypto-reviewed]
description = "Crypto reviewed."
implies = "safe-to-run"

[[wildcard-audits.bumpalo]]
who = "Nick <n@example.com>"
criteria = "safe-to-deploy"
user-id = 696
start = "2019-03-16"
end = "2026-08-21"

[[audits.foo]]
who = ["A <a@example.com>", "B <b@example.com>"]
criteria = ["safe-to-deploy", "crypto-reviewed"]
delta = "1.0.0 ->1.1.0"
importable = false

[[audits.foo]]
criteria = "safe-to-run"
violation = ">=2.0, <2.3"

[[trusted.bar]]
criteria = "safe-to-deploy"
trusted-publisher = "github:org/repo"
start = "2024-01-01"
end = "2025-01-01"
`;

describe('parseAudits', () => {
  it('reads every table, normalising string-or-list fields to arrays', () => {
    const a = parseAudits(GOOD, 'audits.toml');
    expect(a.criteria['crypto-reviewed']).toEqual({
      description: 'Crypto reviewed.',
      implies: ['safe-to-run'],
      aggregatedFrom: [],
    });
    expect(a.wildcardAudits['bumpalo']?.[0]).toMatchObject({
      who: ['Nick <n@example.com>'],
      identity: { kind: 'user-id', userId: 696 },
    });
    expect(a.audits['foo']?.[0]).toMatchObject({
      kind: 'delta',
      delta: { from: '1.0.0', to: '1.1.0' },
      importable: false,
      who: ['A <a@example.com>', 'B <b@example.com>'],
    });
    expect(a.audits['foo']?.[1]).toMatchObject({
      kind: 'violation',
      violation: '>=2.0, <2.3',
      importable: true,
      who: [],
    });
    expect(a.trusted['bar']?.[0]?.identity).toEqual({ kind: 'trusted-publisher', trustedPublisher: 'github:org/repo' });
  });

  it('remembers the line of each entry', () => {
    const a = parseAudits(GOOD, 'audits.toml');
    expect(sourceLocationOf(a.audits['foo']![1]!)).toEqual({ file: 'audits.toml', line: 21 });
    expect(sourceLocationOf(a.criteria['crypto-reviewed']!)).toEqual({ file: 'audits.toml', line: 4 });
  });

  it('reports TOML syntax errors as PARSE_ERROR with a 1-based line', () => {
    try {
      parseAudits('[audits]\nfoo = \n', 'audits.toml');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(VetError);
      expect((e as VetError).code).toBe('PARSE_ERROR');
      expect((e as VetError).line).toBe(2);
      expect((e as VetError).file).toBe('audits.toml');
    }
  });

  it('reports every schema problem of a local file, each with its line', () => {
    const text = `[criteria.x]
description = "d"
color = "red"

[[audits.foo]]
criteria = "safe-to-run"
version = "1.0.0"
dependency-criteria = { bar = "safe-to-run" }

[[audits.foo]]
criteria = "safe-to-run"
delta = "1.0.0"

[[audits.foo]]
criteria = "safe-to-run"
version = "1.0.0"
delta = "1.0.0 -> 1.0.1"

[[wildcard-audits.baz]]
criteria = "safe-to-run"
user-id = 1
start = "2024-02-30"
end = "2025-01-01"
`;
    const err = problemsOf(() => parseAudits(text, 'audits.toml'));
    expect(err.code).toBe('INVALID_STORE');
    const got = err.problems.map((p) => [p.line, p.message.replace(/ \(expected.*/, '')]);
    expect(got).toEqual([
      [3, 'criteria `x`: unknown field `color`'],
      [22, 'wildcard audit for `baz` #1: `start` must be a date string "YYYY-MM-DD", got "2024-02-30"'],
      [8, 'audit for `foo` #1: unknown field `dependency-criteria`'],
      [12, "audit for `foo` #2: 'delta' must be a delta of the form 'VERSION -> VERSION', got \"1.0.0\""],
      [14, "audit for `foo` #3: audit entries must have exactly one of 'version', 'delta', and 'violation'"],
    ]);
  });

  it('requires an [audits] table in a local file', () => {
    const err = problemsOf(() => parseAudits('', 'audits.toml'));
    expect(err.problems[0]?.message).toContain('missing field `audits`');
  });

  it('drops bad entries of a foreign file with a warning and keeps the rest', () => {
    const warnings: StoreWarning[] = [];
    const text = `[[wildcard-audits.a]]
criteria = "safe-to-deploy"
user-id = 1
start = "2020-01-01"
end = "2021-01-01"

[[audits.foo]]
criteria = "safe-to-run"
version = "1.0.0"
some-future-key = true

[[audits.foo]]
criteria = "safe-to-run"
version = "2.0.0"
`;
    const a = parseAudits(text, 'peer', { foreign: true, warnings });
    expect(a.audits['foo']?.map((e) => e.version)).toEqual(['2.0.0']);
    expect(a.wildcardAudits['a']).toHaveLength(1);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ kind: 'entry-dropped', file: 'peer', line: 7 });
    expect(warnings[0]?.message).toContain('some-future-key');
  });

  it('records (does not reject) unknown keys in wildcard and trusted entries, as cargo-vet ignores them', () => {
    const warnings: StoreWarning[] = [];
    const text =
      '[audits]\n\n[[trusted.a]]\ncriteria = "safe-to-run"\nuser-id = 1\nstart = "2020-01-01"\nend = "2021-01-01"\nextra = 1\n';
    const a = parseAudits(text, 'audits.toml', { warnings });
    expect(a.trusted['a']).toHaveLength(1);
    expect(warnings).toEqual([expect.objectContaining({ kind: 'unknown-key', line: 8 })]);
    // …and a rewrite drops them, which the --locked format check then notices.
    expect(serializeAudits(a)).not.toContain('extra');
  });

  it('accepts the npm/PyPI `user-login` identity and writes it back', () => {
    const text =
      '\n# cargo-vet audits file\n\n[[wildcard-audits.left-pad]]\ncriteria = "safe-to-deploy"\nuser-login = "alice"\nstart = "2020-01-01"\nend = "2021-01-01"\n\n[audits]\n';
    const a = parseAudits(text, 'audits.toml');
    expect(a.wildcardAudits['left-pad']?.[0]?.identity).toEqual({ kind: 'user-login', userLogin: 'alice' });
    expect(serializeAudits(a)).toBe(text);
  });
});
