/**
 * Path search in an audit graph, one criterion at a time (spec/cargo-vet-format.md §7.6,
 * trap §14.8): is there a chain from the root to the version whose every edge carries
 * the criterion? Mirrors cargo-vet's `search_for_path`: a best-first search from the
 * target back to the root, minimising the worst caveat on the path, ties broken by
 * (version, exemption origin version, path length, last edge origin). The chosen path
 * decides the success statistics (§7.7), so the order matters, not just reachability.
 */
import type { AuditEdge, AuditGraph, EdgeOrigin } from './audit-graph.js';
import { hasCriterion } from './criteria.js';
import type { SchemeLike } from './scheme-ext.js';

/** cargo-vet's `CaveatLevel`, in increasing badness. */
export const Caveat = {
  None: 0,
  NonImportableAudit: 1,
  PreferredExemption: 2,
  PreferredUnpublished: 3,
  FreshPublisher: 4,
  FreshImport: 5,
  Exemption: 6,
  Unpublished: 7,
} as const;
export type Caveat = (typeof Caveat)[keyof typeof Caveat];

/**
 * `prefer-exemptions` is `check`'s mode (exemptions rank just above audits, so existing
 * exemptions are kept over new imports); `prefer-fresh-imports` is the pruning mode.
 * The store model carries no "fresh" marks, so every edge is treated as already locked.
 */
export type SearchMode = 'prefer-exemptions' | 'prefer-fresh-imports';

export type SearchResult =
  | { ok: true; /** Edges from the root to the target. */ path: AuditEdge[]; caveat: Caveat }
  | { ok: false; reachableFromRoot: Set<string | null>; reachableFromTarget: Set<string | null> };

/**
 * A search state. The path is kept as a chain back to the start (`edge` taken last, `prev`
 * before it) instead of an array copied at every step: most searches keep few of them.
 */
interface QueueItem {
  version: string | null;
  originVersion: string | null;
  /** The edge taken last (undefined at the start) and the state it was taken from. */
  edge: AuditEdge | undefined;
  prev: QueueItem | undefined;
  /** Number of edges taken so far. */
  length: number;
  caveat: Caveat;
}

const ORIGIN_RANK: Record<EdgeOrigin['kind'], number> = {
  'local-audit': 0,
  'imported-audit': 1,
  'wildcard-audit': 2,
  trusted: 3,
  exemption: 4,
  unpublished: 5,
};

const cmpNum = (a: number, b: number): number => a - b;
const cmpOptNum = (a: number | undefined, b: number | undefined): number =>
  a === b ? 0 : a === undefined ? -1 : b === undefined ? 1 : a - b;

/** cargo-vet's derived `Ord` on `DeltaEdgeOrigin`: variant order, then fields in order. */
export function compareOrigins(a: EdgeOrigin, b: EdgeOrigin): number {
  const r = ORIGIN_RANK[a.kind] - ORIGIN_RANK[b.kind];
  if (r !== 0) return r;
  switch (a.kind) {
    case 'local-audit': {
      const o = b as typeof a;
      return cmpNum(a.auditIndex, o.auditIndex) || Number(a.importable) - Number(o.importable);
    }
    case 'imported-audit': {
      const o = b as typeof a;
      return cmpNum(a.importIndex, o.importIndex) || cmpNum(a.auditIndex, o.auditIndex);
    }
    case 'wildcard-audit': {
      const o = b as typeof a;
      return (
        cmpOptNum(a.importIndex, o.importIndex) ||
        cmpNum(a.auditIndex, o.auditIndex) ||
        cmpNum(a.publisherIndex, o.publisherIndex)
      );
    }
    case 'trusted': {
      const o = b as typeof a;
      return cmpNum(a.publisherIndex, o.publisherIndex) || cmpNum(a.trustedIndex, o.trustedIndex);
    }
    case 'exemption':
      return cmpNum(a.exemptionIndex, (b as typeof a).exemptionIndex);
    case 'unpublished':
      return cmpNum(a.unpublishedIndex, (b as typeof a).unpublishedIndex);
  }
}

function edgeCaveat(origin: EdgeOrigin, mode: SearchMode): Caveat {
  switch (origin.kind) {
    case 'local-audit':
      return origin.importable ? Caveat.None : Caveat.NonImportableAudit;
    case 'exemption':
      return mode === 'prefer-exemptions' ? Caveat.PreferredExemption : Caveat.Exemption;
    case 'unpublished':
      // Stale (locked) rows are preferred in check mode to avoid imports.lock churn.
      return mode === 'prefer-exemptions' ? Caveat.PreferredUnpublished : Caveat.Unpublished;
    default:
      return Caveat.None;
  }
}

const isExemptionLevel = (c: Caveat): boolean => c === Caveat.PreferredExemption || c === Caveat.Exemption;

type ItemOrder = (a: QueueItem, b: QueueItem) => number;
/** One comparator per scheme, not one per search. */
const comparators = new WeakMap<SchemeLike, ItemOrder>();

function comparatorFor(scheme: SchemeLike): ItemOrder {
  let cmp = comparators.get(scheme);
  if (cmp === undefined) comparators.set(scheme, (cmp = makeComparator(scheme)));
  return cmp;
}

function makeComparator(scheme: SchemeLike): ItemOrder {
  const cmpVersion = (a: string | null, b: string | null): number =>
    a === b ? 0 : a === null ? -1 : b === null ? 1 : scheme.compare(a, b);
  return (a, b) =>
    a.caveat - b.caveat ||
    cmpVersion(a.version, b.version) ||
    cmpVersion(
      isExemptionLevel(a.caveat) ? a.originVersion : null,
      isExemptionLevel(b.caveat) ? b.originVersion : null,
    ) ||
    a.length - b.length ||
    compareLast(a.edge, b.edge);
}

/** The last edges of two paths, by origin; a path with no edge first. */
function compareLast(x: AuditEdge | undefined, y: AuditEdge | undefined): number {
  if (!x || !y) return x ? 1 : y ? -1 : 0;
  return compareOrigins(x.origin, y.origin);
}

/** The edges of the chain ending at `item`, last taken first. */
function chain(item: QueueItem): AuditEdge[] {
  const out: AuditEdge[] = [];
  for (let at: QueueItem | undefined = item; at?.edge !== undefined; at = at.prev) out.push(at.edge);
  return out;
}

/** A binary min-heap; small and local so the search has no dependencies. */
class MinHeap<T> {
  private readonly items: T[] = [];
  constructor(private readonly less: (a: T, b: T) => number) {}
  get size(): number {
    return this.items.length;
  }
  push(item: T): void {
    const a = this.items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.less(a[i]!, a[parent]!) >= 0) break;
      [a[i], a[parent]] = [a[parent]!, a[i]!];
      i = parent;
    }
  }
  pop(): T | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.less(a[l]!, a[m]!) < 0) m = l;
        if (r < a.length && this.less(a[r]!, a[m]!) < 0) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}

/**
 * One direction of cargo-vet's search; returns the path (edges last taken first) or the set
 * of visited versions.
 */
function searchDirected(
  edges: Map<string | null, AuditEdge[]>,
  backward: boolean,
  criterion: number,
  from: string | null,
  to: string | null,
  mode: SearchMode,
  scheme: SchemeLike,
): { path: AuditEdge[]; caveat: Caveat } | Set<string | null> {
  const queue = new MinHeap<QueueItem>(comparatorFor(scheme));
  queue.push({ version: from, originVersion: from, edge: undefined, prev: undefined, length: 0, caveat: Caveat.None });
  const visited = new Set<string | null>();
  while (queue.size > 0) {
    const item = queue.pop()!;
    if (visited.has(item.version)) continue;
    visited.add(item.version);
    if (item.version === to) return { path: chain(item), caveat: item.caveat };
    for (const edge of edges.get(item.version) ?? []) {
      if (!hasCriterion(edge.criteria, criterion)) continue;
      const next = backward ? edge.from : edge.to;
      if (visited.has(next)) continue;
      queue.push({
        version: next,
        originVersion: item.version,
        edge,
        prev: item,
        length: item.length + 1,
        caveat: Math.max(item.caveat, edgeCaveat(edge.origin, mode)) as Caveat,
      });
    }
  }
  return visited;
}

/** Does any edge carrying the criterion leave `version` (backward: enter it) for another version? */
function anyEdge(
  edges: AuditEdge[] | undefined,
  criterion: number,
  backward: boolean,
  version: string | null,
): boolean {
  for (const edge of edges ?? [])
    if (hasCriterion(edge.criteria, criterion) && (backward ? edge.from : edge.to) !== version) return true;
  return false;
}

/**
 * The common case without a heap: when the best edge straight from the target to the
 * root is no worse than every other edge leaving the target, best-first search would pop
 * the root right after the target (the root is the smallest version), so that edge is
 * the answer. Ties among direct edges fall to the origin order, as in the full search.
 */
function directToRoot(
  graph: AuditGraph,
  criterion: number,
  version: string,
  mode: SearchMode,
): AuditEdge | typeof NO_EDGE | undefined {
  let best: AuditEdge | undefined;
  let bestCaveat: number = Infinity;
  let otherCaveat: number = Infinity;
  for (const edge of graph.backward.get(version) ?? []) {
    if (!hasCriterion(edge.criteria, criterion) || edge.from === version) continue;
    const c = edgeCaveat(edge.origin, mode);
    if (edge.from !== null) otherCaveat = Math.min(otherCaveat, c);
    else if (c < bestCaveat || (c === bestCaveat && compareOrigins(edge.origin, best!.origin) < 0)) {
      best = edge;
      bestCaveat = c;
    }
  }
  if (best === undefined && otherCaveat === Infinity) return NO_EDGE;
  return best && bestCaveat <= otherCaveat ? best : undefined;
}

/** directToRoot's answer when no edge carrying the criterion enters the version from another one. */
const NO_EDGE = Symbol('no edge');

/** Search for `criterion` at `version` (canonical). Paths are returned root-first. */
export function searchAuditGraph(
  graph: AuditGraph,
  criterion: number,
  version: string,
  mode: SearchMode,
  scheme: SchemeLike,
  /** Tests turn the shortcut off to compare it with the full search. */
  fastPath = true,
): SearchResult {
  const direct = fastPath ? directToRoot(graph, criterion, version, mode) : undefined;
  if (direct !== undefined && direct !== NO_EDGE)
    return { ok: true, path: [direct], caveat: edgeCaveat(direct.origin, mode) };
  // Without an edge to follow, a search visits only where it starts (the common failure:
  // an exemption for a weaker criterion only); no queue is built for it.
  const back =
    direct === NO_EDGE
      ? new Set<string | null>([version])
      : searchDirected(graph.backward, true, criterion, version, null, mode, scheme);
  // Backward, the chain from the target ends at the root: already root-first.
  if (!(back instanceof Set)) return { ok: true, path: back.path, caveat: back.caveat };
  const fwd =
    fastPath && !anyEdge(graph.forward.get(null), criterion, false, null)
      ? new Set<string | null>([null])
      : searchDirected(graph.forward, false, criterion, null, version, mode, scheme);
  // The forward search must fail too; if it somehow did not, report what the root reaches anyway.
  const reachableFromRoot = fwd instanceof Set ? fwd : new Set<string | null>([null]);
  return { ok: false, reachableFromRoot, reachableFromTarget: back };
}
