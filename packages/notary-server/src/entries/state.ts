/**
 * The notary's view of its own log, derived only by replaying entries in order (rekor#1021:
 * every index is derived from the log itself). What may be appended is @vet/core's state
 * machine (`log`: keys in force, revocation targets) — the one every client replays with;
 * this class adds the notary's indexes (per package, revocations, by leaf hash) behind
 * lookups and feeds, and the notary's own policy on top of the protocol.
 */
import { NotaryLogState, applyNotaryEntry, type AdmittedNotaryEntry } from '@vet/core';
import { NotaryError } from '../errors.js';
import type { NotaryPolicy } from '../config.js';
import type { EntryProblem, LogEntryInfo } from './model.js';

/** The registry's publish time of a release (ms), when the release watch has seen it. */
export type ReleaseTimeFn = (ecosystem: string, name: string, version: string) => number | undefined;

export interface Submitter {
  /** The auditor's key id (tokens are bound to it, not to a name), or "admin". */
  subject: string;
  role: 'auditor' | 'admin';
}

const DAY_MS = 86_400_000;

export class NotaryState {
  readonly log: NotaryLogState;
  /** Every entry's interpretation, by index (undefined: a stored entry the log cannot interpret). */
  readonly entries: (LogEntryInfo | undefined)[] = [];
  /** target index → index of the revocation entry. */
  readonly revoked = new Map<number, number>();
  readonly byPackage = new Map<string, number[]>();
  /** Entry id (hex leaf hash) → index. */
  readonly byLeafHash = new Map<string, number>();
  /** Stored entries the state machine refuses (start-up replay): reported, never served as claims. */
  readonly problems: EntryProblem[] = [];

  constructor(origin: string, adminKeys: ReadonlyMap<string, Uint8Array>) {
    this.log = new NotaryLogState({ origin, adminKeys });
  }

  get size(): number {
    return this.log.size;
  }

  /** An auditor's registered name (also for since-removed keys), else the keyid. */
  auditorName(keyid: string): string {
    return this.log.auditors.get(keyid)?.name ?? keyid;
  }

  static packageKey(ecosystem: string, name: string): string {
    return `${ecosystem}/${name}`;
  }

  /**
   * The notary's policy on top of the protocol: the token must be the signer's (or the
   * admin's), criteria must be offered, a release must be past the cooldown.
   */
  checkPolicy(
    a: AdmittedNotaryEntry,
    who: Submitter,
    policy: NotaryPolicy,
    now: number,
    releaseTime?: ReleaseTimeFn,
  ): void {
    if (who.role !== 'admin' && who.subject !== a.signer) {
      throw new NotaryError(
        'FORBIDDEN',
        `this token belongs to auditor key ${who.subject}, not to the signer ${a.signer}`,
      );
    }
    const c = a.claim;
    if (c.type !== 'audit' && c.type !== 'violation') return;
    const unknown = c.criteria.filter((x) => !policy.criteria.includes(x));
    if (unknown.length > 0)
      throw new NotaryError(
        'POLICY',
        `criteria not offered by this notary: ${unknown.join(', ')} (offered: ${policy.criteria.join(', ')})`,
      );
    if (c.type !== 'audit') return;
    const registry = releaseTime?.(c.ecosystem, c.package, c.version);
    if (registry !== undefined && c.releasedAt !== undefined) checkReleasedAt(c.releasedAt, registry);
    if (policy.cooldownDays > 0) checkCooldown(registry ?? c.releasedAt, policy.cooldownDays, now);
  }

  /** Folds an admitted entry in: the protocol state, then the notary's indexes. */
  apply(a: AdmittedNotaryEntry): void {
    applyNotaryEntry(this.log, a);
    const info: LogEntryInfo = { index: a.index, leafHash: a.leafHash, signer: a.signer, claim: a.claim };
    this.entries.push(info);
    this.byLeafHash.set(a.leafHash, a.index);
    const c = a.claim;
    if (c.type === 'audit' || c.type === 'violation') {
      const key = NotaryState.packageKey(c.ecosystem, c.package);
      const list = this.byPackage.get(key);
      if (list) list.push(a.index);
      else this.byPackage.set(key, [a.index]);
    } else if (c.type === 'revocation') {
      const target = this.byLeafHash.get(c.revokes);
      if (target !== undefined) this.revoked.set(target, a.index);
    }
  }

  /** A stored entry the state machine refuses: it keeps its index and changes nothing else. */
  skip(problem: EntryProblem): void {
    this.problems.push(problem);
    this.entries.push(undefined);
    this.log.size += 1;
  }
}

/** The auditor's `releasedAt` may not disagree with the registry's publish time by more than a day. */
function checkReleasedAt(claimed: number, registry: number): void {
  if (Math.abs(claimed - registry) > DAY_MS) {
    throw new NotaryError(
      'POLICY',
      `predicate.releasedAt ${new Date(claimed).toISOString()} disagrees with the registry's publish time ${new Date(registry).toISOString()} by more than a day`,
    );
  }
}

function checkCooldown(releasedAt: number | undefined, days: number, now: number): void {
  if (releasedAt === undefined) {
    throw new NotaryError(
      'POLICY',
      `this notary has a ${days}-day cooldown: predicate.releasedAt (the release's publication time) is required`,
    );
  }
  if (now - releasedAt < days * DAY_MS) {
    const ready = new Date(releasedAt + days * DAY_MS).toISOString();
    throw new NotaryError(
      'POLICY',
      `release is younger than the ${days}-day cooldown; approvals are accepted from ${ready}`,
    );
  }
}
