/**
 * Replaying log entries in order (notary.md §9 step 4): each entry is the exact DSSE
 * envelope an auditor (or the notary admin) signed. Its signature is checked over the PAE
 * against the keys in force at that index — auditors added and removed by earlier
 * admin-signed entries — and only then is the statement read. Revocations mark earlier
 * audits and violations; nothing is ever deleted.
 *
 * Entries reach the replay only after they hashed to a verified checkpoint root, so they
 * are what the notary logged. An entry whose signature does not verify means the notary
 * logged something it should have refused: we fail closed (a skipped entry could be a
 * revocation) rather than guess.
 */
import { Buffer } from 'node:buffer';
import { VetError, isVetError, type VetValidationError } from '../errors.js';
import { decodeBase64Lenient, decodeBase64Strict, toHex, utf8DecodeStrict } from '../sig/bytes.js';
import { dssePae, parseDsseEnvelope } from '../sig/dsse.js';
import { ed25519Verify, isCanonicalEd25519Signature } from '../sig/ed25519.js';
import {
  IN_TOTO_PAYLOAD_TYPE,
  VET_AUDIT_PREDICATE_TYPE,
  VET_AUDITOR_PREDICATE_TYPE,
  parseAuditStatement,
  parseAuditorStatement,
} from '../sig/statement.js';
import type { NotaryAuditorRecord, NotaryClaimRecord } from './state.js';

export interface ReplayState {
  origin: string;
  adminKeys: Record<string, string>;
  auditors: Record<string, NotaryAuditorRecord>;
  claims: NotaryClaimRecord[];
}

/** Applies entries in index order to a ReplayState (mutated in place). */
export class NotaryReplayer {
  readonly warnings: string[] = [];
  readonly #s: ReplayState;
  readonly #byLeafHash = new Map<string, NotaryClaimRecord>();
  readonly #keys = new Map<string, Uint8Array>();

  constructor(state: ReplayState) {
    this.#s = state;
    for (const c of state.claims) this.#byLeafHash.set(c.leafHash, c);
  }

  apply(index: number, leaf: Uint8Array, leafHash: Uint8Array): void {
    const id = toHex(leafHash);
    const fail = (why: string, code: 'SIGNATURE_INVALID' | 'LOG_INCONSISTENT' = 'SIGNATURE_INVALID'): VetError =>
      new VetError(code, `notary ${this.#s.origin}: log entry ${index} ${why}`, {
        hint: 'the notary logged an entry it should have refused; nothing was imported. Report it to the notary operator',
        details: { index, leafHash: id },
      });
    let env;
    try {
      env = parseDsseEnvelope(leaf, { maxBytes: 65_535 });
    } catch (e) {
      throw fail(`is not a DSSE envelope (${(e as Error).message})`);
    }
    if (env.payloadType !== IN_TOTO_PAYLOAD_TYPE) throw fail(`has payloadType ${JSON.stringify(env.payloadType)}, not ${IN_TOTO_PAYLOAD_TYPE}`);
    const payload = decodeBase64Lenient(env.payload)!;
    const signer = this.#signer(env.signatures, dssePae(env.payloadType, payload), fail);
    const predicateType = peekPredicateType(payload);
    if (predicateType === VET_AUDITOR_PREDICATE_TYPE) return this.#auditorChange(payload, signer, fail);
    if (predicateType !== VET_AUDIT_PREDICATE_TYPE) throw fail(`has an unknown predicateType ${JSON.stringify(predicateType)}`);
    this.#claim(index, id, payload, signer, fail);
  }

  /** The keyid of the first signature by a key in force that verifies; throws otherwise. */
  #signer(sigs: { keyid?: string; sig: string }[], pae: Uint8Array, fail: (why: string) => VetError): string {
    let failed: string | undefined;
    for (const s of sigs) {
      const key = s.keyid === undefined ? undefined : this.#keyFor(s.keyid);
      if (key === undefined) continue;
      const sig = decodeBase64Lenient(s.sig);
      if (sig !== undefined && ed25519Verify(sig, pae, key)) return s.keyid!;
      const why = sig !== undefined && sig.length === 64 && !isCanonicalEd25519Signature(sig) ? ' (non-canonical: S ≥ L)' : '';
      failed ??= `${s.keyid!}${why}`;
    }
    if (failed !== undefined) throw fail(`has a signature by ${failed} that does not verify`);
    throw fail(`is not signed by any auditor or admin key in force at that index (keyids: ${sigs.map((s) => s.keyid ?? '(none)').join(', ')})`);
  }

  #keyFor(keyid: string): Uint8Array | undefined {
    const b64 = this.#s.adminKeys[keyid] ?? (this.#s.auditors[keyid]?.active ? this.#s.auditors[keyid]!.publicKey : undefined);
    if (b64 === undefined) return undefined;
    let key = this.#keys.get(b64);
    if (key === undefined) {
      key = decodeBase64Strict(b64);
      if (key === undefined) return undefined;
      this.#keys.set(b64, key);
    }
    return key;
  }

  #auditorChange(payload: Uint8Array, signer: string, fail: (why: string) => VetError): void {
    if (this.#s.adminKeys[signer] === undefined) throw fail('changes the auditor set but is not signed by the notary admin key');
    const a = statementOrFail(() => parseAuditorStatement(payload), fail);
    const publicKey = Buffer.from(a.publicKey).toString('base64');
    if (a.action === 'add') this.#s.auditors[a.keyid] = { name: a.name, publicKey, active: true };
    else {
      const cur = this.#s.auditors[a.keyid];
      if (cur === undefined || !cur.active || cur.publicKey !== publicKey) throw fail(`removes auditor key ${a.keyid}, which is not active`);
      cur.active = false;
    }
  }

  #claim(index: number, leafHash: string, payload: Uint8Array, signer: string, fail: (why: string) => VetError): void {
    const s = statementOrFail(() => parseAuditStatement(payload), fail);
    if (s.extra.notary !== undefined && s.extra.notary !== this.#s.origin) {
      throw fail(`is bound to another notary (${JSON.stringify(s.extra.notary)}): a replayed approval`);
    }
    const admin = this.#s.adminKeys[signer] !== undefined;
    if (s.kind === 'revocation') return this.#revoke(index, s.revokes ?? '', signer, admin);
    if (admin) throw fail('is an audit signed by the admin key, not by an auditor');
    const claim: NotaryClaimRecord = {
      index,
      leafHash,
      signer,
      auditor: this.#s.auditors[signer]?.name ?? signer,
      kind: s.kind === 'violation' ? 'violation' : s.delta ? 'delta' : 'full',
      ecosystem: s.ecosystem,
      package: s.package,
      criteria: [...s.criteria].sort(),
      who: s.who,
      digests: s.digests,
    };
    if (s.version !== undefined && claim.kind === 'full') claim.version = s.version;
    if (s.delta) claim.delta = { from: s.delta.from, to: s.delta.to };
    if (s.violation !== undefined) claim.violation = s.violation;
    if (s.notes !== undefined) claim.notes = s.notes;
    this.#s.claims.push(claim);
    this.#byLeafHash.set(leafHash, claim);
  }

  /** Only the original auditor (by name) or an admin may revoke; the first revocation counts. */
  #revoke(index: number, target: string, signer: string, admin: boolean): void {
    const t = this.#byLeafHash.get(target);
    if (t === undefined) return void this.warnings.push(`entry ${index} revokes ${target}, which is not an audit or violation in the log; ignored`);
    const by = this.#s.auditors[signer]?.name;
    if (!admin && by !== t.auditor) return void this.warnings.push(`entry ${index}: ${by ?? signer} may not revoke entry ${t.index} by ${t.auditor}; ignored`);
    t.revokedBy ??= index;
  }
}

function peekPredicateType(payload: Uint8Array): unknown {
  const text = utf8DecodeStrict(payload);
  if (text === undefined) return undefined;
  try {
    return (JSON.parse(text) as { predicateType?: unknown })?.predicateType;
  } catch {
    return undefined;
  }
}

function statementOrFail<T>(fn: () => T, fail: (why: string) => VetError): T {
  try {
    return fn();
  } catch (e) {
    if (!isVetError(e)) throw e;
    const problems = (e as VetValidationError).problems?.map((p) => p.message) ?? [e.message];
    throw fail(`has an invalid statement: ${problems.join('; ')}`);
  }
}
