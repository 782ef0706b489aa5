/** What users see for vet's own failure kinds (STYLE §12): human and JSON of one mixed report. */
import { describe, expect, it } from 'vitest';
import { exemption, fullAudit, graphOf, storeOf } from '../resolver/__fixtures__/builders.js';
import { resolve } from '../resolver/resolve.js';
import { checkReportJson, formatCheckReportHuman } from './format.js';
import { buildCheckReport } from './report.js';

function mixed() {
  const graph = graphOf({ app: { deps: ['a@1.0.0', 'b@2.0.0'] }, 'a@1.0.0': {}, 'b@2.0.0': {} }, 'npm');
  graph.nodes.find((n) => n.name === 'b')!.deprecated = 'use c instead';
  (graph as typeof graph & { unlocked: unknown[] }).unlocked = [
    { file: 'requirements.txt', line: 3, requirement: 'flask>=2', reason: 'not pinned with == (a range, not a lock)' },
  ];
  const store = storeOf({
    audits: { a: [fullAudit('1.0.0')] },
    exemptions: { b: [exemption('2.0.0')] },
    imports: { acme: {} },
  });
  store.config.imports['acme']!.notary = { url: 'http://127.0.0.1:9', key: 'k' };
  store.config.vet = { ecosystem: 'npm', denyDeprecated: true, requireNotaries: { imports: ['acme'], threshold: 1 } };
  return buildCheckReport({ resolved: resolve({ graph, store }) });
}

describe('vet failure kinds beyond cargo-vet', () => {
  it('human: the headline names the first failing kind; each kind has its section', () => {
    expect(formatCheckReportHuman(mixed())).toMatchInlineSnapshot(`
      "Vetting Failed! (notary quorum)

      error: 2 package version(s) lack the notary approvals policy requires ([vet.require-notaries]):
        a:1.0.0 approved by 0 of 1 needed for ["safe-to-deploy"]
        b:2.0.0 approved by 0 of 1 needed for ["safe-to-deploy"]

      error: 1 requirement(s) are not locked, so they cannot be vetted:
        requirements.txt:3: flask>=2 (not pinned with == (a range, not a lock))
        Pin each with == and --hash (pip-compile --generate-hashes, uv pip compile --generate-hashes), or point --lockfile at the compiled file.

      error: 1 deprecated or yanked package version(s) (denied by [vet] deny-deprecated):
        b:2.0.0: use c instead
      "
    `);
  });

  it('JSON: cargo-vet keys for the resolver part, the conclusion, one key per kind', () => {
    expect(JSON.stringify(checkReportJson(mixed()), null, 2)).toMatchInlineSnapshot(`
      "{
        "conclusion": "fail (notary quorum)",
        "vetted_fully": [
          {
            "name": "a",
            "version": "1.0.0"
          }
        ],
        "vetted_partially": [],
        "vetted_with_exemptions": [
          {
            "name": "b",
            "version": "2.0.0"
          }
        ],
        "deprecated": [
          {
            "name": "b",
            "version": "2.0.0",
            "message": "use c instead"
          }
        ],
        "notary_quorum_failures": [
          {
            "name": "a",
            "version": "1.0.0",
            "approved_by": [],
            "threshold": 1,
            "criteria": [
              "safe-to-deploy"
            ]
          },
          {
            "name": "b",
            "version": "2.0.0",
            "approved_by": [],
            "threshold": 1,
            "criteria": [
              "safe-to-deploy"
            ]
          }
        ],
        "unpinned_requirements": [
          {
            "file": "requirements.txt",
            "line": 3,
            "requirement": "flask>=2",
            "reason": "not pinned with == (a range, not a lock)"
          }
        ]
      }"
    `);
  });
});
