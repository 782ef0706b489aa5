/** Snapshots of what users see (STYLE §12): human and JSON output per scenario (spec §10). */
import { describe, expect, it } from 'vitest';
import { deltaAudit, exemption, fullAudit, graphOf, storeOf, violation } from './__fixtures__/builders.js';
import { formatCheckHuman, toCargoVetJson } from './report-format.js';
import { resolve } from './resolve.js';
import { formatShortList } from './short-list.js';
import { buildSuggestReport } from './suggest-report.js';

const graph = graphOf({
  app: { deps: ['serde@1.0.136', 'log@0.4.17', 'rand@0.8.5'], dev: ['proptest@1.0.0'] },
  'serde@1.0.136': {},
  'log@0.4.17': {},
  'rand@0.8.5': { deps: ['rand_core@0.6.4'] },
  'rand_core@0.6.4': {},
  'proptest@1.0.0': {},
});

describe('check output', () => {
  it('passing', () => {
    const r = resolve({
      graph,
      store: storeOf({
        audits: { serde: [fullAudit('1.0.136')], log: [fullAudit('0.4.17')], rand: [deltaAudit('0.8.4', '0.8.5')] },
        exemptions: {
          rand: [exemption('0.8.4')],
          rand_core: [exemption('0.6.4')],
          proptest: [exemption('1.0.0', 'safe-to-run')],
        },
      }),
    });
    expect(formatCheckHuman(r)).toMatchInlineSnapshot(`
      "Vetting Succeeded (2 fully audited, 1 partially audited, 2 exempted)
      "
    `);
    expect(JSON.stringify(toCargoVetJson(r), null, 2)).toMatchInlineSnapshot(`
      "{
        "conclusion": "success",
        "vetted_fully": [
          {
            "name": "log",
            "version": "0.4.17"
          },
          {
            "name": "serde",
            "version": "1.0.136"
          }
        ],
        "vetted_partially": [
          {
            "name": "rand",
            "version": "0.8.5"
          }
        ],
        "vetted_with_exemptions": [
          {
            "name": "proptest",
            "version": "1.0.0"
          },
          {
            "name": "rand_core",
            "version": "0.6.4"
          }
        ]
      }"
    `);
  });

  it('no third-party dependencies', () => {
    const r = resolve({ graph: graphOf({ app: {} }), store: storeOf() });
    expect(formatCheckHuman(r)).toBe('Vetting Succeeded (because you have no third-party dependencies)\n');
  });

  it('failing, with and without a suggestion block', () => {
    const r = resolve({
      graph,
      store: storeOf({
        criteria: { 'crypto-reviewed': { implies: ['safe-to-deploy'] } },
        audits: { serde: [fullAudit('1.0.100')], log: [fullAudit('0.4.17', 'safe-to-run')] },
        exemptions: { rand: [exemption('0.8.5')] },
      }),
    });
    expect(formatCheckHuman(r)).toMatchInlineSnapshot(`
      "Vetting Failed!

      4 unvetted dependencies:
        log:0.4.17 missing ["safe-to-deploy"]
        proptest:1.0.0 missing ["safe-to-run"]
        rand_core:0.6.4 missing ["safe-to-deploy"]
        serde:1.0.136 missing ["safe-to-deploy"]
      "
    `);
    const serde = r.failures.find((f) => f.node.name === 'serde')!;
    const proptest = r.failures.find((f) => f.node.name === 'proptest')!;
    const suggest = buildSuggestReport(r, [
      {
        node: serde.node,
        criteria: serde.missingCriteria,
        from: '1.0.100',
        to: '1.0.136',
        diffstat: { insertions: 120, deletions: 30, filesChanged: 7 },
        notableParents: ['app'],
        publisherLogin: 'dtolnay',
      },
      {
        node: proptest.node,
        criteria: proptest.missingCriteria,
        to: '1.0.0',
        diffstat: { insertions: 9000, deletions: 0, filesChanged: 80 },
        notableParents: ['app'],
      },
    ]);
    expect(formatCheckHuman(r, suggest)).toMatchInlineSnapshot(`
      "Vetting Failed!

      4 unvetted dependencies:
        log:0.4.17 missing ["safe-to-deploy"]
        proptest:1.0.0 missing ["safe-to-run"]
        rand_core:0.6.4 missing ["safe-to-deploy"]
        serde:1.0.136 missing ["safe-to-deploy"]

      recommended audits for safe-to-deploy (or crypto-reviewed):
          Command                         Publisher  Used By  Audit Size
          vet diff serde 1.0.100 1.0.136  dtolnay    app      7 files changed, 120 insertions(+), 30 deletions(-)

      recommended audits for safe-to-run (or safe-to-deploy, or crypto-reviewed):
          Command                     Publisher  Used By  Audit Size
          vet inspect proptest 1.0.0  UNKNOWN    app      9000 lines

      estimated audit backlog: 9150 lines

      Use |vet certify| to record the audits.
      "
    `);
    expect(JSON.stringify(toCargoVetJson(r, null), null, 2)).toMatchInlineSnapshot(`
      "{
        "conclusion": "fail (vetting)",
        "failures": [
          {
            "name": "log",
            "version": "0.4.17",
            "missing_criteria": [
              "safe-to-deploy"
            ]
          },
          {
            "name": "proptest",
            "version": "1.0.0",
            "missing_criteria": [
              "safe-to-run"
            ]
          },
          {
            "name": "rand_core",
            "version": "0.6.4",
            "missing_criteria": [
              "safe-to-deploy"
            ]
          },
          {
            "name": "serde",
            "version": "1.0.136",
            "missing_criteria": [
              "safe-to-deploy"
            ]
          }
        ],
        "suggest": null
      }"
    `);
    const json = toCargoVetJson(r, suggest) as {
      suggest: { total_lines: number; suggest_by_criteria: Record<string, unknown[]>; suggestions: unknown[] };
    };
    expect(json.suggest.total_lines).toBe(9150);
    expect(Object.keys(json.suggest.suggest_by_criteria)).toEqual([
      'safe-to-deploy (or crypto-reviewed)',
      'safe-to-run (or safe-to-deploy, or crypto-reviewed)',
    ]);
    expect(json.suggest.suggestions[0]).toEqual({
      name: 'serde',
      notable_parents: 'app',
      suggested_criteria: ['safe-to-deploy'],
      suggested_diff: {
        from: '1.0.100',
        to: '1.0.136',
        diffstat: { insertions: 120, deletions: 30, files_changed: 7 },
      },
    });
  });

  it('violation', () => {
    const r = resolve({
      graph,
      store: storeOf({
        audits: {
          serde: [fullAudit('1.0.136', 'safe-to-deploy', { who: ['Alice <a@example.com>'], notes: 'looked fine' })],
          log: [fullAudit('0.4.17')],
        },
        exemptions: {
          rand: [exemption('0.8.5')],
          rand_core: [exemption('0.6.4', 'safe-to-deploy', { notes: 'old' })],
          proptest: [exemption('1.0.0', 'safe-to-run')],
        },
        imports: {
          peer: {
            audits: {
              serde: [
                violation('>=1.0.100, <1.0.200', 'safe-to-run', { who: ['Mallory Watch', 'Bob'], notes: 'backdoor' }),
              ],
              rand_core: [violation('0.6', 'safe-to-deploy')],
            },
          },
        },
      }),
    });
    expect(formatCheckHuman(r)).toMatchInlineSnapshot(`
      "Violations Found!
        rand_core:0.6.4
          the exemption 0.6.4
            criteria: ["safe-to-deploy"]
            notes: old
          conflicts with foreign (peer) violation against ^0.6
            criteria: ["safe-to-deploy"]

        serde:1.0.136
          the own audit 1.0.136
            criteria: ["safe-to-deploy"]
            who: Alice <a@example.com>
            notes: looked fine
          conflicts with foreign (peer) violation against >=1.0.100, <1.0.200
            criteria: ["safe-to-run"]
            who: Mallory Watch, Bob
            notes: backdoor

      "
    `);
    expect(JSON.stringify(toCargoVetJson(r), null, 2)).toMatchInlineSnapshot(`
      "{
        "conclusion": "fail (violation)",
        "violations": {
          "rand_core:0.6.4": [
            {
              "UnauditedConflict": {
                "violation_source": "peer",
                "violation": {
                  "criteria": "safe-to-deploy",
                  "version": null,
                  "delta": null,
                  "violation": "^0.6",
                  "importable": null,
                  "notes": null
                },
                "exemptions": {
                  "version": "0.6.4",
                  "criteria": "safe-to-deploy",
                  "notes": "old"
                }
              }
            }
          ],
          "serde:1.0.136": [
            {
              "AuditConflict": {
                "violation_source": "peer",
                "violation": {
                  "who": [
                    "Mallory Watch",
                    "Bob"
                  ],
                  "criteria": "safe-to-run",
                  "version": null,
                  "delta": null,
                  "violation": ">=1.0.100, <1.0.200",
                  "importable": null,
                  "notes": "backdoor"
                },
                "audit_source": null,
                "audit": {
                  "who": "Alice <a@example.com>",
                  "criteria": "safe-to-deploy",
                  "version": "1.0.136",
                  "delta": null,
                  "violation": null,
                  "importable": null,
                  "notes": "looked fine"
                }
              }
            }
          ]
        }
      }"
    `);
  });
});

describe('formatShortList (cargo-vet FormatShortList)', () => {
  it('sorts by length then name and truncates to 40 columns', () => {
    expect(formatShortList([])).toBe('');
    expect(formatShortList(['b'])).toBe('b');
    expect(formatShortList(['url', 'a'])).toBe('a and url');
    expect(formatShortList(['url', 'idna', 'form_urlencoded'])).toBe('url, idna, and form_urlencoded');
    const many = ['tokio', 'hyper', 'reqwest', 'tonic', 'axum', 'warp', 'actix-web', 'rocket', 'tide'];
    expect(formatShortList(many)).toBe('axum, tide, warp, hyper, tokio, and 4 others');
    expect(formatShortList(['a-very-long-crate-name-number-one', 'another-very-long-name-two', 'x3'])).toBe(
      'x3 and 2 others',
    );
  });
});
