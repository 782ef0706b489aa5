// The resolver alone at scale (issue 12): a generated npm graph of N packages and a store of
// 4N audit-like entries — full audits, delta chains, wildcard audits with publisher rows,
// trusted entries, exemptions and violations (that never hit) — resolved in memory (pure CPU,
// no I/O). Prints the curve at 5k / 20k / 50k packages (the last with 200,000 audits): the cost
// per package should stay flat (linear), and 50k should take ≤ 2 s.
// Run: node --import tsx bench/resolve-bench.ts
import os from 'node:os';
import type { DependencyGraph, PackageNode } from '../packages/core/src/graph.js';
import {
  deltaAudit,
  exemption,
  fullAudit,
  login,
  publisher,
  storeOf,
  trusted,
  violation,
  wildcard,
} from '../packages/core/src/resolver/__fixtures__/builders.js';
import { resolve } from '../packages/core/src/resolver/resolve.js';
import type { AuditEntry, Store } from '../packages/core/src/store/model.js';

const TODAY = '2026-06-01';

/** N packages over N/2.5 names; each name's audits reach its versions in different ways. */
function scaleCase(n: number): { graph: DependencyGraph; store: Store; audits: number } {
  let seed = 12345;
  const rnd = (k: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % k);
  const names = Math.ceil(n / 2.5);
  const nodes: PackageNode[] = [];
  const versionsOf = new Map<string, string[]>();
  for (let i = 0; i < n; i++) {
    const name = `pkg-${i % names}`;
    const version = `${Math.floor(i / names) + 1}.${i % 5}.0`;
    versionsOf.set(name, [...(versionsOf.get(name) ?? []), version]);
    nodes.push({
      id: `${name}@${version}`,
      name,
      version,
      source: { kind: 'registry' },
      integrity: [],
      firstParty: false,
      workspaceMember: false,
      deps: [],
    });
  }
  // A DAG with four edges per node into the next 200 nodes, a few dev edges, and some back edges (cycles).
  for (const [i, node] of nodes.entries()) {
    for (let k = 0; k < 4 && i + 1 < n; k++)
      node.deps.push({ to: nodes[i + 1 + rnd(Math.min(200, n - i - 1))]!.id, kind: rnd(20) === 0 ? 'dev' : 'normal' });
    if (i > 10 && rnd(50) === 0) node.deps.push({ to: nodes[i - 1 - rnd(10)]!.id, kind: 'normal' });
  }
  const root: PackageNode = {
    id: 'app',
    name: 'app',
    version: '1.0.0',
    source: { kind: 'workspace' },
    integrity: [],
    firstParty: true,
    workspaceMember: true,
    deps: nodes.slice(0, 200).map((x) => ({ to: x.id, kind: 'normal' as const })),
  };
  const spec = storeSpec(versionsOf, rnd);
  return {
    graph: { ecosystem: 'npm', lockfile: 'package-lock.json', format: 'test', nodes: [root, ...nodes], warnings: [] },
    store: storeOf(spec.spec),
    audits: spec.count,
  };
}

function storeSpec(versionsOf: Map<string, string[]>, rnd: (k: number) => number) {
  const audits: Record<string, AuditEntry[]> = {};
  const spec: Parameters<typeof storeOf>[0] & object = {
    audits,
    wildcardAudits: {},
    trusted: {},
    exemptions: {},
    publisher: {},
  };
  let count = 0;
  for (const [name, versions] of versionsOf) {
    const how = rnd(20);
    const id = login(`user-${rnd(500)}`);
    const rows = versions.map((v) => publisher(v, '2025-01-01', id));
    if (how === 0) {
      spec.wildcardAudits![name] = [wildcard(id, '2024-01-01', '2027-01-01')];
      spec.publisher![name] = rows;
      count += 1;
    } else if (how === 1) {
      spec.trusted![name] = [trusted(id, '2024-01-01', '2027-01-01')];
      spec.publisher![name] = rows;
      count += 1;
    } else if (how === 2) {
      spec.exemptions![name] = versions.map((v) => exemption(v));
      count += versions.length;
    }
    // Everyone: a full audit of an old version and a delta chain through every version in use,
    // plus deltas that lead nowhere and one violation of a version that is not used.
    const list: AuditEntry[] = [fullAudit('0.0.1')];
    let prev = '0.0.1';
    for (const v of [...versions].sort()) list.push(deltaAudit(prev, (prev = v)));
    list.push(deltaAudit('0.0.1', '0.0.2'), deltaAudit('0.0.2', '0.0.3'));
    if (rnd(10) === 0) list.push(violation('<0.0.1'));
    while (list.length < 10 - (how < 3 ? 1 : 0)) list.push(deltaAudit('0.0.3', `0.0.${4 + list.length}`));
    audits[name] = list;
    count += list.length;
  }
  return { spec, count };
}

const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(
  `load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
let perPackage5k = 0;
for (const n of (process.env.RESOLVE_SIZES ?? '5000,20000,50000').split(',').map(Number)) {
  const { graph, store, audits } = scaleCase(n);
  const first = resolve({ graph, store, today: TODAY }); // warm-up, and the verdict to print
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < (n > 20_000 ? 5 : 9); i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    resolve({ graph, store, today: TODAY });
    wall.push(performance.now() - t0);
    cpu.push(process.cpuUsage(c0).user / 1000);
  }
  const perPackage = (med(cpu) * 1000) / n;
  if (n === 5_000) perPackage5k = perPackage;
  console.log(
    `resolve(${n.toLocaleString('en')} packages, ${audits.toLocaleString('en')} audit entries): ${first.conclusion}; ` +
      `median ${med(wall).toFixed(0)} ms wall, ${med(cpu).toFixed(0)} ms CPU, ${perPackage.toFixed(1)} µs CPU per package ` +
      `(${(perPackage / perPackage5k).toFixed(2)}x the 5k rate; target ≤ 2 s at 50k)`,
  );
}
