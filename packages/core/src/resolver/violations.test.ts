/** Spec §7.5 and trap §14.7, one variant per test. */
import { describe, expect, it } from 'vitest';
import { VetError } from '../errors.js';
import {
  deltaAudit,
  exemption,
  fullAudit,
  graphOf,
  storeOf,
  violation,
  type StoreSpec,
} from './__fixtures__/builders.js';
import { resolve } from './resolve.js';
import type { ResolveReport } from './types.js';

function checkFoo(version: string, spec: StoreSpec): ResolveReport {
  return resolve({
    graph: graphOf({ app: { deps: [`foo@${version}`] }, [`foo@${version}`]: {} }),
    store: storeOf(spec),
  });
}

const kinds = (r: ResolveReport, key: string) => (r.violations[key] ?? []).map((c) => c.kind);

describe('violations (§7.5)', () => {
  it('are crate-wide: an audit of a version not in use still conflicts', () => {
    const r = checkFoo('1.0.0', {
      audits: { foo: [fullAudit('1.0.0'), fullAudit('2.1.0'), violation('>=2.0, <2.3')] },
    });
    expect(r.conclusion).toBe('fail (violation)');
    expect(kinds(r, 'foo:1.0.0')).toEqual(['audit']);
    const c = r.violations['foo:1.0.0']![0]!;
    expect(c.kind === 'audit' && c.audit.version).toBe('2.1.0');
  });

  it('depending on a violated version is itself fine', () => {
    const r = checkFoo('2.1.0', {
      audits: { foo: [violation('>=2.0, <2.3')] },
      exemptions: { foo: [exemption('2.1.0', 'safe-to-run')] },
    });
    expect(r.violations).toEqual({});
    expect(r.conclusion).toBe('fail (vetting)');
  });

  it('conflict with an exemption whose version matches', () => {
    const r = checkFoo('1.0.0', { audits: { foo: [violation('=1.0.0')] }, exemptions: { foo: [exemption('1.0.0')] } });
    expect(kinds(r, 'foo:1.0.0')).toEqual(['exemption']);
  });

  it('delta endpoints: either end matching conflicts', () => {
    expect(checkFoo('1.0.0', { audits: { foo: [deltaAudit('2.0.0', '3.0.0'), violation('^2')] } }).conclusion).toBe(
      'fail (violation)',
    );
    expect(checkFoo('1.0.0', { audits: { foo: [deltaAudit('1.5.0', '2.0.0'), violation('^2')] } }).conclusion).toBe(
      'fail (violation)',
    );
    expect(checkFoo('1.0.0', { audits: { foo: [deltaAudit('1.5.0', '1.6.0'), violation('^2')] } }).conclusion).toBe(
      'fail (vetting)',
    );
  });

  it('containment per single criterion on closures', () => {
    const conflict = (audit: string[], vio: string[]) =>
      checkFoo('1.0.0', {
        criteria: { a: {}, b: {}, c: {} },
        audits: { foo: [fullAudit('9.0.0', audit), violation('*', vio)] },
      }).conclusion === 'fail (violation)';
    expect(conflict(['safe-to-deploy'], ['safe-to-run'])).toBe(true);
    expect(conflict(['safe-to-run'], ['safe-to-deploy'])).toBe(false);
    expect(conflict(['safe-to-deploy'], ['safe-to-deploy'])).toBe(true);
    expect(conflict(['a', 'c'], ['a', 'b'])).toBe(true);
    expect(conflict(['c'], ['a', 'b'])).toBe(false);
  });

  it('pre-releases escape *', () => {
    const r = checkFoo('1.0.0', {
      audits: { foo: [fullAudit('1.0.0'), fullAudit('2.0.0-alpha.1'), violation('>=2.0.0-alpha.1')] },
    });
    expect(r.conclusion).toBe('fail (violation)');
    const star = checkFoo('1.0.0', {
      audits: { foo: [fullAudit('2.0.0-alpha.1'), violation('>=1.5')] },
      exemptions: { foo: [exemption('1.0.0')] },
    });
    expect(star.conclusion).toBe('success');
    expect(checkFoo('1.0.0-beta', { audits: { foo: [fullAudit('1.0.0-beta'), violation('*')] } }).conclusion).toBe(
      'success',
    );
    expect(checkFoo('1.0.0', { audits: { foo: [fullAudit('1.0.0'), violation('*')] } }).conclusion).toBe(
      'fail (violation)',
    );
  });

  it('imported violations count, against local and imported audits', () => {
    const r = checkFoo('1.0.0', {
      audits: { foo: [fullAudit('1.0.0')] },
      imports: {
        peer: { audits: { foo: [violation('*', 'safe-to-run')] } },
        other: { audits: { foo: [fullAudit('0.5.0')] } },
      },
    });
    const conflicts = r.violations['foo:1.0.0']!;
    expect(
      conflicts.map((c) => (c.kind === 'audit' ? `${c.violationSource}→${c.auditSource ?? 'local'}` : '')),
    ).toEqual(['peer→other', 'peer→local']);
  });

  it('wildcard audits, trusted entries and unpublished rows are not checked', () => {
    const r = checkFoo('1.0.0', {
      audits: { foo: [violation('*')] },
      trusted: {
        foo: [
          {
            criteria: ['safe-to-deploy'],
            identity: { kind: 'user-id', userId: 1 },
            start: '2020-01-01',
            end: '2030-01-01',
            aggregatedFrom: [],
          },
        ],
      },
      publisher: { foo: [{ version: '1.0.0', when: '2021-01-01', identity: { kind: 'user-id', userId: 1 } }] },
    });
    expect(r.conclusion).toBe('success');
  });

  it('a conflict fails the run even when every package would otherwise vet, and takes precedence', () => {
    const g = graphOf({ app: { deps: ['foo@1.0.0', 'bar@1.0.0'] }, 'foo@1.0.0': {}, 'bar@1.0.0': {} });
    const r = resolve({ graph: g, store: storeOf({ audits: { foo: [fullAudit('1.0.0'), violation('1.0.0')] } }) });
    expect(r.conclusion).toBe('fail (violation)');
    expect(r.failures.map((f) => f.node.name)).toEqual(['bar']);
    expect(r.results.has('foo@1.0.0')).toBe(false); // no search for conflicting packages
  });

  it('an invalid requirement is an INVALID_STORE error', () => {
    let err: unknown;
    try {
      checkFoo('1.0.0', { audits: { foo: [violation('>=>1')] } });
    } catch (e) {
      err = e;
    }
    expect((err as VetError).code).toBe('INVALID_STORE');
  });
});
