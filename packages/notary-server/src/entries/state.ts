/**
 * The notary's view of its own log, derived only by replaying entries in order (rekor#1021:
 * every index is derived from the log itself): active auditor keys, revocations, the
 * per-package index behind lookups and feeds. `check` decides whether a new claim may be
 * appended given this state; `apply` folds a committed entry in.
 */
import { NotaryError } from '../errors.js';
import type { NotaryPolicy } from '../config.js';
import type { EntryClaim, LogEntryInfo } from './model.js';

export interface AuditorRecord {
  name: string;
  keyid: string;
  publicKey: Uint8Array;
  addedAt: number;
}

export interface Submitter {
  subject: string;
  role: 'auditor' | 'admin';
}

const DAY_MS = 86_400_000;

export class NotaryState {
  /** Active auditor keys by DSSE keyid. */
  readonly auditors = new Map<string, AuditorRecord>();
  /** Every entry's interpretation, by index. */
  readonly entries: LogEntryInfo[] = [];
  /** target index → index of the (first) revocation entry. */
  readonly revoked = new Map<number, number>();
  readonly byPackage = new Map<string, number[]>();
  /** Entry id (hex leaf hash) → index. */
  readonly byLeafHash = new Map<string, number>();
  readonly #adminKeys: Map<string, Uint8Array>;
  readonly #formerAuditors = new Map<string, string>();

  constructor(adminKeys: Map<string, Uint8Array>) {
    this.#adminKeys = adminKeys;
  }

  get size(): number {
    return this.entries.length;
  }

  /** Auditor name behind a signer keyid (also for since-removed keys), else the keyid. */
  auditorName(keyid: string): string {
    return this.auditors.get(keyid)?.name ?? this.#formerAuditors.get(keyid) ?? keyid;
  }

  static packageKey(ecosystem: string, name: string): string {
    return `${ecosystem}/${name}`;
  }

  /** Whether `keyid` may sign a claim of this type (per request: no map is built). */
  maySign(claim: EntryClaim, keyid: string): boolean {
    if (claim.type === 'auditor-add' || claim.type === 'auditor-remove') return this.#adminKeys.has(keyid);
    return this.auditors.has(keyid) || (claim.type === 'revocation' && this.#adminKeys.has(keyid));
  }

  /** Throws a NotaryError when `claim`, signed by `signer`, may not be appended now. */
  check(claim: EntryClaim, signer: string, who: Submitter, policy: NotaryPolicy, now: number): void {
    const admin = this.#adminKeys.has(signer);
    if (!admin && who.role !== 'admin' && this.auditors.get(signer)?.name !== who.subject) {
      throw new NotaryError(
        'FORBIDDEN',
        `this token belongs to "${who.subject}", not to the signer of the envelope (keyid ${signer})`,
      );
    }
    switch (claim.type) {
      case 'audit':
      case 'violation': {
        const unknown = claim.criteria.filter((c) => !policy.criteria.includes(c));
        if (unknown.length > 0)
          throw new NotaryError(
            'POLICY',
            `criteria not offered by this notary: ${unknown.join(', ')} (offered: ${policy.criteria.join(', ')})`,
          );
        if (claim.type === 'audit' && policy.cooldownDays > 0)
          checkCooldown(claim.releasedAt, policy.cooldownDays, now);
        return;
      }
      case 'revocation':
        return this.#checkRevocation(claim.revokes, signer);
      case 'auditor-add':
        if (this.auditors.has(claim.keyid))
          throw new NotaryError('POLICY', `auditor key ${claim.keyid} is already active`);
        if (this.#adminKeys.has(claim.keyid))
          throw new NotaryError('POLICY', `keyid ${claim.keyid} is an admin key id`);
        return;
      case 'auditor-remove':
        if (this.auditors.get(claim.keyid)?.name !== claim.name)
          throw new NotaryError('POLICY', `no active auditor key ${claim.keyid} for "${claim.name}"`);
        return;
    }
  }

  #checkRevocation(leafHash: string, signer: string): void {
    const index = this.byLeafHash.get(leafHash);
    const t = index === undefined ? undefined : this.entries[index];
    if (index === undefined || t === undefined)
      throw new NotaryError('POLICY', `no entry with leaf hash ${leafHash} in the log`);
    if (t.claim.type !== 'audit' && t.claim.type !== 'violation')
      throw new NotaryError('POLICY', `entry ${index} is a ${t.claim.type}; only audits and violations can be revoked`);
    if (this.revoked.has(index)) throw new NotaryError('POLICY', `entry ${index} is already revoked`);
    const original = this.auditorName(t.signer);
    const by = this.auditors.get(signer)?.name;
    if (!this.#adminKeys.has(signer) && by !== original)
      throw new NotaryError('FORBIDDEN', `only "${original}" or an admin can revoke entry ${index}`);
  }

  apply(info: LogEntryInfo): void {
    if (info.index !== this.entries.length)
      throw new Error(`state out of order: got ${info.index}, expected ${this.entries.length}`);
    this.entries.push(info);
    this.byLeafHash.set(info.leafHash, info.index);
    const c = info.claim;
    if (c.type === 'audit' || c.type === 'violation') {
      const key = NotaryState.packageKey(c.ecosystem, c.package);
      const list = this.byPackage.get(key);
      if (list) list.push(info.index);
      else this.byPackage.set(key, [info.index]);
    } else if (c.type === 'revocation') {
      const target = this.byLeafHash.get(c.revokes);
      if (target !== undefined && !this.revoked.has(target)) this.revoked.set(target, info.index);
    } else if (c.type === 'auditor-add') {
      this.auditors.set(c.keyid, { name: c.name, keyid: c.keyid, publicKey: c.publicKey, addedAt: info.index });
    } else if (c.type === 'auditor-remove') {
      this.auditors.delete(c.keyid);
      this.#formerAuditors.set(c.keyid, c.name);
    }
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
