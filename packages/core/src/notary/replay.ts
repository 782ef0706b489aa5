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
import { decodeBase64Strict, toHex, utf8DecodeStrict } from '../sig/bytes.js';
import type { DsseEnvelope } from '../sig/dsse.js';
import { ed25519Verify, isCanonicalEd25519Signature } from '../sig/ed25519.js';
import {
  IN_TOTO_PAYLOAD_TYPE,
  VET_AUDIT_PREDICATE_TYPE,
  VET_AUDITOR_PREDICATE_TYPE,
  parseAuditStatement,
  parseAuditorStatement,
} from '../sig/statement.js';
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

/** Applies entries in index order to a ReplayState (mutated in place). */
export class NotaryReplayer {
  readonly warnings: string[] = [];
  readonly #s: ReplayState;
  /** Leaf hash → position in state.claims; built on the first revocation (most refreshes have none). */
  #byLeafHash: Map<string, number> | undefined;
  readonly #keys = new Map<string, Uint8Array>();
  readonly #verified: SignatureLookup | undefined;

  constructor(state: ReplayState, verified?: SignatureLookup) {
    this.#s = state;
    this.#verified = verified;
  }

  /** `pre`: the envelope already parsed from these exact bytes (see notarySignatureJobs). */
  apply(index: number, leaf: Uint8Array, leafHash: Uint8Array, pre?: ParsedEntry): void {
    const id = toHex(leafHash);
    const fail = (why: string, code: 'SIGNATURE_INVALID' | 'LOG_INCONSISTENT' = 'SIGNATURE_INVALID'): VetError =>
      new VetError(code, `notary ${this.#s.origin}: log entry ${index} ${why}`, {
        hint: 'the notary logged an entry it should have refused; nothing was imported. Report it to the notary operator',
        details: { index, leafHash: id },
      });
    let parsed = pre;
    try {
      parsed ??= parseEntry(leaf);
    } catch (e) {
      throw fail(`is not a DSSE envelope (${(e as Error).message})`);
    }
    const { env, payload, pae } = parsed;
    if (env.payloadType !== IN_TOTO_PAYLOAD_TYPE)
      throw fail(`has payloadType ${JSON.stringify(env.payloadType)}, not ${IN_TOTO_PAYLOAD_TYPE}`);
    const signer = this.#signer(index, env.signatures, pae, fail);
    // Only a payload that mentions the auditor predicate can be one (saves a JSON parse per audit).
    const predicateType =
      Buffer.from(payload.buffer, payload.byteOffset, payload.length).indexOf(AUDITOR_MARKER) >= 0
        ? peekPredicateType(payload)
        : VET_AUDIT_PREDICATE_TYPE;
    if (predicateType === VET_AUDITOR_PREDICATE_TYPE) return this.#auditorChange(payload, signer, fail);
    if (predicateType !== VET_AUDIT_PREDICATE_TYPE)
      throw fail(`has an unknown predicateType ${JSON.stringify(predicateType)}`);
    this.#claim(index, id, payload, signer, fail);
  }

  /** The keyid of the first signature by a key in force that verifies; throws otherwise. */
  #signer(
    index: number,
    sigs: { keyid?: string; sig: string }[],
    pae: Uint8Array,
    fail: (why: string) => VetError,
  ): string {
    let failed: string | undefined;
    for (const [i, s] of sigs.entries()) {
      const b64 = s.keyid === undefined ? undefined : this.#keyB64(s.keyid);
      const key = b64 === undefined ? undefined : this.#keyBytes(b64);
      if (key === undefined) continue;
      const sig = decodeBase64Fast(s.sig);
      if (sig !== undefined && (this.#verified?.(index, i, b64!) ?? ed25519Verify(sig, pae, key))) return s.keyid!;
      const why =
        sig !== undefined && sig.length === 64 && !isCanonicalEd25519Signature(sig) ? ' (non-canonical: S ≥ L)' : '';
      failed ??= `${s.keyid!}${why}`;
    }
    if (failed !== undefined) throw fail(`has a signature by ${failed} that does not verify`);
    throw fail(
      `is not signed by any auditor or admin key in force at that index (keyids: ${sigs.map((s) => s.keyid ?? '(none)').join(', ')})`,
    );
  }

  /** The key in force for `keyid` at the current index (base64), if any. */
  #keyB64(keyid: string): string | undefined {
    return (
      this.#s.adminKeys[keyid] ?? (this.#s.auditors[keyid]?.active ? this.#s.auditors[keyid].publicKey : undefined)
    );
  }

  #keyBytes(b64: string): Uint8Array | undefined {
    let key = this.#keys.get(b64);
    if (key === undefined) {
      key = decodeBase64Strict(b64);
      if (key === undefined) return undefined;
      this.#keys.set(b64, key);
    }
    return key;
  }

  #auditorChange(payload: Uint8Array, signer: string, fail: (why: string) => VetError): void {
    if (this.#s.adminKeys[signer] === undefined)
      throw fail('changes the auditor set but is not signed by the notary admin key');
    const a = statementOrFail(() => parseAuditorStatement(payload), fail);
    const publicKey = Buffer.from(a.publicKey).toString('base64');
    if (a.action === 'add') this.#s.auditors[a.keyid] = { name: a.name, publicKey, active: true };
    else {
      const cur = this.#s.auditors[a.keyid];
      if (cur === undefined || !cur.active || cur.publicKey !== publicKey)
        throw fail(`removes auditor key ${a.keyid}, which is not active`);
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
    this.#byLeafHash?.set(leafHash, this.#s.claims.length);
    this.#s.claims.push(claim);
  }

  /** Only the original auditor (by name) or an admin may revoke; the first revocation counts. */
  #revoke(index: number, target: string, signer: string, admin: boolean): void {
    if (this.#byLeafHash === undefined) {
      this.#byLeafHash = new Map();
      this.#s.claims.forEach((c, i) => this.#byLeafHash!.set(c.leafHash, i));
    }
    const pos = this.#byLeafHash.get(target);
    const t = pos === undefined ? undefined : this.#s.claims[pos];
    if (pos === undefined || t === undefined)
      return void this.warnings.push(
        `entry ${index} revokes ${target}, which is not an audit or violation in the log; ignored`,
      );
    const by = this.#s.auditors[signer]?.name;
    if (!admin && by !== t.auditor)
      return void this.warnings.push(
        `entry ${index}: ${by ?? signer} may not revoke entry ${t.index} by ${t.auditor}; ignored`,
      );
    // Copy on write: the claims array may share records with the state it was copied from.
    if (t.revokedBy === undefined) this.#s.claims[pos] = revokedNotaryClaim(t, index);
  }
}

/** An entry's envelope, payload and PAE, parsed once from the exact leaf bytes. */
export interface ParsedEntry {
  env: DsseEnvelope;
  payload: Uint8Array;
  pae: Uint8Array;
}

/**
 * Throws PARSE_ERROR when the leaf is not a DSSE envelope. Same rules as parseDsseEnvelope,
 * but the payload (most of the bytes) is base64-decoded once, not validated and decoded
 * twice: this runs for every entry of a log.
 */
export function parseEntry(leaf: Uint8Array): ParsedEntry {
  const bad = (why: string) => new VetError('PARSE_ERROR', `invalid DSSE envelope: ${why}`);
  if (leaf.length > 65_535) throw bad('larger than 65535 bytes');
  const text = utf8DecodeStrict(leaf);
  if (text === undefined) throw bad('not valid UTF-8');
  let json: { payload?: unknown; payloadType?: unknown; signatures?: unknown };
  try {
    json = JSON.parse(text) as typeof json;
  } catch {
    throw bad('not JSON');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw bad('not a JSON object');
  const payload = typeof json.payload === 'string' ? decodeBase64Fast(json.payload) : undefined;
  if (payload === undefined) throw bad('payload must be a base64 string');
  if (typeof json.payloadType !== 'string' || json.payloadType.length === 0)
    throw bad('payloadType must be a non-empty string');
  const sigs = json.signatures;
  if (!Array.isArray(sigs) || sigs.length === 0 || sigs.length > 16) throw bad('signatures must list 1–16 signatures');
  const signatures = sigs.map((x: unknown, i) => {
    const o = x as { sig?: unknown; keyid?: unknown } | null;
    if (typeof o !== 'object' || o === null || typeof o.sig !== 'string') throw bad(`signature ${i} has no base64 sig`);
    if (o.keyid !== undefined && typeof o.keyid !== 'string') throw bad(`signature ${i} keyid must be a string`);
    return o.keyid === undefined ? { sig: o.sig } : { keyid: o.keyid, sig: o.sig };
  });
  const env: DsseEnvelope = { payload: json.payload as string, payloadType: json.payloadType, signatures };
  return { env, payload, pae: paeOf(env.payloadType, payload) };
}

/** dssePae (DSSE v1 PAE) into one buffer: its three encodes and a concat showed in profiles. */
function paeOf(payloadType: string, payload: Uint8Array): Uint8Array {
  const head = `DSSEv1 ${Buffer.byteLength(payloadType)} ${payloadType} ${payload.length} `;
  const headBytes = Buffer.byteLength(head);
  const out = Buffer.allocUnsafe(headBytes + payload.length);
  out.write(head, 0, 'utf8');
  out.set(payload, headBytes);
  return out;
}

/**
 * decodeBase64Lenient without its regex passes (they showed in import profiles): decode,
 * then require that the text re-encodes identically, fully padded or with no padding.
 */
export function decodeBase64Fast(text: string): Uint8Array | undefined {
  const std = text.includes('-') || text.includes('_') ? text.replace(/-/g, '+').replace(/_/g, '/') : text;
  const bytes = Buffer.from(std, 'base64');
  const again = bytes.toString('base64');
  if (again !== std) {
    const pad = again.length - std.length;
    if (std.endsWith('=') || pad < 1 || pad > 2 || !again.startsWith(std) || !again.endsWith('='.repeat(pad)))
      return undefined;
  }
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

const AUDITOR_MARKER = Buffer.from(VET_AUDITOR_PREDICATE_TYPE);

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
