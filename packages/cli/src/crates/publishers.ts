/**
 * Publisher facts from Cargo's default registry for an unlocked `check` (spec cargo-vet-format §5.2, §7.1 step 2):
 * for crates with wildcard audits, trusted entries or cached publisher rows, who published
 * each version in use and when, as `[[publisher.<crate>]]` rows (user id, login and name, or
 * the trusted-publishing identity). Rows are added or refreshed for the versions in use and
 * never pruned, as cargo-vet does; `--locked` then needs no network.
 */
import type { DependencyGraph, PublisherEntry, Store } from '@vet/core';
import type { CrateVersionInfo } from './client.js';

export function cratePublisherRows(versions: Iterable<string>, info: readonly CrateVersionInfo[]): PublisherEntry[] {
  const byNum = new Map(info.map((v) => [v.num, v]));
  const rows: PublisherEntry[] = [];
  for (const version of versions) {
    const v = byNum.get(version);
    if (!v) continue;
    const when = new Date(v.createdAt);
    if (Number.isNaN(when.getTime())) continue;
    const day = when.toISOString().slice(0, 10);
    if (v.trustedPublisher)
      rows.push({ version, when: day, identity: { kind: 'trusted-publisher', trustedPublisher: v.trustedPublisher } });
    else if (v.publishedBy) {
      rows.push({
        version,
        when: day,
        identity: { kind: 'user-id', userId: v.publishedBy.id },
        ...(v.publishedBy.login !== undefined && { userLogin: v.publishedBy.login }),
        ...(v.publishedBy.name !== undefined && { userName: v.publishedBy.name }),
      });
    }
  }
  return rows;
}

/** Crates whose publisher facts an unlocked check refreshes: needing ones plus those with cached rows. */
export function cratesNeedingPublishers(store: Store, graph: DependencyGraph, needing: readonly string[]): string[] {
  const inGraph = new Set(graph.nodes.filter((n) => !n.firstParty).map((n) => n.name));
  const cached = Object.keys(store.importsLock.publisher).filter((n) => inGraph.has(n));
  return [...new Set([...needing, ...cached])].sort();
}

/** Adds or replaces the rows of `name` for the versions in use; rows for other versions stay. */
export function mergeCratePublisherRows(
  store: Store,
  graph: DependencyGraph,
  name: string,
  info: readonly CrateVersionInfo[],
): void {
  const versions = new Set(graph.nodes.filter((n) => n.name === name && !n.firstParty).map((n) => n.version));
  const fresh = cratePublisherRows(versions, info);
  const kept = (store.importsLock.publisher[name] ?? []).filter((r) => !fresh.some((f) => f.version === r.version));
  const rows = [...kept, ...fresh];
  if (rows.length) store.importsLock.publisher[name] = rows;
}
