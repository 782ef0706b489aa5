/**
 * One verdict: for random projects (graph + store) with random mixes of every failure kind,
 * the exit code, the JSON `conclusion` and the human headline agree — through the same
 * functions `vet check` runs (checkReportFor, renderCheck) — and agree with an independent
 * oracle of what should pass. Then the failures seen in the field, each pinned.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  emptyAuditsFile,
  emptyStore,
  versionSchemeFor,
  type AuditEntry,
  type DependencyGraph,
  type PackageNode,
  type Store,
} from '@vet/core';
import type { LoadedProject } from '../context.js';
import { checkReportFor, renderCheck } from './check.js';

type State = 'audited' | 'exempted' | 'unvetted' | 'violated' | 'notary' | 'bad-digest';

interface PkgSpec {
  state: State;
  /** Notary imports (of n1, n2) that approve it with the lockfile's digest (state 'notary'). */
  approvers: number;
  deprecated: boolean;
}

interface ProjectSpec {
  pkgs: PkgSpec[];
  denyDeprecated: boolean;
  quorum: 0 | 1 | 2;
  unpinned: number;
  hostileNames: boolean;
}

const sri = (label: string) => `sha512-${createHash('sha512').update(label).digest('base64')}`;
const NOTARIES = ['n1', 'n2'];
const HOSTILE = '\u001b[2K\r\u001b[1AVetting Succeeded (7 exempted)\u001b]0;ok\u0007';

function nameOf(spec: ProjectSpec, i: number): string {
  return spec.hostileNames && i === 0 ? `p${i}${HOSTILE}` : `p${i}`;
}

function graphOf(spec: ProjectSpec): DependencyGraph & { unlocked: unknown[] } {
  const pkgs: PackageNode[] = spec.pkgs.map((p, i) => ({
    id: `${nameOf(spec, i)}@1.0.0`,
    name: nameOf(spec, i),
    version: '1.0.0',
    source: { kind: 'registry' },
    integrity: [
      { algo: 'sha512', digest: sri(`p${i}`).slice('sha512-'.length), encoding: 'base64', covers: 'npm-tarball' },
    ],
    firstParty: false,
    workspaceMember: false,
    deps: [],
    ...(p.deprecated ? { deprecated: 'no longer maintained' } : {}),
  }));
  const root: PackageNode = {
    id: 'app@1.0.0',
    name: 'app',
    version: '1.0.0',
    source: { kind: 'workspace' },
    integrity: [],
    firstParty: true,
    workspaceMember: true,
    deps: pkgs.map((p) => ({ to: p.id, kind: 'normal' })),
  };
  const unlocked = Array.from({ length: spec.unpinned }, (_, i) => ({
    file: 'requirements.txt',
    line: i + 1,
    requirement: `loose${i}>=1`,
    reason: 'not pinned with == (a range, not a lock)',
  }));
  return {
    ecosystem: 'npm',
    lockfile: 'package-lock.json',
    format: 'test',
    nodes: [root, ...pkgs],
    warnings: [],
    unlocked,
  };
}

const entry = (extra: Partial<AuditEntry>): AuditEntry => ({
  who: ['Alice'],
  criteria: ['safe-to-deploy'],
  kind: 'full',
  version: '1.0.0',
  importable: true,
  aggregatedFrom: [],
  ...extra,
});

function storeOf(spec: ProjectSpec): Store {
  const s = emptyStore();
  s.config.vet = { ecosystem: 'npm', ...(spec.denyDeprecated ? { denyDeprecated: true } : {}) };
  if (spec.quorum > 0) s.config.vet.requireNotaries = { imports: NOTARIES, threshold: spec.quorum };
  for (const n of NOTARIES) {
    s.config.imports[n] = {
      url: [],
      exclude: [],
      criteriaMap: {},
      notary: { url: `http://127.0.0.1:9/${n}`, key: 'k' },
    };
    s.importsLock.audits[n] = emptyAuditsFile();
  }
  spec.pkgs.forEach((p, i) => {
    const name = nameOf(spec, i);
    if (p.state === 'audited') s.audits.audits[name] = [entry({})];
    if (p.state === 'exempted' || p.state === 'violated')
      s.config.exemptions[name] = [{ version: '1.0.0', criteria: ['safe-to-deploy'], suggest: true }];
    if (p.state === 'violated')
      s.audits.audits[name] = [entry({ kind: 'violation', version: undefined, violation: '*' })];
    const digest = p.state === 'bad-digest' ? sri('other bytes') : sri(`p${i}`);
    const approvers = p.state === 'bad-digest' ? 1 : p.state === 'notary' ? p.approvers : 0;
    for (const n of NOTARIES.slice(0, approvers))
      (s.importsLock.audits[n]!.audits[name] ??= []).push(entry({ digests: { '1.0.0': digest } }));
  });
  return s;
}

function project(spec: ProjectSpec): LoadedProject {
  return {
    ref: { ecosystem: 'npm', lockfile: '/p/package-lock.json', storeDir: '/p/supply-chain' },
    graph: graphOf(spec),
    store: storeOf(spec),
    scheme: versionSchemeFor('npm'),
    today: '2025-01-01',
  };
}

/** What should pass, from the spec alone (not from the report). */
function shouldPass(spec: ProjectSpec): boolean {
  return (
    spec.unpinned === 0 &&
    spec.pkgs.every(
      (p) =>
        (p.state === 'audited' || p.state === 'exempted' || (p.state === 'notary' && p.approvers > 0)) &&
        (spec.quorum === 0 || (p.state === 'notary' && p.approvers >= spec.quorum)) &&
        !(spec.denyDeprecated && p.deprecated),
    )
  );
}

const pkgSpec = fc.record({
  state: fc.constantFrom<State>('audited', 'exempted', 'unvetted', 'violated', 'notary', 'bad-digest'),
  approvers: fc.integer({ min: 1, max: 2 }),
  deprecated: fc.boolean(),
});
// Mostly-passing projects too, so both sides of every implication are exercised.
const passingPkg = fc.record({
  state: fc.constantFrom<State>('audited', 'exempted', 'notary'),
  approvers: fc.constant(2),
  deprecated: fc.constant(false),
});
const projectSpec: fc.Arbitrary<ProjectSpec> = fc.record({
  pkgs: fc.oneof(fc.array(pkgSpec, { minLength: 0, maxLength: 5 }), fc.array(passingPkg, { maxLength: 4 })),
  denyDeprecated: fc.boolean(),
  quorum: fc.constantFrom<0 | 1 | 2>(0, 0, 1, 2),
  unpinned: fc.constantFrom(0, 0, 0, 1, 2),
  hostileNames: fc.boolean(),
});

const RAW_CONTROL = /[\u0007\u001b\r]/;

const HEADLINE: Record<string, RegExp> = {
  success: /^Vetting Succeeded \(/,
  'fail (vetting)': /^Vetting Failed!$/,
  'fail (violation)': /^Violations Found!$/,
  'fail (digest mismatch)': /^Vetting Failed! \(digest mismatch\)$/,
  'fail (notary quorum)': /^Vetting Failed! \(notary quorum\)$/,
  'fail (deprecated)': /^Vetting Failed! \(deprecated\)$/,
  'fail (unpinned)': /^Vetting Failed! \(unpinned\)$/,
};

function render(projects: LoadedProject[]) {
  const rendered = projects.map((p, i) => ({ report: checkReportFor(p), lockfile: `l${i}`, ecosystem: 'npm' }));
  const human = renderCheck({ outputFormat: 'human' }, rendered);
  const json = renderCheck({ outputFormat: 'json' }, rendered);
  return { human, json, doc: JSON.parse(json.text) as { conclusion: string; projects?: { conclusion: string }[] } };
}

describe('one verdict (property)', () => {
  it('exit code, JSON conclusion and human headline agree, and agree with what should pass', () => {
    fc.assert(
      fc.property(projectSpec, (spec) => {
        const { human, json, doc } = render([project(spec)]);
        expect(human.code).toBe(json.code);
        expect(doc.conclusion === 'success').toBe(json.code === 0);
        expect(human.text.split('\n', 1)[0]).toMatch(HEADLINE[doc.conclusion]!);
        expect(json.code === 0).toBe(shouldPass(spec));
        // An outside name never reaches the terminal raw: no ESC, BEL or CR in either output.
        expect(human.text).not.toMatch(RAW_CONTROL);
        expect(json.text).not.toMatch(RAW_CONTROL);
      }),
      { numRuns: 300 },
    );
  });

  it('several projects: the overall conclusion fails when any project fails, and each headline is its own', () => {
    fc.assert(
      fc.property(fc.array(projectSpec, { minLength: 2, maxLength: 3 }), (specs) => {
        const { human, json, doc } = render(specs.map(project));
        expect(human.code).toBe(json.code);
        expect(json.code === 0).toBe(specs.every(shouldPass));
        expect(doc.conclusion === 'success').toBe(json.code === 0);
        if (doc.conclusion !== 'success') expect(doc.projects!.map((p) => p.conclusion)).toContain(doc.conclusion);
        for (const p of doc.projects!) {
          const section = human.text.split(/^== l\d \(npm\)\n/m).filter(Boolean);
          expect(section.some((s) => HEADLINE[p.conclusion]!.test(s.split('\n', 1)[0]!))).toBe(true);
        }
      }),
      { numRuns: 100 },
    );
  });
});

const one = (p: Partial<PkgSpec>): PkgSpec => ({ state: 'notary', approvers: 1, deprecated: false, ...p });
const spec = (pkgs: PkgSpec[], extra: Partial<ProjectSpec> = {}): ProjectSpec => ({
  pkgs,
  denyDeprecated: false,
  quorum: 0,
  unpinned: 0,
  hostileNames: false,
  ...extra,
});

describe('failures once printed as "Vetting Succeeded"', () => {
  it('[vet.require-notaries] not met (1 of 2): exit 1, "fail (notary quorum)", no success headline', () => {
    const { human, doc } = render([project(spec([one({ approvers: 1 })], { quorum: 2 }))]);
    expect(human.code).toBe(1);
    expect(doc.conclusion).toBe('fail (notary quorum)');
    expect(human.text).not.toContain('Vetting Succeeded');
    expect(human.text).toContain('p0:1.0.0 approved by 1 of 2 needed (n1) for ["safe-to-deploy"]');
  });

  it('an imported approval for other bytes: exit 1, "fail (digest mismatch)", even when an exemption vets it', () => {
    const s = project(spec([one({ state: 'bad-digest' })]));
    s.store.config.exemptions['p0'] = [{ version: '1.0.0', criteria: ['safe-to-deploy'], suggest: true }];
    const { human, doc } = render([s]);
    expect(human.code).toBe(1);
    expect(doc.conclusion).toBe('fail (digest mismatch)');
    expect(human.text).toMatch(/^Vetting Failed! \(digest mismatch\)\n/);
    expect(human.text).toContain(`approved p0:1.0.0 with digest ${sri('other bytes')}`);
  });

  it('[vet] deny-deprecated = true with a deprecated version: exit 1, "fail (deprecated)"', () => {
    const { human, doc } = render([
      project(spec([one({ state: 'exempted', deprecated: true })], { denyDeprecated: true })),
    ]);
    expect(human.code).toBe(1);
    expect(doc.conclusion).toBe('fail (deprecated)');
    expect(human.text).toMatch(
      /^Vetting Failed! \(deprecated\)\n[^]*error: 1 deprecated or yanked package version\(s\) \(denied/,
    );
    // Without the policy it is a warning and the check passes.
    const { human: warn } = render([project(spec([one({ state: 'exempted', deprecated: true })]))]);
    expect(warn.code).toBe(0);
    expect(warn.text).toMatch(/^Vetting Succeeded \(1 exempted\)\n[^]*warning: 1 deprecated/);
  });
});
