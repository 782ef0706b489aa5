/**
 * The resolver's report: plain data, so the CLI can print it, serialise it, or ask
 * follow-up questions (suggest, explain-audit, prune) without resolving again.
 */
import type { DependencyGraph, Ecosystem } from '../graph.js';
import type { DigestMismatch } from './digest-binding.js';
import type { Store } from '../store/model.js';
import type { VersionScheme } from '../version/scheme.js';
import type { AuditEdge } from './audit-graph.js';
import type { CriteriaIndex, CriteriaSet } from './criteria.js';
import type { SchemeLike } from './scheme-ext.js';
import type { Caveat } from './search.js';
import type { ViolationConflict } from './violations.js';

export interface ResolveInput {
  graph: DependencyGraph;
  store: Store;
  /** Defaults to the graph ecosystem's scheme. */
  scheme?: VersionScheme;
  /** UTC date `YYYY-MM-DD`; only used for wildcard-expiry warnings. */
  today?: string;
}

export interface NodeRef {
  id: string;
  name: string;
  version: string;
}

export type Conclusion = 'success' | 'fail (vetting)' | 'fail (violation)';

export interface VetFailure {
  node: NodeRef;
  /** Minimal names of the criteria with no path (`["safe-to-deploy"]`). */
  missingCriteria: string[];
  /** Every failing criterion, implied ones included. */
  missing: CriteriaSet;
}

/** Result of one criterion's search for one package. */
export type CriterionOutcome =
  | { criterion: string; ok: true; path: AuditEdge[]; caveat: Caveat }
  | {
      criterion: string;
      ok: false;
      reachableFromRoot: Array<string | null>;
      reachableFromTarget: Array<string | null>;
    };

export type VetStatus = 'fully' | 'partially' | 'exempted' | 'failed';

export interface NodeResult {
  node: NodeRef;
  /** Canonical version used in the audit graph. */
  version: string;
  required: CriteriaSet;
  /** Indexed by criterion index (every criterion is searched, as cargo-vet does). */
  outcomes: CriterionOutcome[];
  status: VetStatus;
}

export interface ResolveReport {
  ecosystem: Ecosystem;
  conclusion: Conclusion;
  criteria: CriteriaIndex;
  scheme: SchemeLike;
  /** Sorted by (name, version, id), like cargo-vet's JSON. Failing nodes are not listed. */
  vettedFully: NodeRef[];
  vettedPartially: NodeRef[];
  vettedWithExemptions: NodeRef[];
  /** Sorted by (name, version, id). */
  failures: VetFailure[];
  /** `"name:version"` → conflicts; one entry per third-party node of a conflicting name. */
  violations: Record<string, ViolationConflict[]>;
  /** Third-party nodes without violation conflicts, by node id. */
  results: Map<string, NodeResult>;
  /** Minimal required criteria names per node id (every node). */
  requirements: Map<string, string[]>;
  roots: string[];
  devOnly: string[];
  warnings: string[];
  /**
   * Imported (notary) approvals that name a digest the lockfile does not have for that
   * version: they created no edge. `check` must fail on any, naming both digests.
   */
  digestMismatches: DigestMismatch[];
  /** The inputs, for follow-up helpers (suggest, explain, prune). */
  graph: DependencyGraph;
  store: Store;
}
