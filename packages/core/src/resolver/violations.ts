/**
 * Violation conflicts (spec/cargo-vet-format.md §7.5, trap §14.7). Violations are
 * crate-wide: for every violation entry (local or imported) of a package name, any
 * exemption or audit (local or imported, any version — not only the one in use) whose
 * version (full) or either endpoint (delta) matches the requirement conflicts when the
 * closure of its criteria contains the closure of ANY SINGLE criterion of the violation.
 * Wildcard audits, trusted entries and unpublished rows are never checked. Pre-release
 * versions escape `*` because the requirement match follows the semver crate rule.
 */
import { VetError } from '../errors.js';
import type { AuditEntry, ExemptionEntry, Store } from '../store/model.js';
import { auditsOf, importNames } from './audit-graph.js';
import { containsAll, type CriteriaIndex } from './criteria.js';
import type { SchemeLike } from './scheme-ext.js';

/** An audit that a violation forbids. `null` source = this project's own files. */
export interface AuditConflict {
  kind: 'audit';
  violationSource: string | null;
  violation: AuditEntry;
  auditSource: string | null;
  audit: AuditEntry;
}

/** An exemption that a violation forbids. */
export interface UnauditedConflict {
  kind: 'exemption';
  violationSource: string | null;
  violation: AuditEntry;
  exemption: ExemptionEntry;
}

export type ViolationConflict = AuditConflict | UnauditedConflict;

const isViolation = (e: AuditEntry): boolean => e.kind === 'violation';

function hasViolation(store: Store, name: string, imports: string[]): boolean {
  for (const n of imports) if (store.importsLock.audits[n]?.audits[name]?.some(isViolation)) return true;
  return store.audits.audits[name]?.some(isViolation) ?? false;
}

export function findViolationConflicts(
  store: Store,
  name: string,
  criteria: CriteriaIndex,
  scheme: SchemeLike,
  imports: string[] = importNames(store),
): ViolationConflict[] {
  // Most names have no violation: answered without collecting their audits (once per name per resolve).
  if (!hasViolation(store, name, imports)) return [];
  const audits = auditsOf(store, name, imports);
  const exemptions = store.config.exemptions[name] ?? [];
  const conflicts: ViolationConflict[] = [];
  for (const v of audits) {
    if (v.entry.kind !== 'violation') continue;
    const req = v.entry.violation ?? '';
    const file = v.source === null ? 'audits.toml' : 'imports.lock';
    const bad = scheme.validateRequirement(req);
    if (bad !== undefined) {
      throw new VetError(
        'INVALID_STORE',
        `violation for ${name} has an invalid version requirement ${JSON.stringify(req)}: ${bad}`,
        { file },
      );
    }
    const single = v.entry.criteria.map((c) => criteria.closureOf([c], { file, context: `violation for ${name}` }));
    const forbids = (names: string[], where: string): boolean => {
      const set = criteria.closureOf(names, { file: where, context: `entry for ${name}` });
      return single.some((s) => containsAll(set, s));
    };
    const matches = (version: string | undefined): boolean => version !== undefined && scheme.satisfies(version, req);

    for (const exemption of exemptions) {
      if (forbids(exemption.criteria, 'config.toml') && matches(exemption.version)) {
        conflicts.push({ kind: 'exemption', violationSource: v.source, violation: v.entry, exemption });
      }
    }
    for (const a of audits) {
      const e = a.entry;
      if (e.kind === 'violation' || !forbids(e.criteria, a.source === null ? 'audits.toml' : 'imports.lock')) continue;
      const hit = e.kind === 'full' ? matches(e.version) : matches(e.delta?.from) || matches(e.delta?.to);
      if (hit)
        conflicts.push({
          kind: 'audit',
          violationSource: v.source,
          violation: v.entry,
          auditSource: a.source,
          audit: e,
        });
    }
  }
  return conflicts;
}
