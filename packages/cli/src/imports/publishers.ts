/**
 * npm publisher facts for trusted entries (cargo-vet's `[[publisher]]` rows, spec §5.2, with
 * the npm user name as identity): who published each version in the graph, and when (the
 * UTC date of the registry's `time[version]`). `--locked` uses only these rows.
 */
import type { DependencyGraph, PublisherEntry, Store } from '@vet/core';
import type { Packument } from '../registry/index.js';

export function publisherRowsFor(pkg: string, versions: Iterable<string>, packument: Packument): PublisherEntry[] {
  const rows: PublisherEntry[] = [];
  for (const version of versions) {
    const user = packument.versions[version]?.npmUser?.name;
    const time = packument.time[version];
    if (!user || !time) continue;
    rows.push({ version, when: time.slice(0, 10), identity: { kind: 'user-login', userLogin: user } });
  }
  return rows;
}

/** Earliest publication date of any version by `login`, or undefined when it published none. */
export function firstPublishedBy(packument: Packument, login: string): string | undefined {
  let first: string | undefined;
  for (const [version, meta] of Object.entries(packument.versions)) {
    const time = packument.time[version];
    if (meta.npmUser?.name !== login || !time) continue;
    const day = time.slice(0, 10);
    if (first === undefined || day < first) first = day;
  }
  return first;
}

/** Packages that need publisher rows: every name with a local trusted entry or a wildcard audit. */
export function packagesNeedingPublishers(store: Store, graph: DependencyGraph): string[] {
  const names = new Set([...Object.keys(store.audits.trusted), ...Object.keys(store.audits.wildcardAudits)]);
  for (const lock of Object.values(store.importsLock.audits))
    for (const n of Object.keys(lock.wildcardAudits)) names.add(n);
  const inGraph = new Set(graph.nodes.filter((n) => !n.firstParty).map((n) => n.name));
  return [...names].filter((n) => inGraph.has(n)).sort();
}

/** Replace the rows of `pkg` with fresh ones for the versions the graph has. */
export function setPublisherRows(store: Store, graph: DependencyGraph, pkg: string, packument: Packument): void {
  const versions = new Set(graph.nodes.filter((n) => n.name === pkg && !n.firstParty).map((n) => n.version));
  const rows = publisherRowsFor(pkg, versions, packument);
  if (rows.length) store.importsLock.publisher[pkg] = rows;
  else delete store.importsLock.publisher[pkg];
}
