/** The pull-request view: what changed, what vets each new version, and what to audit. */
import { describe, expect, it } from 'vitest';
import { exemption, fullAudit, graphOf, storeOf } from '../resolver/__fixtures__/builders.js';
import { resolve } from '../resolver/resolve.js';
import { formatPrViewHuman } from './format-pr.js';
import { buildPrView } from './pr-view.js';
import { buildCheckReport } from './report.js';

function view() {
  const graph = graphOf(
    {
      app: { deps: ['a@1.1.0', 'b@1.0.0', 'c@3.0.0', 'd@2.0.0', 'same@1.0.0'] },
      'a@1.1.0': {},
      'b@1.0.0': {},
      'c@3.0.0': {},
      'd@2.0.0': {},
      'same@1.0.0': {},
    },
    'npm',
  );
  graph.nodes.find((n) => n.name === 'b')!.hasInstallScript = true;
  const store = storeOf({
    audits: { b: [fullAudit('1.0.0')], d: [fullAudit('1.0.0')] },
    exemptions: { c: [exemption('3.0.0')], same: [exemption('1.0.0')] },
    imports: { acme: { audits: { a: [fullAudit('1.1.0')] } } },
  });
  const report = buildCheckReport({ resolved: resolve({ graph, store }) });
  const base = [
    { name: 'app', version: '0.1.0', firstParty: true },
    { name: 'a', version: '1.0.0', firstParty: false },
    { name: 'd', version: '1.0.0', firstParty: false },
    { name: 'same', version: '1.0.0', firstParty: false },
    { name: 'gone', version: '0.1.0', firstParty: false },
  ];
  return buildPrView(report, base, 'origin/main');
}

describe('buildPrView', () => {
  it('new versions, new packages and removals, each with what covers it', () => {
    expect(formatPrViewHuman(view(), 'Vetting Failed!')).toBe(
      [
        'Vetting Failed!',
        '',
        'Changes since origin/main: 2 new package(s), 2 new version(s), 1 removed',
        "  ~ a:1.0.0 -> 1.1.0  vetted by import 'acme'",
        '  + b:1.0.0  vetted by local audit',
        '      risk: new package (not in the base)',
        '      risk: runs an install script',
        '  + c:3.0.0  exempted by exemption',
        '      risk: new package (not in the base)',
        '  ~ d:1.0.0 -> 2.0.0  unvetted',
        '      audit: vet diff d 1.0.0 2.0.0 --stat',
        '      risk: major version change from 1.0.0',
        '  - gone:0.1.0 removed',
        '',
      ].join('\n'),
    );
  });

  it('an unchanged package is never listed; failures it has are counted apart', () => {
    const v = view();
    expect(v.changes.map((c) => c.name)).not.toContain('same');
    expect(v.unchangedFailures).toBe(0);
  });
});
