import { describe, expect, it } from 'vitest';
import type { AuditEntry, AuditsFile, ImportsLockFile } from './model.js';
import { emptyAuditsFile } from './model.js';
import { parseImportsLock } from './parse-imports-lock.js';
import { serializeAudits } from './serialize-audits.js';
import { serializeImportsLock } from './serialize-config.js';

function fullAudit(version: string, criteria: string[] = ['safe-to-deploy'], who: string[] = []): AuditEntry {
  return { who, criteria, kind: 'full', version, importable: true, aggregatedFrom: [] };
}
function deltaAudit(from: string, to: string, criteria: string[] = ['safe-to-deploy']): AuditEntry {
  return { who: [], criteria, kind: 'delta', delta: { from, to }, importable: true, aggregatedFrom: [] };
}
function violation(req: string, criteria: string[] = ['safe-to-run']): AuditEntry {
  return { who: [], criteria, kind: 'violation', violation: req, importable: true, aggregatedFrom: [] };
}

function lockWithPublisher(): ImportsLockFile {
  return {
    unpublished: {},
    publisher: {
      zzz: [{ version: '1.0.0', when: '2024-01-01', identity: { kind: 'user-id', userId: 7 }, userLogin: 'later' }],
      aaa: [
        {
          version: '1.0.0',
          when: '2024-01-01',
          identity: { kind: 'user-id', userId: 7 },
          userLogin: 'seven',
          userName: 'Seven Person',
        },
        { version: '1.0.0', when: '2024-01-01', identity: { kind: 'user-id', userId: 8 }, userLogin: 'eight' },
      ],
    },
    audits: {},
  };
}

describe('serializeAudits', () => {
  it('sorts audits by kind, then versions (semver), criteria, who, notes', () => {
    const a: AuditsFile = emptyAuditsFile();
    a.audits['foo'] = [
      violation('>= 2.0,<2.3'),
      deltaAudit('1.0.0', '1.0.1'),
      fullAudit('1.0.0-rc.1'),
      fullAudit('1.0.0', ['safe-to-run']),
      fullAudit('1.0.0', ['safe-to-deploy'], ['Zed']),
      fullAudit('1.0.0', ['safe-to-deploy'], ['Amy']),
      fullAudit('0.10.0'),
      fullAudit('0.9.0'),
    ];
    const out = serializeAudits(a);
    const order = [...out.matchAll(/^(version|delta|violation) = (.*)$/gm)].map((m) => m[2]);
    expect(order).toEqual([
      '"0.9.0"',
      '"0.10.0"',
      '"1.0.0-rc.1"',
      '"1.0.0"',
      '"1.0.0"',
      '"1.0.0"',
      '"1.0.0 -> 1.0.1"',
      '">=2.0, <2.3"',
    ]);
    expect([...out.matchAll(/^who = (.*)$/gm)].map((m) => m[1])).toEqual(['"Amy"', '"Zed"']);
    // The input object is not reordered.
    expect(a.audits['foo']?.[0]?.kind).toBe('violation');
  });

  it('writes an empty file as just the header and an [audits] table', () => {
    expect(serializeAudits(emptyAuditsFile())).toBe('\n# cargo-vet audits file\n\n[audits]\n');
  });

  it('appends ` # Name (login)` to user-id from the first publisher row in crate order', () => {
    const a = emptyAuditsFile();
    a.trusted['x'] = [
      {
        criteria: ['safe-to-deploy'],
        identity: { kind: 'user-id', userId: 7 },
        start: '2020-01-01',
        end: '2021-01-01',
        aggregatedFrom: [],
      },
    ];
    a.wildcardAudits['y'] = [
      {
        who: [],
        criteria: ['safe-to-deploy'],
        identity: { kind: 'user-id', userId: 8 },
        start: '2020-01-01',
        end: '2021-01-01',
        aggregatedFrom: [],
      },
      {
        who: [],
        criteria: ['safe-to-deploy'],
        identity: { kind: 'user-id', userId: 9 },
        start: '2020-01-01',
        end: '2021-01-01',
        aggregatedFrom: [],
      },
    ];
    const out = serializeAudits(a, lockWithPublisher());
    expect(out).toContain('user-id = 7 # Seven Person (seven)\n');
    expect(out).toContain('user-id = 8 # eight\n');
    expect(out).toContain('user-id = 9\n');
  });

  it('aggregate mode: no header, given order, empty crates kept as `name = []`', () => {
    const a = emptyAuditsFile();
    a.audits['b'] = [fullAudit('2.0.0'), fullAudit('1.0.0')];
    a.audits['a'] = [];
    expect(serializeAudits(a, undefined, { aggregate: true })).toBe(
      '\n[audits]\na = []\n\n[[audits.b]]\ncriteria = "safe-to-deploy"\nversion = "2.0.0"\n\n[[audits.b]]\ncriteria = "safe-to-deploy"\nversion = "1.0.0"\n',
    );
  });

  it('legacy quoting escapes quotes instead of switching to a literal string', () => {
    const a = emptyAuditsFile();
    a.audits['a'] = [{ ...fullAudit('1.0.0'), notes: 'a "quoted" word' }];
    expect(serializeAudits(a)).toContain(`notes = 'a "quoted" word'`);
    expect(serializeAudits(a, undefined, { legacyQuoting: true })).toContain('notes = "a \\"quoted\\" word"');
  });
});

describe('imports.lock', () => {
  it('round-trips publisher rows of every identity kind, unpublished rows and notary checkpoints', () => {
    const text = `
# cargo-vet imports lock

[[unpublished.cranelift]]
version = "0.136.0-dev"
audited_as = "0.134.3"

[[publisher.cranelift]]
version = "0.134.3"
when = "2026-07-31"
trusted-publisher = "github:bytecodealliance/wasmtime"

[[publisher.left-pad]]
version = "1.3.0"
when = "2018-04-01"
user-login = "stevemao"

[[publisher.syn]]
version = "2.0.117"
when = "2026-02-20"
user-id = 3618
user-login = "dtolnay"
user-name = "David Tolnay"

[audits.fermyon.audits]

[[audits.mozilla.wildcard-audits.syn]]
criteria = "safe-to-deploy"
user-id = 3618 # David Tolnay (dtolnay)
start = "2020-01-01"
end = "2030-01-01"

[audits.mozilla.audits]

[notary-checkpoints]
mozilla = """
notary.example
42
AAAA
"""
`;
    const lock = parseImportsLock(text, 'imports.lock');
    expect(lock.publisher['left-pad']?.[0]?.identity).toEqual({ kind: 'user-login', userLogin: 'stevemao' });
    expect(lock.audits['fermyon']).toEqual(emptyAuditsFile());
    expect(lock.notaryCheckpoints?.['mozilla']).toBe('notary.example\n42\nAAAA\n');
    expect(serializeImportsLock(lock)).toBe(text);
  });

  it('sorts and de-duplicates unpublished rows; an empty lock is just the header', () => {
    const lock: ImportsLockFile = {
      unpublished: {
        a: [
          { version: '1.0.0', auditedAs: '0.9.0' },
          { version: '0.1.0', auditedAs: '0.0.1' },
          { version: '1.0.0', auditedAs: '0.9.0' },
        ],
      },
      publisher: {},
      audits: {},
    };
    expect(serializeImportsLock(lock)).toBe(
      '\n# cargo-vet imports lock\n\n[[unpublished.a]]\nversion = "0.1.0"\naudited_as = "0.0.1"\n\n[[unpublished.a]]\nversion = "1.0.0"\naudited_as = "0.9.0"\n',
    );
    expect(serializeImportsLock(parseImportsLock('', 'imports.lock'))).toBe('\n# cargo-vet imports lock\n');
  });

  it('requires user-login next to user-id in publisher rows', () => {
    expect(() =>
      parseImportsLock('[[publisher.a]]\nversion = "1.0.0"\nwhen = "2020-01-01"\nuser-id = 1\n', 'imports.lock'),
    ).toThrow(/user-login/);
  });
});
