/**
 * Content binding (notary.md §10.8): an imported notary approval names the artifact digest
 * it was made for; it vets a lockfile node only if the lockfile records that same digest
 * for that version. Only hashes of the same algorithm over the same kind of artifact are
 * compared (npm SRI sha512 of the tarball, PyPI sha256 of a wheel/sdist, crates sha256).
 */
import { Buffer } from 'node:buffer';
import type { DependencyGraph, HashCovers, Integrity, PackageNode } from '../graph.js';
import { canonicalVersion, type SchemeLike } from './scheme-ext.js';
import type { AuditEntry } from '../store/model.js';

/** An imported approval whose recorded digest the lockfile does not have. */
export interface DigestMismatch {
  importName: string;
  package: string;
  /** The version as the approval names it. */
  version: string;
  /** SRI digest the notary approval was made for, e.g. `sha512-…`. */
  approved: string;
  /** The lockfile's digests for that version as SRI strings ([] = none recorded). */
  lockfile: string[];
  /** Lockfile nodes of that version. */
  nodeIds: string[];
}

/** What the audit-graph builder needs to enforce content binding for one resolve. */
export interface DigestBinding {
  /** Third-party lockfile nodes of `name` at canonical `version`. */
  nodesAt(name: string, version: string): readonly PackageNode[];
  /** Filled while building audit graphs; de-duplicated. */
  mismatches: DigestMismatch[];
}

// Digests over these artifacts are what registries publish and notaries bind to.
const COMPARABLE: ReadonlySet<HashCovers> = new Set(['npm-tarball', 'wheel', 'sdist', 'crate']);

/** Indexed on first use: only imported audits that record digests ask, and most stores have none. */
export function lockfileDigestBinding(graph: DependencyGraph, scheme: SchemeLike): DigestBinding {
  let byKey: Map<string, PackageNode[]> | undefined;
  return {
    nodesAt: (name, version) => (byKey ??= nodesByVersion(graph, scheme)).get(`${name}\u0000${version}`) ?? [],
    mismatches: [],
  };
}

function nodesByVersion(graph: DependencyGraph, scheme: SchemeLike): Map<string, PackageNode[]> {
  const byKey = new Map<string, PackageNode[]>();
  for (const n of graph.nodes) {
    if (n.firstParty) continue;
    const key = `${n.name}\u0000${canonicalVersion(scheme, n.version)}`;
    const list = byKey.get(key);
    if (list) list.push(n);
    else byKey.set(key, [n]);
  }
  return byKey;
}

/** A lockfile hash as an SRI string (`<algo>-<base64>`). */
export function integritySri(i: Integrity): string {
  const b64 = i.encoding === 'hex' ? Buffer.from(i.digest, 'hex').toString('base64') : i.digest;
  return `${i.algo}-${b64}`;
}

/**
 * True when every lockfile node of every version the imported audit names carries the
 * approved digest; otherwise records the mismatches and returns false. Versions absent
 * from the lockfile (e.g. the base of a delta) cannot be compared and do not block.
 */
export function auditDigestsBind(
  entry: AuditEntry,
  pkg: string,
  importName: string,
  binding: DigestBinding,
  scheme: SchemeLike,
): boolean {
  if (entry.digests === undefined) return true;
  const versions =
    entry.kind === 'delta' && entry.delta
      ? [entry.delta.from, entry.delta.to]
      : entry.version !== undefined
        ? [entry.version]
        : [];
  let ok = true;
  for (const version of versions) {
    const approved = entry.digests[version];
    const nodes = binding.nodesAt(pkg, canonicalVersion(scheme, version));
    if (nodes.length === 0) continue;
    if (approved === undefined) {
      ok = false;
      record(binding, {
        importName,
        package: pkg,
        version,
        approved: '(none)',
        lockfile: lockfileDigests(nodes),
        nodeIds: nodes.map((n) => n.id),
      });
      continue;
    }
    const algo = approved.slice(0, approved.indexOf('-'));
    const bad = nodes.filter(
      (n) => !n.integrity.some((i) => COMPARABLE.has(i.covers) && i.algo === algo && integritySri(i) === approved),
    );
    if (bad.length === 0) continue;
    ok = false;
    record(binding, {
      importName,
      package: pkg,
      version,
      approved,
      lockfile: lockfileDigests(bad),
      nodeIds: bad.map((n) => n.id),
    });
  }
  return ok;
}

function lockfileDigests(nodes: readonly PackageNode[]): string[] {
  return [...new Set(nodes.flatMap((n) => n.integrity.map(integritySri)))].sort();
}

function record(binding: DigestBinding, m: DigestMismatch): void {
  const same = (x: DigestMismatch) =>
    x.importName === m.importName && x.package === m.package && x.version === m.version && x.approved === m.approved;
  if (!binding.mismatches.some(same)) binding.mismatches.push(m);
}
