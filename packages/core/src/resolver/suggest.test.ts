/** §8 pure suggestion machinery, §11.2 pruning facts, and explain-audit text. */
import { describe, expect, it } from 'vitest';
import {
  deltaAudit,
  exemption,
  fullAudit,
  graphOf,
  publisher,
  storeOf,
  userId,
  wildcard,
  type StoreSpec,
} from './__fixtures__/builders.js';
import { formatExplainAudit } from './explain.js';
import { resolve } from './resolve.js';
import { suggestCandidates, suggestedCriteriaFor } from './suggest.js';
import type { ResolveReport } from './types.js';
import { findUnusedEntries } from './unused.js';

const HASH = '4445659b0f753a928059244c875a58bb12f791e9';

function checkFoo(version: string, spec: StoreSpec = {}): ResolveReport {
  return resolve({
    graph: graphOf({ app: { deps: [`foo@${version}`] }, [`foo@${version}`]: {} }),
    store: storeOf(spec),
  });
}
const show = (cs: Array<{ from?: string; to: string; kind: string }>) =>
  cs.map((c) => `${c.from ?? 'full'} -> ${c.to}${c.kind === 'git-extra' ? ' (extra)' : ''}`);

describe('suggestCandidates (§8)', () => {
  it('suggests a full audit when nothing is reachable', () => {
    const r = checkFoo('1.0.0');
    expect(show(suggestCandidates(r, r.failures[0]!.node))).toEqual(['full -> 1.0.0']);
    expect(suggestCandidates(r, r.failures[0]!.node)[0]!.criteria).toEqual(['safe-to-deploy']);
  });

  it('closest audited version below and above the target', () => {
    const r = checkFoo('1.5.0', { audits: { foo: [fullAudit('1.0.0'), fullAudit('1.2.0'), fullAudit('2.0.0')] } });
    expect(show(suggestCandidates(r, 'foo@1.5.0'))).toEqual(['1.2.0 -> 1.5.0', '2.0.0 -> 1.5.0']);
  });

  it('uses versions from which the target is already reachable', () => {
    const r = checkFoo('1.5.0', { audits: { foo: [fullAudit('1.0.0'), deltaAudit('1.4.0', '1.5.0')] } });
    expect(show(suggestCandidates(r, 'foo@1.5.0'))).toEqual(['1.0.0 -> 1.4.0', '1.0.0 -> 1.5.0']);
  });

  it('drops versions without sources when the published list is known', () => {
    const r = checkFoo('1.5.0', { audits: { foo: [fullAudit('1.2.0'), fullAudit('1.4.0')] } });
    expect(show(suggestCandidates(r, 'foo@1.5.0', { publishedVersions: ['1.2.0', '1.5.0'] }))).toEqual([
      '1.2.0 -> 1.5.0',
    ]);
  });

  it('intersects across failing criteria', () => {
    const r = checkFoo('1.5.0', {
      audits: { foo: [fullAudit('1.0.0', 'safe-to-run'), fullAudit('1.2.0'), fullAudit('1.4.0', 'safe-to-run')] },
    });
    // Both criteria fail; the roots reachable for safe-to-deploy ({root, 1.2.0}) bound the candidates.
    const f = r.failures[0]!;
    expect(f.missingCriteria).toEqual(['safe-to-deploy']);
    expect(show(suggestCandidates(r, f.node))).toEqual(['1.2.0 -> 1.5.0']);
  });

  it('git target: audit the nearest published version first, plus the delta to git', () => {
    const git = `1.5.0@git:${HASH}`;
    const r = checkFoo(git, { audits: { foo: [fullAudit('1.0.0')] } });
    expect(show(suggestCandidates(r, `foo@${git}`, { publishedVersions: ['1.0.0', '1.4.0', '1.6.0'] }))).toEqual([
      '1.0.0 -> 1.4.0',
      `1.4.0 -> ${git} (extra)`,
    ]);
  });

  it('returns nothing for a node that passes', () => {
    const r = checkFoo('1.0.0', { audits: { foo: [fullAudit('1.0.0')] } });
    expect(suggestCandidates(r, 'foo@1.0.0')).toEqual([]);
  });

  it('suggestedCriteriaFor: what an audit would heal (certify guess)', () => {
    const r = checkFoo('1.1.0', { audits: { foo: [fullAudit('1.0.0', 'safe-to-run'), fullAudit('0.9.0')] } });
    expect(suggestedCriteriaFor(r, 'foo', '1.0.0', '1.1.0')).toEqual(['safe-to-run']);
    expect(suggestedCriteriaFor(r, 'foo', '0.9.0', '1.1.0')).toEqual(['safe-to-deploy']);
    expect(suggestedCriteriaFor(r, 'foo', '0.5.0', '1.1.0')).toEqual([]);
  });
});

describe('findUnusedEntries (§11.2)', () => {
  it('reports exemptions made redundant by audits, and exemptions of absent packages', () => {
    const u = findUnusedEntries({
      graph: graphOf({ app: { deps: ['foo@1.0.0', 'bar@1.0.0'] }, 'foo@1.0.0': {}, 'bar@1.0.0': {} }),
      store: storeOf({
        audits: { foo: [fullAudit('1.0.0')] },
        exemptions: {
          foo: [exemption('1.0.0')],
          bar: [exemption('1.0.0', ['safe-to-deploy'])],
          gone: [exemption('3.0.0')],
        },
      }),
    });
    expect(u.exemptions.map((e) => `${e.name}:${e.entry.version}`)).toEqual(['foo:1.0.0', 'gone:3.0.0']);
  });

  it('narrows exemptions to the criteria used', () => {
    const u = findUnusedEntries({
      graph: graphOf({ app: { dev: ['t@1.0.0'] }, 't@1.0.0': {} }),
      store: storeOf({ exemptions: { t: [exemption('1.0.0', 'safe-to-deploy')] } }),
    });
    expect(u.narrowableExemptions.map((e) => [e.name, e.usedCriteria])).toEqual([['t', ['safe-to-run']]]);
  });

  it('keeps everything for a failing package; reports unused imports and publisher rows', () => {
    const u = findUnusedEntries({
      graph: graphOf({ app: { deps: ['foo@1.0.0', 'bar@1.0.0'] }, 'foo@1.0.0': {}, 'bar@1.0.0': {} }),
      store: storeOf({
        audits: { foo: [fullAudit('1.0.0')] },
        exemptions: { bar: [exemption('0.1.0')] }, // bar fails: its exemption is kept
        imports: { peer: { audits: { foo: [fullAudit('0.9.0'), fullAudit('1.0.0')], baz: [fullAudit('1.0.0')] } } },
        wildcardAudits: { foo: [wildcard(userId(1), '2020-01-01', '2030-01-01')] },
        publisher: { foo: [publisher('0.8.0', '2021-01-01', userId(1))] },
      }),
    });
    expect(u.exemptions).toEqual([]);
    expect(u.importedAudits.map((a) => `${a.importName}/${a.name}:${a.entry.version}`)).toEqual([
      'peer/foo:0.9.0',
      'peer/foo:1.0.0',
      'peer/baz:1.0.0',
    ]);
    expect(u.publisherRows.map((p) => p.entry.version)).toEqual(['0.8.0']);
  });

  it('prune mode prefers imported audits over exemptions', () => {
    const u = findUnusedEntries({
      graph: graphOf({ app: { deps: ['foo@1.0.0'] }, 'foo@1.0.0': {} }),
      store: storeOf({
        exemptions: { foo: [exemption('1.0.0')] },
        imports: { peer: { audits: { foo: [fullAudit('1.0.0')] } } },
      }),
    });
    expect(u.exemptions.map((e) => e.name)).toEqual(['foo']);
    expect(u.importedAudits).toEqual([]);
  });
});

describe('formatExplainAudit', () => {
  it('prints the chosen path root first', () => {
    const r = checkFoo('1.1.0', {
      audits: { foo: [deltaAudit('1.0.0', '1.1.0', 'safe-to-deploy', { who: ['Alice'] })] },
      imports: { mozilla: { audits: { foo: [fullAudit('1.0.0', 'safe-to-deploy', { who: ['Bob'] })] } } },
    });
    expect(formatExplainAudit(r, 'foo@1.1.0', 'safe-to-deploy')).toBe(
      'The package foo 1.1.0 certifies for safe-to-deploy\n  1. [mozilla] full audit for 1.0.0 by Bob\n  2. [local] delta audit for 1.0.0 -> 1.1.0 by Alice\n',
    );
  });

  it('explains a failure with the reachable versions', () => {
    const r = checkFoo('1.1.0', { exemptions: { foo: [exemption('1.0.0')] } });
    expect(formatExplainAudit(r, 'foo@1.1.0', 'safe-to-deploy')).toContain('from scratch: 1.0.0');
  });
});
