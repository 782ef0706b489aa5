/**
 * What `prune` may remove (spec/cargo-vet-format.md §11.2): for every package name in
 * the graph, search one path per minimal required criterion of each third-party version
 * in "prefer fresh imports" mode (exemptions rank below every audit), and record which
 * store entries those paths use. A name with violation conflicts or a failing version
 * keeps everything (cargo-vet: no required entries known ⇒ nothing pruned). Names not in
 * the graph need nothing, except that local non-importable audits are only pruned for
 * names in the graph, and peers' violations are kept for names in the graph.
 */
import type {
  AuditEntry,
  ExemptionEntry,
  PublisherEntry,
  UnpublishedEntry,
  WildcardAuditEntry,
} from '../store/model.js';
import { versionSchemeFor } from '../version/index.js';
import { buildAuditGraph, importNames, type EdgeOrigin } from './audit-graph.js';
import { CriteriaIndex } from './criteria.js';
import { PolicyIndex } from './policy.js';
import { computeRequirementSets } from './requirements.js';
import { canonicalVersion, type SchemeLike } from './scheme-ext.js';
import { searchAuditGraph } from './search.js';
import type { ResolveInput } from './types.js';
import { findViolationConflicts } from './violations.js';

export interface UnusedEntries {
  /** Exemptions no chosen path uses. */
  exemptions: Array<{ name: string; index: number; entry: ExemptionEntry }>;
  /** Used exemptions whose criteria could be reduced to `usedCriteria` (minimal names). */
  narrowableExemptions: Array<{ name: string; index: number; entry: ExemptionEntry; usedCriteria: string[] }>;
  importedAudits: Array<{ importName: string; name: string; index: number; entry: AuditEntry }>;
  importedWildcardAudits: Array<{ importName: string; name: string; index: number; entry: WildcardAuditEntry }>;
  publisherRows: Array<{ name: string; index: number; entry: PublisherEntry }>;
  unpublishedRows: Array<{ name: string; index: number; entry: UnpublishedEntry }>;
  /** Local audits with `importable = false` that no path uses. */
  nonImportableAudits: Array<{ name: string; index: number; entry: AuditEntry }>;
}

/** Used entries of one name: origin key → criteria bits that needed it; undefined = keep all. */
type Used = Map<string, bigint> | undefined;

function originKeys(o: EdgeOrigin): string[] {
  switch (o.kind) {
    case 'local-audit':
      return [`local:${o.auditIndex}`];
    case 'imported-audit':
      return [`audit:${o.importIndex}:${o.auditIndex}`];
    case 'wildcard-audit':
      return [
        ...(o.importIndex === undefined ? [] : [`wildcard:${o.importIndex}:${o.auditIndex}`]),
        `publisher:${o.publisherIndex}`,
      ];
    case 'trusted':
      return [`publisher:${o.publisherIndex}`];
    case 'exemption':
      return [`exemption:${o.exemptionIndex}`];
    case 'unpublished':
      return [`unpublished:${o.unpublishedIndex}`];
  }
}

export function findUnusedEntries(input: ResolveInput): UnusedEntries {
  const { graph, store } = input;
  const scheme: SchemeLike = input.scheme ?? versionSchemeFor(graph.ecosystem);
  const criteria = new CriteriaIndex(store.audits.criteria);
  const policies = new PolicyIndex(store.config.policy, scheme);
  const { sets } = computeRequirementSets(graph, store, scheme, criteria, policies);

  const used = new Map<string, Used>();
  for (const name of new Set(graph.nodes.map((n) => n.name))) {
    const nodes = graph.nodes.filter((n) => n.name === name && policies.isThirdParty(n));
    if (nodes.length === 0) {
      used.set(name, new Map());
      continue;
    }
    if (findViolationConflicts(store, name, criteria, scheme).length > 0) {
      used.set(name, undefined);
      continue;
    }
    const ag = buildAuditGraph(store, name, criteria, scheme);
    let entries: Used = new Map();
    for (const n of nodes) {
      for (const i of criteria.minimalIndices(sets.get(n.id) ?? 0n)) {
        const r = searchAuditGraph(ag, i, canonicalVersion(scheme, n.version), 'prefer-fresh-imports', scheme);
        if (!r.ok) entries = undefined;
        for (const edge of r.ok && entries ? r.path : []) {
          for (const k of originKeys(edge.origin)) entries!.set(k, (entries!.get(k) ?? 0n) | (1n << BigInt(i)));
        }
      }
    }
    used.set(name, entries);
  }
  return collect(input, used, criteria);
}

function collect(input: ResolveInput, used: Map<string, Used>, criteria: CriteriaIndex): UnusedEntries {
  const { store } = input;
  const out: UnusedEntries = {
    exemptions: [],
    narrowableExemptions: [],
    importedAudits: [],
    importedWildcardAudits: [],
    publisherRows: [],
    unpublishedRows: [],
    nonImportableAudits: [],
  };
  // `inGraph` false ⇒ nothing of that name is needed; `keep` ⇒ the name fails, prune nothing.
  const state = (name: string) => {
    const inGraph = used.has(name);
    const u = used.get(name);
    return {
      inGraph,
      keep: inGraph && u === undefined,
      has: (k: string) => u?.has(k) === true,
      bits: (k: string) => u?.get(k) ?? 0n,
    };
  };
  for (const [name, list] of Object.entries(store.config.exemptions)) {
    const s = state(name);
    list.forEach((entry, index) => {
      if (s.keep) return;
      if (!s.has(`exemption:${index}`)) out.exemptions.push({ name, index, entry });
      else {
        const usedCriteria = criteria.minimalNames(s.bits(`exemption:${index}`));
        const declared = criteria.closureOf(entry.criteria, { file: 'config.toml' });
        if (criteria.closureOf(usedCriteria) !== declared)
          out.narrowableExemptions.push({ name, index, entry, usedCriteria });
      }
    });
  }
  importNames(store).forEach((importName, importIndex) => {
    const file = store.importsLock.audits[importName]!;
    for (const [name, list] of Object.entries(file.audits)) {
      const s = state(name);
      list.forEach((entry, index) => {
        if (s.keep || (entry.kind === 'violation' && s.inGraph)) return;
        if (!s.has(`audit:${importIndex}:${index}`)) out.importedAudits.push({ importName, name, index, entry });
      });
    }
    for (const [name, list] of Object.entries(file.wildcardAudits)) {
      const s = state(name);
      list.forEach((entry, index) => {
        if (!s.keep && !s.has(`wildcard:${importIndex}:${index}`))
          out.importedWildcardAudits.push({ importName, name, index, entry });
      });
    }
  });
  for (const [name, list] of Object.entries(store.importsLock.publisher)) {
    const s = state(name);
    list.forEach((entry, index) => {
      if (!s.keep && !s.has(`publisher:${index}`)) out.publisherRows.push({ name, index, entry });
    });
  }
  for (const [name, list] of Object.entries(store.importsLock.unpublished)) {
    const s = state(name);
    list.forEach((entry, index) => {
      if (!s.keep && !s.has(`unpublished:${index}`)) out.unpublishedRows.push({ name, index, entry });
    });
  }
  for (const [name, list] of Object.entries(store.audits.audits)) {
    const s = state(name);
    list.forEach((entry, index) => {
      if (s.inGraph && !s.keep && !entry.importable && entry.kind !== 'violation' && !s.has(`local:${index}`)) {
        out.nonImportableAudits.push({ name, index, entry });
      }
    });
  }
  return out;
}
