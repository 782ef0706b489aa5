/**
 * A report with one failure of each kind (for the CI formats' snapshots and the SARIF
 * Multitool test) and the package-lock text its packages sit in.
 */
import { createHash } from 'node:crypto';
import { exemption, fullAudit, graphOf, storeOf, violation } from '../../resolver/__fixtures__/builders.js';
import { resolve } from '../../resolver/resolve.js';
import { buildCheckReport } from '../report.js';
import type { CheckReport } from '../types.js';

const sri = (label: string) => `sha512-${createHash('sha512').update(label).digest('base64')}`;

export const EVERY_KIND_LOCK = `{
  "name": "app",
  "lockfileVersion": 3,
  "packages": {
    "": {
      "name": "app"
    },
    "node_modules/a": {
      "version": "1.0.0"
    },
    "node_modules/b": {
      "version": "2.0.0",
      "deprecated": "use c instead"
    },
    "node_modules/c": {
      "version": "3.0.0"
    },
    "node_modules/d": {
      "version": "4.0.0",
      "integrity": "${sri('d-lockfile')}"
    }
  }
}
`;

/** a: unvetted. b: exempted, deprecated, below quorum. c: exempted under a violation. d: notary approved other bytes. */
export function everyKind(): CheckReport {
  const graph = graphOf(
    {
      app: { deps: ['a@1.0.0', 'b@2.0.0', 'c@3.0.0', 'd@4.0.0'] },
      'a@1.0.0': {},
      'b@2.0.0': {},
      'c@3.0.0': {},
      'd@4.0.0': {},
    },
    'npm',
  );
  graph.format = 'package-lock v3';
  graph.lockfile = 'package-lock.json';
  graph.nodes.find((n) => n.name === 'b')!.deprecated = 'use c instead';
  const [algo, digest] = sri('d-lockfile').split('-') as [string, string];
  graph.nodes.find((n) => n.name === 'd')!.integrity = [{ algo, digest, encoding: 'base64', covers: 'npm-tarball' }];
  (graph as typeof graph & { unlocked: unknown[] }).unlocked = [
    { file: 'requirements.txt', line: 3, requirement: 'flask>=2', reason: 'not pinned with ==' },
  ];
  const store = storeOf({
    exemptions: { b: [exemption('2.0.0')], c: [exemption('3.0.0')] },
    audits: { c: [violation('*')] },
    imports: {
      acme: { audits: { d: [fullAudit('4.0.0', 'safe-to-deploy', { digests: { '4.0.0': sri('other') } })] } },
    },
  });
  store.config.vet = { ecosystem: 'npm', requireNotaries: { imports: ['acme'], threshold: 1, packages: ['b'] } };
  return buildCheckReport({ resolved: resolve({ graph, store }) });
}
