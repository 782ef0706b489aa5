/**
 * Criteria as bitsets (spec/cargo-vet-format.md §6, trap §14.18): `safe-to-run` = bit 0,
 * `safe-to-deploy` = bit 1 (implying safe-to-run), then the store's custom criteria in
 * byte-wise name order. Every name maps to its closure (itself plus everything it
 * implies), so "does edge E satisfy C" is one AND.
 */
import { VetError } from '../errors.js';
import type { CriteriaEntry } from '../store/model.js';
import { SAFE_TO_DEPLOY, SAFE_TO_RUN } from '../store/model.js';
import { dict } from '../dict.js';

/** Where a criteria name was written, for errors. */
export interface Where {
  file?: string;
  context?: string;
}

/** A set of criteria indices; bit i set ⇔ criterion i is in the set. */
export type CriteriaSet = bigint;

/** cargo-vet's bitset is a u64. */
export const MAX_CRITERIA = 64;

const byteOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** `BIT[i] = 1n << i`, precomputed: BigInt shifts allocate and the resolver asks often. */
const BIT: readonly bigint[] = Array.from({ length: MAX_CRITERIA }, (_, i) => 1n << BigInt(i));

export class CriteriaIndex {
  /** Names by index: built-ins first, then customs in byte-wise order. */
  readonly names: readonly string[];
  private readonly index: ReadonlyMap<string, number>;
  /** Closure of each criterion, including itself. */
  private readonly closures: readonly CriteriaSet[];
  /** Display names per set: most packages share one of a handful of sets. */
  private readonly nameCache = new Map<CriteriaSet, string[]>();
  private readonly indexCache = new Map<CriteriaSet, readonly number[]>();

  constructor(custom: Record<string, CriteriaEntry> = dict(), file = 'audits.toml') {
    const customNames = Object.keys(custom).sort(byteOrder);
    const names = [SAFE_TO_RUN, SAFE_TO_DEPLOY, ...customNames];
    if (names.length > MAX_CRITERIA) {
      throw new VetError(
        'CRITERIA_ERROR',
        `${names.length} criteria declared; at most ${MAX_CRITERIA} (built-ins included) are supported`,
        { file },
      );
    }
    const index = new Map<string, number>();
    for (const [i, name] of names.entries()) {
      if (index.has(name)) {
        throw new VetError(
          'CRITERIA_ERROR',
          `criteria '${name}' is declared more than once (built-in criteria cannot be redeclared)`,
          { file },
        );
      }
      index.set(name, i);
    }
    const direct: CriteriaSet[] = names.map(() => 0n);
    direct[1] = 1n << 0n; // safe-to-deploy implies safe-to-run
    for (const name of customNames) {
      const i = index.get(name)!;
      for (const implied of custom[name]!.implies) {
        const j = index.get(implied);
        if (j === undefined) {
          throw new VetError('CRITERIA_ERROR', `criteria '${name}' implies unknown criteria '${implied}'`, { file });
        }
        direct[i] = direct[i]! | (1n << BigInt(j));
      }
    }
    this.names = names;
    this.index = index;
    this.closures = names.map((name, i) => {
      const seen = transitive(direct, i);
      if (seen & (1n << BigInt(i))) throw new VetError('CRITERIA_ERROR', `criteria '${name}' implies itself`, { file });
      return seen | (1n << BigInt(i));
    });
  }

  get size(): number {
    return this.names.length;
  }

  has(name: string): boolean {
    return this.index.has(name);
  }

  indexOf(name: string, whereAt?: Where | (() => Where)): number {
    const i = this.index.get(name);
    if (i === undefined) {
      const where = typeof whereAt === 'function' ? whereAt() : whereAt;
      const ctx = where?.context ? ` (${where.context})` : '';
      throw new VetError('CRITERIA_ERROR', `unknown criteria '${name}'${ctx}`, {
        ...(where?.file ? { file: where.file } : {}),
        hint: `known criteria: ${this.names.join(', ')}`,
      });
    }
    return i;
  }

  /** Closure of one criterion. */
  closureOfIndex(i: number): CriteriaSet {
    return this.closures[i] ?? 0n;
  }

  /**
   * Union of the closures of the listed names; unknown names are a CRITERIA_ERROR naming
   * `where` (a function is called only then: the resolver asks once per audit-like entry).
   */
  closureOf(names: Iterable<string>, where?: Where | (() => Where)): CriteriaSet {
    let set = 0n;
    for (const name of names) set |= this.closures[this.indexOf(name, where)]!;
    return set;
  }

  /** `closureOf(names)` when every name is known, else undefined (the caller then reports where). */
  knownClosureOf(names: Iterable<string>): CriteriaSet | undefined {
    let set = 0n;
    for (const name of names) {
      const i = this.index.get(name);
      if (i === undefined) return undefined;
      set |= this.closures[i]!;
    }
    return set;
  }

  all(): CriteriaSet {
    return (1n << BigInt(this.size)) - 1n;
  }

  none(): CriteriaSet {
    return 0n;
  }

  /** Indices in the set, ascending (shared per set: the resolver asks once per package). */
  indices(set: CriteriaSet): readonly number[] {
    let out = this.indexCache.get(set);
    if (out === undefined) {
      const list: number[] = [];
      for (let i = 0; i < this.names.length; i++) if (set & BIT[i]!) list.push(i);
      this.indexCache.set(set, (out = list));
    }
    return out;
  }

  /** Members not implied by another member, in index order (cargo-vet `minimal_indices`). */
  minimalIndices(set: CriteriaSet): number[] {
    const members = this.indices(set);
    return members.filter((i) => members.every((j) => j === i || !(this.closures[j]! & BIT[i]!)));
  }

  /** Display form: `["safe-to-deploy"]`, never `["safe-to-run", "safe-to-deploy"]`. */
  minimalNames(set: CriteriaSet): string[] {
    let names = this.nameCache.get(set);
    if (!names) this.nameCache.set(set, (names = this.minimalIndices(set).map((i) => this.names[i]!)));
    return [...names];
  }

  /** Criteria (other than `i`) whose closure contains `i`, in index order. */
  impliedBy(i: number): number[] {
    const bit = 1n << BigInt(i);
    return this.closures.flatMap((c, j) => (j !== i && c & bit ? [j] : []));
  }

  nameOf(i: number): string {
    return this.names[i] ?? `#${i}`;
  }
}

export function hasCriterion(set: CriteriaSet, i: number): boolean {
  return (set & BIT[i]!) !== 0n;
}

/** The set holding only criterion `i`. */
export function criterionBit(i: number): CriteriaSet {
  return BIT[i]!;
}

export function containsAll(set: CriteriaSet, other: CriteriaSet): boolean {
  return (set & other) === other;
}

/** Everything reachable from `start` over `direct` implies-edges (not including start unless cyclic). */
function transitive(direct: readonly CriteriaSet[], start: number): CriteriaSet {
  let seen = 0n;
  const stack = [start];
  while (stack.length > 0) {
    const cur = stack.pop()!;
    const next = direct[cur] ?? 0n;
    for (let j = 0; j < direct.length; j++) {
      const bit = 1n << BigInt(j);
      if (next & bit && !(seen & bit)) {
        seen |= bit;
        stack.push(j);
      }
    }
  }
  return seen;
}
