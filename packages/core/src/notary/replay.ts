/**
 * Replaying log entries in order (notary.md §9 step 4) on a client's mirror state, with the
 * one state machine of admit.ts: the entry is decoded, its signer checked against the keys
 * in force at that index, its statement read and held to the same rules the notary applied
 * when it admitted the entry. Revocations mark earlier audits and violations; nothing is
 * ever deleted.
 *
 * Entries reach the replay only after they hashed to a verified checkpoint root, so they are
 * what the notary logged. An entry the state machine refuses means the notary logged
 * something it should have refused: we fail closed (a skipped entry could be a revocation)
 * rather than guess, and name the rule.
 */
import { VetError } from '../errors.js';
import { decodeBase64Strict, toHex } from '../sig/bytes.js';
import type { DecodedDsse } from '../sig/dsse.js';
import { isRuleRefusal } from '../sig/refusal.js';
import {
  NotaryLogState,
  admitEntry,
  applyEntry,
  decodeLogEntry,
  type AdmittedEntry,
  type NotaryAuditor,
  type RevocationTarget,
} from './admit.js';
import { revokedNotaryClaim, type NotaryAuditorRecord, type NotaryClaimRecord } from './state.js';

export interface ReplayState {
  origin: string;
  adminKeys: Record<string, string>;
  auditors: Record<string, NotaryAuditorRecord>;
  claims: NotaryClaimRecord[];
}

/**
 * Results of Ed25519 verifications done earlier over the same bytes (the entry's PAE and
 * signature, the key in `publicKey`): true/false, or undefined = not computed, verify now.
 * Lets the CLI spread the expensive verifications over worker threads.
 */
export type SignatureLookup = (index: number, sigIndex: number, publicKey: string) => boolean | undefined;

/** Applies entries in index order to a ReplayState (mutated in place), from index `from`. */
export class NotaryReplayer {
  /** Kept for callers that print them; the state machine refuses rather than warns. */
  readonly warnings: string[] = [];
  readonly #s: ReplayState;
  readonly #log: NotaryLogState;
  readonly #verified: SignatureLookup | undefined;
  /** Leaf hash → position in state.claims, for revocations. */
  readonly #claimAt = new Map<string, number>();

  constructor(state: ReplayState, from: number, verified?: SignatureLookup) {
    this.#s = state;
    this.#verified = verified;
    this.#log = new NotaryLogState({
      origin: state.origin,
      adminKeys: keyMap(state.adminKeys),
      size: from,
      auditors: auditorsOf(state.auditors),
      targets: () => this.#targets(),
    });
  }

  /** `pre`: the envelope already decoded from these exact bytes (see notarySignatureJobs). */
  apply(index: number, leaf: Uint8Array, leafHash: Uint8Array, pre?: DecodedDsse): void {
    const admitted = this.judge(index, leaf, leafHash, pre);
    applyEntry(this.#log, admitted);
    this.#record(admitted);
  }

  /**
   * The replay's decision on one entry at `index` (the next), without applying it: the
   * admitted entry, or a VetError SIGNATURE_INVALID whose details name the rule.
   */
  judge(index: number, leaf: Uint8Array, leafHash: Uint8Array, pre?: DecodedDsse): AdmittedEntry {
    const id = toHex(leafHash);
    try {
      if (index !== this.#log.size)
        throw new VetError('INTERNAL', `replay continues at ${this.#log.size}, not ${index}`);
      const entry = pre ?? decodeLogEntry(leaf);
      const verified = this.#verified;
      return admitEntry(entry, this.#log, {
        leafHash: id,
        ...(verified && { verified: (sigIndex, key) => verified(index, sigIndex, key.b64) }),
      });
    } catch (e) {
      if (!isRuleRefusal(e)) throw e;
      throw new VetError('SIGNATURE_INVALID', `notary ${this.#s.origin}: log entry ${index}: ${e.message}`, {
        hint: 'the notary logged an entry it should have refused; nothing was imported. Report it to the notary operator',
        details: { index, leafHash: id, rule: e.rule },
      });
    }
  }

  #record(a: AdmittedEntry): void {
    const c = a.claim;
    if (c.type === 'revocation') {
      const pos = this.#claimAt.get(c.revokes)!;
      this.#s.claims[pos] = revokedNotaryClaim(this.#s.claims[pos]!, a.index);
    } else if (c.type !== 'audit' && c.type !== 'violation') {
      this.#s.auditors = auditorRecords(this.#log.auditors);
    } else {
      const claim: NotaryClaimRecord = {
        index: a.index,
        leafHash: a.leafHash,
        signer: a.signer,
        auditor: c.who,
        kind: c.type === 'violation' ? 'violation' : c.auditKind,
        ecosystem: c.ecosystem,
        package: c.package,
        criteria: c.criteria,
        who: c.who,
        digests: c.type === 'audit' ? { ...c.digests } : {},
      };
      if (c.type === 'audit' && c.auditKind === 'full') claim.version = c.version;
      if (c.type === 'audit' && c.from !== undefined) claim.delta = { from: c.from, to: c.version };
      if (c.type === 'violation') claim.violation = c.violation;
      if (c.notes !== undefined) claim.notes = c.notes;
      this.#claimAt.set(a.leafHash, this.#s.claims.length);
      this.#s.claims.push(claim);
    }
  }

  /** The audits and violations mirrored before this replay, for the first revocation. */
  *#targets(): Iterable<[string, RevocationTarget]> {
    for (const [pos, c] of this.#s.claims.entries()) {
      this.#claimAt.set(c.leafHash, pos);
      const t: RevocationTarget = { index: c.index, signer: c.signer };
      if (c.revokedBy !== undefined) t.revokedBy = c.revokedBy;
      yield [c.leafHash, t];
    }
  }
}

function keyMap(keys: Record<string, string>): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  for (const [keyid, b64] of Object.entries(keys)) {
    const key = decodeBase64Strict(b64);
    if (key !== undefined) out.set(keyid, key);
  }
  return out;
}

function auditorsOf(records: Record<string, NotaryAuditorRecord>): NotaryAuditor[] {
  return Object.entries(records).map(([keyid, r]) => ({
    keyid,
    name: r.name,
    publicKey: decodeBase64Strict(r.publicKey) ?? new Uint8Array(0),
    publicKeyB64: r.publicKey,
    active: r.active,
  }));
}

/** Keyed by key id (from outside): a null-prototype record, so `__proto__` is just a key. */
function auditorRecords(auditors: ReadonlyMap<string, NotaryAuditor>): Record<string, NotaryAuditorRecord> {
  const out = Object.create(null) as Record<string, NotaryAuditorRecord>;
  for (const [keyid, a] of auditors) out[keyid] = { name: a.name, publicKey: a.publicKeyB64, active: a.active };
  return out;
}
