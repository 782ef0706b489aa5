/** One test per rule of spec §7.4–7.7 and the relevant traps of §14. */
import { describe, expect, it } from 'vitest';
import { VetError } from '../errors.js';
import {
  deltaAudit,
  exemption,
  fullAudit,
  graphOf,
  login,
  publisher,
  storeOf,
  trusted,
  userId,
  wildcard,
  type NodeSpec,
  type StoreSpec,
} from './__fixtures__/builders.js';
import { chosenPath, resolve } from './resolve.js';
import type { ResolveReport } from './types.js';

const HASH = '4445659b0f753a928059244c875a58bb12f791e9';

function check(
  table: Record<string, NodeSpec>,
  spec: StoreSpec = {},
  ecosystem: 'cargo' | 'npm' = 'cargo',
): ResolveReport {
  return resolve({ graph: graphOf(table, ecosystem), store: storeOf(spec) });
}

/** app → each of `pkgs` (normal deps, so safe-to-deploy is required). */
function checkDeps(pkgs: string[], spec: StoreSpec = {}, ecosystem: 'cargo' | 'npm' = 'cargo'): ResolveReport {
  const table: Record<string, NodeSpec> = { app: { deps: pkgs } };
  for (const p of pkgs) table[p] = {};
  return check(table, spec, ecosystem);
}

const failing = (r: ResolveReport) =>
  r.failures.map((f) => `${f.node.name}:${f.node.version} ${f.missingCriteria.join(',')}`);
const names = (l: Array<{ name: string; version: string }>) => l.map((n) => `${n.name}:${n.version}`);
const stats = (r: ResolveReport) => [r.vettedFully.length, r.vettedPartially.length, r.vettedWithExemptions.length];

describe('audit edges (§7.4)', () => {
  it('a full audit vets its version', () => {
    const r = checkDeps(['foo@1.0.0'], { audits: { foo: [fullAudit('1.0.0')] } });
    expect(r.conclusion).toBe('success');
    expect(names(r.vettedFully)).toEqual(['foo:1.0.0']);
  });

  it('no audit at all fails with the minimal missing criteria', () => {
    const r = checkDeps(['foo@1.0.0']);
    expect(r.conclusion).toBe('fail (vetting)');
    expect(failing(r)).toEqual(['foo:1.0.0 safe-to-deploy']);
  });

  it('delta chains connect: full 1.0 + 1.0→1.1 + 1.1→1.2', () => {
    const audits = { foo: [fullAudit('1.0.0'), deltaAudit('1.0.0', '1.1.0'), deltaAudit('1.1.0', '1.2.0')] };
    expect(checkDeps(['foo@1.2.0'], { audits }).conclusion).toBe('success');
    expect(failing(checkDeps(['foo@1.3.0'], { audits }))).toEqual(['foo:1.3.0 safe-to-deploy']);
  });

  it('deltas may go backwards', () => {
    const r = checkDeps(['foo@2.1.1'], { audits: { foo: [fullAudit('2.1.3'), deltaAudit('2.1.3', '2.1.1')] } });
    expect(r.conclusion).toBe('success');
  });

  it('one criterion at a time: a chain must carry the criterion on every edge (trap §14.8)', () => {
    const r = checkDeps(['foo@1.1.0'], {
      audits: { foo: [fullAudit('1.0.0', 'safe-to-run'), deltaAudit('1.0.0', '1.1.0')] },
    });
    expect(failing(r)).toEqual(['foo:1.1.0 safe-to-deploy']);
    // ...and safe-to-run does connect, so only safe-to-deploy is missing.
    const res = r.results.get('foo@1.1.0')!;
    expect(res.outcomes.map((o) => o.ok)).toEqual([true, false]);
  });

  it('unions across different paths do not combine (custom criteria)', () => {
    const r = checkDeps(['foo@1.1.0'], {
      criteria: { a: {}, b: {} },
      policy: { app: { criteria: ['a', 'b'] } },
      audits: { foo: [fullAudit('1.0.0', 'a'), deltaAudit('1.0.0', '1.1.0', 'b'), fullAudit('1.1.0', 'b')] },
    });
    expect(failing(r)).toEqual(['foo:1.1.0 a']);
  });

  it('implies: a custom criterion implying safe-to-deploy satisfies it', () => {
    const r = checkDeps(['foo@1.0.0'], {
      criteria: { 'crypto-reviewed': { implies: ['safe-to-deploy'] } },
      audits: { foo: [fullAudit('1.0.0', 'crypto-reviewed')] },
    });
    expect(r.conclusion).toBe('success');
  });

  it('custom criteria required by policy must be audited', () => {
    const spec: StoreSpec = {
      criteria: { 'crypto-reviewed': {} },
      policy: { app: { dependencyCriteria: { foo: ['safe-to-deploy', 'crypto-reviewed'] } } },
    };
    const r = checkDeps(['foo@1.0.0'], { ...spec, audits: { foo: [fullAudit('1.0.0')] } });
    expect(failing(r)).toEqual(['foo:1.0.0 crypto-reviewed']);
  });

  it('dev-only dependencies need only safe-to-run', () => {
    const r = check(
      { app: { dev: ['t@1.0.0'] }, 't@1.0.0': {} },
      { audits: { t: [fullAudit('1.0.0', 'safe-to-run')] } },
    );
    expect(r.conclusion).toBe('success');
  });

  it('build dependencies need safe-to-deploy', () => {
    const r = check(
      { app: { build: ['cc@1.0.0'] }, 'cc@1.0.0': {} },
      { audits: { cc: [fullAudit('1.0.0', 'safe-to-run')] } },
    );
    expect(failing(r)).toEqual(['cc:1.0.0 safe-to-deploy']);
  });

  it('exemptions are full-audit edges', () => {
    const r = checkDeps(['foo@1.0.0'], { exemptions: { foo: [exemption('1.0.0')] } });
    expect(r.conclusion).toBe('success');
    expect(names(r.vettedWithExemptions)).toEqual(['foo:1.0.0']);
  });

  it('imported audits count (criteria already local, trap §14.4)', () => {
    const r = checkDeps(['foo@1.1.0'], {
      imports: {
        mozilla: { audits: { foo: [fullAudit('1.0.0')] } },
        google: { audits: { foo: [deltaAudit('1.0.0', '1.1.0')] } },
      },
    });
    expect(r.conclusion).toBe('success');
    expect(chosenPath(r, 'foo@1.1.0', 'safe-to-deploy')!.map((e) => e.origin.kind)).toEqual([
      'imported-audit',
      'imported-audit',
    ]);
  });

  it('imported trusted entries create no edges; local ones do (trap §14.5)', () => {
    const pub = { foo: [publisher('1.0.0', '2023-01-01', userId(7))] };
    const imported = checkDeps(['foo@1.0.0'], {
      publisher: pub,
      imports: { peer: { trusted: { foo: [trusted(userId(7), '2022-01-01', '2024-01-01')] } } },
    });
    expect(imported.conclusion).toBe('fail (vetting)');
    const local = checkDeps(['foo@1.0.0'], {
      publisher: pub,
      trusted: { foo: [trusted(userId(7), '2022-01-01', '2024-01-01')] },
    });
    expect(local.conclusion).toBe('success');
    expect(chosenPath(local, 'foo@1.0.0', 'safe-to-deploy')!.map((e) => e.origin.kind)).toEqual(['trusted']);
  });

  it('wildcard windows: start inclusive, end exclusive, expired entries still cover old versions (trap §14.6)', () => {
    const w = { foo: [wildcard(userId(7), '2022-06-01', '2023-06-01')] };
    const at = (when: string, spec: Partial<StoreSpec> = {}) =>
      checkDeps(['foo@1.0.0'], {
        wildcardAudits: w,
        publisher: { foo: [publisher('1.0.0', when, userId(7))] },
        ...spec,
      }).conclusion;
    expect(at('2022-06-01')).toBe('success');
    expect(at('2023-05-31')).toBe('success');
    expect(at('2023-06-01')).toBe('fail (vetting)');
    expect(at('2022-05-31')).toBe('fail (vetting)');
  });

  it('wildcard audits need a publisher row with the same identity; imported ones count', () => {
    const rows = { foo: [publisher('1.0.0', '2023-01-01', userId(8))] };
    expect(
      checkDeps(['foo@1.0.0'], {
        wildcardAudits: { foo: [wildcard(userId(7), '2022-01-01', '2024-01-01')] },
        publisher: rows,
      }).conclusion,
    ).toBe('fail (vetting)');
    expect(
      checkDeps(['foo@1.0.0'], { wildcardAudits: { foo: [wildcard(userId(7), '2022-01-01', '2024-01-01')] } })
        .conclusion,
    ).toBe('fail (vetting)');
    const imported = checkDeps(['foo@1.0.0'], {
      imports: { peer: { wildcardAudits: { foo: [wildcard(userId(8), '2022-01-01', '2024-01-01')] } } },
      publisher: rows,
    });
    expect(imported.conclusion).toBe('success');
  });

  it('trusted-publisher and npm user-login identities match', () => {
    const tp = { kind: 'trusted-publisher', trustedPublisher: 'github:org/repo' } as const;
    expect(
      checkDeps(['foo@1.0.0'], {
        wildcardAudits: { foo: [wildcard(tp, '2022-01-01', '2024-01-01')] },
        publisher: { foo: [publisher('1.0.0', '2023-01-01', tp)] },
      }).conclusion,
    ).toBe('success');
    const npm = checkDeps(
      ['left-pad@1.3.0'],
      {
        trusted: { 'left-pad': [trusted(login('stevemao'), '2015-01-01', '2030-01-01')] },
        publisher: { 'left-pad': [publisher('1.3.0', '2018-04-09', userId(1), 'stevemao')] },
      },
      'npm',
    );
    expect(npm.conclusion).toBe('success');
  });

  it('unpublished rows are all-criteria deltas audited_as → version (trap §14.12)', () => {
    const table = { app: { deps: ['cranelift'] }, cranelift: { member: true } };
    const spec: StoreSpec = {
      policy: { cranelift: { auditAsCratesIo: true } },
      criteria: { 'crypto-reviewed': {} },
      audits: { cranelift: [fullAudit('0.134.3', ['safe-to-deploy', 'crypto-reviewed'])] },
      unpublished: { cranelift: [{ version: '0.1.0', auditedAs: '0.134.3' }] },
    };
    const r = check(table, spec);
    expect(r.conclusion).toBe('success');
    expect(names(r.vettedFully)).toEqual(['cranelift:0.1.0']); // unpublished edges are not exemptions
    expect(check(table, { ...spec, unpublished: {} }).conclusion).toBe('fail (vetting)');
  });

  it('audit-as-crates-io makes a first-party package third-party; without it, it is never audited', () => {
    const table = { app: { deps: ['forked@1.0.0'] }, 'forked@1.0.0': { firstParty: true } };
    expect(check(table).conclusion).toBe('success');
    expect(check(table, { policy: { 'forked:1.0.0': { auditAsCratesIo: true } } }).conclusion).toBe('fail (vetting)');
  });

  it('git versions are distinct from published ones (trap §14.15)', () => {
    const git = `1.0.0@git:${HASH}`;
    expect(checkDeps([`foo@${git}`], { audits: { foo: [fullAudit('1.0.0')] } }).conclusion).toBe('fail (vetting)');
    const ok = checkDeps([`foo@${git}`], {
      audits: { foo: [fullAudit('1.0.0'), deltaAudit('1.0.0', git, 'safe-to-deploy', { importable: false })] },
    });
    expect(ok.conclusion).toBe('success');
  });

  it('same name+version from two sources: two nodes sharing one audit graph (trap §14.16)', () => {
    const table = {
      app: { deps: ['foo@1.0.0', 'foo-git'] },
      'foo@1.0.0': {},
      'foo-git': { name: 'foo', version: '1.0.0', member: false },
    };
    const r = check(table, { audits: { foo: [fullAudit('1.0.0')] } });
    expect(r.conclusion).toBe('success');
    expect(r.vettedFully.map((n) => n.id)).toEqual(['foo-git', 'foo@1.0.0']);
  });
});

describe('statistics (§7.7, trap §14.13)', () => {
  it('full audit beats an exemption for the same version in check mode', () => {
    const r = checkDeps(['foo@1.0.0'], {
      audits: { foo: [fullAudit('1.0.0')] },
      exemptions: { foo: [exemption('1.0.0')] },
    });
    expect(stats(r)).toEqual([1, 0, 0]);
  });

  it('non-importable local audits still rank above exemptions', () => {
    const r = checkDeps(['foo@1.0.0'], {
      audits: { foo: [fullAudit('1.0.0', 'safe-to-deploy', { importable: false })] },
      exemptions: { foo: [exemption('1.0.0')] },
    });
    expect(stats(r)).toEqual([1, 0, 0]);
  });

  it('exemption + delta = partially audited; exemption alone = exempted', () => {
    const r = checkDeps(['foo@1.1.0', 'bar@1.0.0'], {
      audits: { foo: [deltaAudit('1.0.0', '1.1.0')] },
      exemptions: { foo: [exemption('1.0.0')], bar: [exemption('1.0.0')] },
    });
    expect(names(r.vettedPartially)).toEqual(['foo:1.1.0']);
    expect(names(r.vettedWithExemptions)).toEqual(['bar:1.0.0']);
  });

  it('a path of only exemption/unpublished edges counts as exempted', () => {
    const r = check(
      { app: { deps: ['cl'] }, cl: { member: true } },
      {
        policy: { cl: { auditAsCratesIo: true } },
        exemptions: { cl: [exemption('0.9.0')] },
        unpublished: { cl: [{ version: '0.1.0', auditedAs: '0.9.0' }] },
      },
    );
    expect(stats(r)).toEqual([0, 0, 1]);
  });

  it('check mode prefers an exemption over a stale unpublished row (caveat order §7.6)', () => {
    const r = check(
      { app: { deps: ['cl'] }, cl: { member: true } },
      {
        policy: { cl: { auditAsCratesIo: true } },
        audits: { cl: [fullAudit('0.9.0')] },
        exemptions: { cl: [exemption('0.1.0')] },
        unpublished: { cl: [{ version: '0.1.0', auditedAs: '0.9.0' }] },
      },
    );
    expect(stats(r)).toEqual([0, 0, 1]);
    expect(chosenPath(r, 'cl', 'safe-to-deploy')!.map((e) => e.origin.kind)).toEqual(['exemption']);
  });

  it('third-party packages with no requirement count as fully audited', () => {
    const r = check(
      { app: { deps: ['fuzz'] }, fuzz: { member: true, deps: ['x@1.0.0'] }, 'x@1.0.0': {}, 'orphan@1.0.0': {} },
      { policy: { fuzz: { criteria: [] } } },
    );
    expect(r.conclusion).toBe('success');
    expect(names(r.vettedFully)).toEqual(['orphan:1.0.0', 'x:1.0.0']);
  });

  it('counts per version node and sorts lists by (name, version)', () => {
    const r = checkDeps(['b@1.10.0', 'b@1.9.0', 'a@2.0.0'], {
      audits: { a: [fullAudit('2.0.0')], b: [fullAudit('1.9.0'), fullAudit('1.10.0')] },
    });
    expect(names(r.vettedFully)).toEqual(['a:2.0.0', 'b:1.9.0', 'b:1.10.0']);
  });

  it('failures are sorted by (name, version) with minimal names', () => {
    const r = checkDeps(['zed@1.0.0', 'b@1.10.0', 'b@1.9.0']);
    expect(failing(r)).toEqual(['b:1.9.0 safe-to-deploy', 'b:1.10.0 safe-to-deploy', 'zed:1.0.0 safe-to-deploy']);
  });
});

describe('errors', () => {
  it('an audit naming an unknown criterion is a CRITERIA_ERROR, not a crash', () => {
    let err: unknown;
    try {
      checkDeps(['foo@1.0.0'], { audits: { foo: [fullAudit('1.0.0', 'safe-to-fly')] } });
    } catch (e) {
      err = e;
    }
    expect((err as VetError).code).toBe('CRITERIA_ERROR');
    expect((err as VetError).file).toBe('audits.toml');
  });
});
