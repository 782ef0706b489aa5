/**
 * The per-crate audit graph (spec/cargo-vet-format.md §7.4): nodes are the versions of
 * one package name plus a virtual root (`null`, "nothing"); every audit-like fact is an
 * edge carrying the closure of its criteria. All versions of a name share one graph.
 *
 * | source                                              | edge                    |
 * | local full / delta audit                            | root → V / A → B        |
 * | imported audit (imports.lock)                       | same shapes             |
 * | wildcard audit (local or imported) × publisher row  | root → row.version      |
 * | local trusted entry × publisher row                 | root → row.version      |
 * | unpublished row                                     | audited_as → version, all criteria |
 * | exemption                                           | root → V                |
 *
 * Publisher rows count when the identities match and `start ≤ when < end` (end
 * exclusive, §4.3). Imported `trusted` entries create no edges (trap §14.5).
 */
import { auditDigestsBind, type DigestBinding } from './digest-binding.js';
import type { AuditEntry, AuditsFile, PublisherEntry, PublisherIdentity, Store } from '../store/model.js';
import type { CriteriaIndex, CriteriaSet } from './criteria.js';
import { canonicalVersion, type SchemeLike } from './scheme-ext.js';

/** Where an edge came from; the field order mirrors cargo-vet's `DeltaEdgeOrigin` (its tie-break order). */
export type EdgeOrigin =
  | { kind: 'local-audit'; auditIndex: number; importable: boolean }
  | { kind: 'imported-audit'; importIndex: number; importName: string; auditIndex: number }
  | {
      kind: 'wildcard-audit';
      importIndex: number | undefined;
      importName: string | undefined;
      auditIndex: number;
      publisherIndex: number;
    }
  | { kind: 'trusted'; publisherIndex: number; trustedIndex: number }
  | { kind: 'exemption'; exemptionIndex: number }
  | { kind: 'unpublished'; unpublishedIndex: number };

export interface AuditEdge {
  /** Canonical version, or null for the root. */
  from: string | null;
  to: string;
  criteria: CriteriaSet;
  origin: EdgeOrigin;
}

export interface AuditGraph {
  name: string;
  forward: Map<string | null, AuditEdge[]>;
  backward: Map<string | null, AuditEdge[]>;
}

const byteOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Import names in imports.lock, byte-wise sorted: their position is the import index. */
export function importNames(store: Store): string[] {
  return Object.keys(store.importsLock.audits).sort(byteOrder);
}

/** One entry of every audits file (imports first, by index, then local), as cargo-vet iterates them. */
export interface SourcedAudit {
  source: string | null;
  importIndex: number | undefined;
  auditIndex: number;
  entry: AuditEntry;
}

export function auditsOf(store: Store, name: string, imports: string[] = importNames(store)): SourcedAudit[] {
  const out: SourcedAudit[] = [];
  const add = (source: string | null, importIndex: number | undefined, file: AuditsFile): void => {
    const entries = file.audits[name];
    if (entries !== undefined)
      entries.forEach((entry, auditIndex) => out.push({ source, importIndex, auditIndex, entry }));
  };
  imports.forEach((n, i) => add(n, i, store.importsLock.audits[n]!));
  add(null, undefined, store.audits);
  return out;
}

/** Identity test for wildcard / trusted entries against a publisher row. */
export function samePublisher(id: PublisherIdentity, row: PublisherEntry): boolean {
  const r = row.identity;
  switch (id.kind) {
    case 'user-id':
      return r.kind === 'user-id' && r.userId === id.userId;
    case 'trusted-publisher':
      return r.kind === 'trusted-publisher' && r.trustedPublisher === id.trustedPublisher;
    case 'user-login':
      return (r.kind === 'user-login' && r.userLogin === id.userLogin) || row.userLogin === id.userLogin;
  }
}

const inWindow = (when: string, start: string, end: string): boolean => start <= when && when < end;

export function buildAuditGraph(
  store: Store,
  name: string,
  criteria: CriteriaIndex,
  scheme: SchemeLike,
  imports: string[] = importNames(store),
  /** Content binding: imported audits carrying `digests` count only for matching lockfile nodes. */
  binding?: DigestBinding,
): AuditGraph {
  const graph: AuditGraph = { name, forward: new Map(), backward: new Map() };
  const v = (s: string): string => canonicalVersion(scheme, s);
  // The context of an unknown criteria name is built only when there is one (once per entry otherwise).
  const closure = (names: string[], file: string, what: string): CriteriaSet =>
    criteria.knownClosureOf(names) ?? criteria.closureOf(names, { file, context: `${what} for ${name}` });

  for (const a of auditsOf(store, name, imports)) {
    const e = a.entry;
    if (e.kind === 'violation') continue;
    if (binding && a.importIndex !== undefined && !auditDigestsBind(e, name, a.source!, binding, scheme)) continue;
    const set = closure(e.criteria, a.source === null ? 'audits.toml' : 'imports.lock', 'audit');
    const origin: EdgeOrigin =
      a.importIndex === undefined
        ? { kind: 'local-audit', auditIndex: a.auditIndex, importable: e.importable }
        : { kind: 'imported-audit', importIndex: a.importIndex, importName: a.source!, auditIndex: a.auditIndex };
    if (e.kind === 'full' && e.version !== undefined) addEdge(graph, null, v(e.version), set, origin);
    else if (e.kind === 'delta' && e.delta) addEdge(graph, v(e.delta.from), v(e.delta.to), set, origin);
  }

  const rows = store.importsLock.publisher[name];
  if (rows !== undefined) {
    const push = (from: string | null, to: string, set: CriteriaSet, origin: EdgeOrigin): void =>
      addEdge(graph, from, to, set, origin);
    publisherEdges(store, name, rows, criteria, imports, push, v);
  }

  (store.importsLock.unpublished[name] ?? []).forEach((u, unpublishedIndex) => {
    addEdge(graph, v(u.auditedAs), v(u.version), criteria.all(), { kind: 'unpublished', unpublishedIndex });
  });
  (store.config.exemptions[name] ?? []).forEach((x, exemptionIndex) => {
    const set = closure(x.criteria, 'config.toml', 'exemption');
    addEdge(graph, null, v(x.version), set, { kind: 'exemption', exemptionIndex });
  });
  return graph;
}

function addEdge(graph: AuditGraph, from: string | null, to: string, set: CriteriaSet, origin: EdgeOrigin): void {
  const edge: AuditEdge = { from, to, criteria: set, origin };
  let f = graph.forward.get(from);
  if (!f) graph.forward.set(from, (f = []));
  f.push(edge);
  let b = graph.backward.get(to);
  if (!b) graph.backward.set(to, (b = []));
  b.push(edge);
}

/** Wildcard audits and trusted entries × publisher rows (only names with publisher rows get here). */
function publisherEdges(
  store: Store,
  name: string,
  rows: PublisherEntry[],
  criteria: CriteriaIndex,
  imports: string[],
  push: (from: string | null, to: string, set: CriteriaSet, origin: EdgeOrigin) => void,
  v: (s: string) => string,
): void {
  const where = (file: string, what: string) => () => ({ file, context: `${what} for ${name}` });
  const wildcardFiles: Array<[number | undefined, AuditsFile]> = imports.map((n, i) => [
    i,
    store.importsLock.audits[n]!,
  ]);
  wildcardFiles.push([undefined, store.audits]);
  const trusted = store.audits.trusted[name] ?? [];
  rows.forEach((row, publisherIndex) => {
    for (const [importIndex, file] of wildcardFiles) {
      (file.wildcardAudits[name] ?? []).forEach((w, auditIndex) => {
        if (!samePublisher(w.identity, row) || !inWindow(row.when, w.start, w.end)) return;
        const set = criteria.closureOf(
          w.criteria,
          where(importIndex === undefined ? 'audits.toml' : 'imports.lock', 'wildcard audit'),
        );
        const importName = importIndex === undefined ? undefined : imports[importIndex];
        push(null, v(row.version), set, {
          kind: 'wildcard-audit',
          importIndex,
          importName,
          auditIndex,
          publisherIndex,
        });
      });
    }
    trusted.forEach((t, trustedIndex) => {
      if (!samePublisher(t.identity, row) || !inWindow(row.when, t.start, t.end)) return;
      const set = criteria.closureOf(t.criteria, where('audits.toml', 'trusted entry'));
      push(null, v(row.version), set, { kind: 'trusted', publisherIndex, trustedIndex });
    });
  });
}
