/**
 * The orders cargo-vet sorts entries in before writing (spec/cargo-vet-format.md §9.3),
 * i.e. the derived `Ord` of its Rust structs. Sorting is stable, so entries that compare
 * equal keep their relative order, as with Rust's `sort`.
 */
import type {
  AuditEntry,
  ExemptionEntry,
  PublisherEntry,
  PublisherIdentity,
  TrustedEntry,
  UnpublishedEntry,
  WildcardAuditEntry,
} from './model.js';
import { compareBytes } from './vet-version.js';
import { normalizeVersionReq } from './version-req.js';

export type VersionCompare = (a: string, b: string) => number;

export function compareLists(a: readonly string[], b: readonly string[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compareBytes(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

/** Option<T> order: None first. */
function compareOpt<T>(a: T | undefined, b: T | undefined, cmp: (x: T, y: T) => number): number {
  if (a === undefined || b === undefined) return (a === undefined ? 0 : 1) - (b === undefined ? 0 : 1);
  return cmp(a, b);
}

function compareBool(a: boolean, b: boolean): number {
  return Number(a) - Number(b);
}

const KIND_ORDER = { full: 0, delta: 1, violation: 2 } as const;
const IDENTITY_ORDER = { 'user-id': 0, 'trusted-publisher': 1, 'user-login': 2 } as const;

export function compareIdentity(a: PublisherIdentity, b: PublisherIdentity): number {
  const k = IDENTITY_ORDER[a.kind] - IDENTITY_ORDER[b.kind];
  if (k !== 0) return k;
  if (a.kind === 'user-id' && b.kind === 'user-id') return a.userId - b.userId;
  if (a.kind === 'trusted-publisher' && b.kind === 'trusted-publisher')
    return compareBytes(a.trustedPublisher, b.trustedPublisher);
  if (a.kind === 'user-login' && b.kind === 'user-login') return compareBytes(a.userLogin, b.userLogin);
  return 0;
}

/** The requirement as cargo-vet writes (and therefore compares) it. */
export function violationText(req: string): string {
  return normalizeVersionReq(req) ?? req;
}

function compareKind(a: AuditEntry, b: AuditEntry, v: VersionCompare): number {
  const k = KIND_ORDER[a.kind] - KIND_ORDER[b.kind];
  if (k !== 0) return k;
  if (a.kind === 'full') return v(a.version ?? '', b.version ?? '');
  if (a.kind === 'delta') return v(a.delta?.from ?? '', b.delta?.from ?? '') || v(a.delta?.to ?? '', b.delta?.to ?? '');
  return compareBytes(violationText(a.violation ?? ''), violationText(b.violation ?? ''));
}

/** (kind, versions, criteria, who, notes) — AuditEntry's hand-written PartialOrd. */
export function auditOrder(v: VersionCompare) {
  return (a: AuditEntry, b: AuditEntry): number =>
    compareKind(a, b, v) ||
    compareLists(a.criteria, b.criteria) ||
    compareLists(a.who, b.who) ||
    compareOpt(a.notes, b.notes, compareBytes);
}

export function wildcardOrder(a: WildcardAuditEntry, b: WildcardAuditEntry): number {
  return (
    compareLists(a.who, b.who) ||
    compareLists(a.criteria, b.criteria) ||
    compareIdentity(a.identity, b.identity) ||
    compareBytes(a.start, b.start) ||
    compareBytes(a.end, b.end) ||
    compareOpt(a.renew, b.renew, compareBool) ||
    compareOpt(a.notes, b.notes, compareBytes) ||
    compareLists(a.aggregatedFrom, b.aggregatedFrom)
  );
}

export function trustedOrder(a: TrustedEntry, b: TrustedEntry): number {
  return (
    compareLists(a.criteria, b.criteria) ||
    compareIdentity(a.identity, b.identity) ||
    compareBytes(a.start, b.start) ||
    compareBytes(a.end, b.end) ||
    compareOpt(a.notes, b.notes, compareBytes) ||
    compareLists(a.aggregatedFrom, b.aggregatedFrom)
  );
}

export function exemptionOrder(v: VersionCompare) {
  return (a: ExemptionEntry, b: ExemptionEntry): number =>
    v(a.version, b.version) ||
    compareLists(a.criteria, b.criteria) ||
    compareBool(a.suggest, b.suggest) ||
    compareOpt(a.notes, b.notes, compareBytes);
}

/** (version, when, source): a registry user (id, login, name) before a trusted publisher. */
export function publisherOrder(v: VersionCompare) {
  return (a: PublisherEntry, b: PublisherEntry): number =>
    v(a.version, b.version) ||
    compareBytes(a.when, b.when) ||
    compareIdentity(a.identity, b.identity) ||
    compareOpt(a.userLogin, b.userLogin, compareBytes) ||
    compareOpt(a.userName, b.userName, compareBytes);
}

export function unpublishedOrder(v: VersionCompare) {
  return (a: UnpublishedEntry, b: UnpublishedEntry): number => v(a.version, b.version) || v(a.auditedAs, b.auditedAs);
}

/** A sorted copy (the model is never mutated by writing). */
export function sorted<T>(list: readonly T[], cmp: (a: T, b: T) => number): T[] {
  return [...list].sort(cmp);
}

/** Map keys in byte order (Rust BTreeMap<String, _>). */
export function sortedKeys(obj: Record<string, unknown>): string[] {
  return Object.keys(obj).sort(compareBytes);
}
