/**
 * The notary log's state machine (notary.md §9): whether an entry may stand at the next
 * index of a log, and what it changes. The notary runs `admitEntry` on every submission
 * (and adds only its policy: tokens, criteria offered, quorum, cooldown, duplicates), its
 * start-up and `vet-notary verify` on every stored entry, and every client's replay on every
 * entry it imports — so whatever one side refuses, the other refuses too, naming the same
 * rule. Order follows "verify, then read" (STYLE §9): the signer first, by a key in force at
 * that index; then the statement it signed; then the log's rules for it.
 *
 *   who may sign     an auditor change: the admin key; an audit or violation: an active
 *                    auditor's key; a revocation: the original auditor's key or the admin's
 *   revocations      name the leaf hash of an audit or violation in the log, once
 *   auditor changes  add a key id that is not active (nor the admin's); remove an active one
 *                    with the key it was added with
 *   identity         an approval's `who` is the signer's name as registered, not the text
 *                    the statement carries; auditors are told apart by key id, not name
 */
import { VetError } from '../errors.js';
import { encodeBase64, toHex } from '../sig/bytes.js';
import { decodeDsseEnvelope, type DecodedDsse } from '../sig/dsse.js';
import { ed25519EncodingProblem, ed25519Verify } from '../sig/ed25519.js';
import { IN_TOTO_PAYLOAD_TYPE } from '../sig/statement.js';
import { readClaim, type EntryClaim } from './claim.js';
import { NOTARY_LIMITS, refuse, shown } from './entry-rules.js';

export interface NotaryAuditor {
  keyid: string;
  name: string;
  publicKey: Uint8Array;
  /** base64 of publicKey (the key signature lookups name). */
  publicKeyB64: string;
  active: boolean;
}

/** An audit or violation in the log: what a revocation may name. */
export interface RevocationTarget {
  index: number;
  signer: string;
  revokedBy?: number;
}

export interface KeyInForce {
  keyid: string;
  key: Uint8Array;
  b64: string;
  role: 'admin' | 'auditor';
}

/**
 * Results of Ed25519 checks done elsewhere over the same bytes (a worker, a parallel
 * import): true/false, or undefined = not computed, verify here.
 */
export type SignatureResults = (sigIndex: number, key: KeyInForce) => boolean | undefined;

/** The state an entry is judged against; mutated only by applyEntry. */
export class NotaryLogState {
  readonly origin: string;
  /** Entries so far: the next entry's index. */
  size: number;
  readonly auditors: Map<string, NotaryAuditor>;
  readonly #admin: Map<string, KeyInForce>;
  #targets: Map<string, RevocationTarget> | undefined;
  readonly #loadTargets: (() => Iterable<[string, RevocationTarget]>) | undefined;

  constructor(init: {
    origin: string;
    /** keyid → 32-byte public key. */
    adminKeys: ReadonlyMap<string, Uint8Array>;
    size?: number;
    auditors?: Iterable<NotaryAuditor>;
    /** The audits and violations logged before `size`; read on the first revocation. */
    targets?: () => Iterable<[string, RevocationTarget]>;
  }) {
    this.origin = init.origin;
    this.size = init.size ?? 0;
    this.#admin = new Map(
      [...init.adminKeys].map(([keyid, key]) => [keyid, { keyid, key, b64: encodeBase64(key), role: 'admin' }]),
    );
    this.auditors = new Map([...(init.auditors ?? [])].map((a) => [a.keyid, a]));
    this.#loadTargets = init.targets;
    if (init.targets === undefined) this.#targets = new Map();
  }

  isAdmin(keyid: string): boolean {
    return this.#admin.has(keyid);
  }

  /** The key `keyid` names at the next index: the admin key, or an active auditor's. */
  keyInForce(keyid: string): KeyInForce | undefined {
    const admin = this.#admin.get(keyid);
    if (admin !== undefined) return admin;
    const a = this.auditors.get(keyid);
    return a?.active ? { keyid, key: a.publicKey, b64: a.publicKeyB64, role: 'auditor' } : undefined;
  }

  target(leafHash: string): RevocationTarget | undefined {
    if (this.#targets === undefined) this.#targets = new Map(this.#loadTargets?.() ?? []);
    return this.#targets.get(leafHash);
  }

  /** Records an audit or violation (applyEntry); a no-op until the targets are first read. */
  addTarget(leafHash: string, t: RevocationTarget): void {
    this.#targets?.set(leafHash, t);
  }
}

/** The envelope limits of a log entry (one tlog-tiles entry, Ed25519 signatures). */
export const NOTARY_ENTRY_LIMITS = {
  maxBytes: NOTARY_LIMITS.entryBytes,
  maxSignatures: NOTARY_LIMITS.signatures,
  payloadType: IN_TOTO_PAYLOAD_TYPE,
  sigBytes: 64,
} as const;

/** A log entry's exact bytes decoded (throws RuleRefusal PARSE_ERROR naming the rule). */
export function decodeLogEntry(leaf: Uint8Array): DecodedDsse {
  return decodeDsseEnvelope(leaf, NOTARY_ENTRY_LIMITS);
}

export interface AdmittedEntry {
  index: number;
  /** Lowercase hex RFC 6962 leaf hash: the entry's id. */
  leafHash: string;
  signer: string;
  role: 'admin' | 'auditor';
  claim: EntryClaim;
}

/**
 * Whether `entry` may be the log's next entry; throws RuleRefusal naming the rule if not.
 * Pure: the state changes only through applyEntry.
 */
export function admitEntry(
  entry: DecodedDsse,
  state: NotaryLogState,
  at: { leafHash: Uint8Array | string; verified?: SignatureResults },
): AdmittedEntry {
  const signer = findSigner(entry, state, at.verified);
  const claim = readClaim(entry.payload, state.origin);
  checkRole(claim, signer);
  checkAgainstLog(claim, signer, state);
  if (claim.type === 'audit' || claim.type === 'violation') claim.who = state.auditors.get(signer.keyid)!.name;
  const leafHash = typeof at.leafHash === 'string' ? at.leafHash : toHex(at.leafHash);
  return { index: state.size, leafHash, signer: signer.keyid, role: signer.role, claim };
}

/** The keys in force that the envelope's signatures name, in envelope order. */
export function signatureCandidates(
  entry: DecodedDsse,
  state: NotaryLogState,
): { sigIndex: number; key: KeyInForce }[] {
  const out: { sigIndex: number; key: KeyInForce }[] = [];
  entry.signatures.forEach((s, sigIndex) => {
    const key = s.keyid === undefined ? undefined : state.keyInForce(s.keyid);
    if (key !== undefined) out.push({ sigIndex, key });
  });
  return out;
}

/** The first signature, in envelope order, by a key in force that verifies. */
function findSigner(entry: DecodedDsse, state: NotaryLogState, verified?: SignatureResults): KeyInForce {
  const candidates = signatureCandidates(entry, state);
  for (const { sigIndex, key } of candidates) {
    const sig = entry.signatures[sigIndex]!.sig;
    if (verified?.(sigIndex, key) ?? ed25519Verify(sig, entry.pae, key.key)) return key;
  }
  const first = candidates[0];
  if (first !== undefined) {
    const why = ed25519EncodingProblem(entry.signatures[first.sigIndex]!.sig, first.key.key);
    const odd = why === undefined ? '' : ` (${why})`;
    throw refuse('SIGNATURE_INVALID', `the signature by ${shown(first.key.keyid)} does not verify over the PAE${odd}`);
  }
  const named = entry.signatures.map((s) => (s.keyid === undefined ? '(none)' : shown(s.keyid))).join(', ');
  throw refuse('SIGNER_UNKNOWN', `not signed by any auditor or admin key in force at that index (keyids: ${named})`);
}

function checkRole(claim: EntryClaim, signer: KeyInForce): void {
  const change = claim.type === 'auditor-add' || claim.type === 'auditor-remove';
  if (change && signer.role !== 'admin')
    throw refuse('SIGNER_NOT_ALLOWED', `a ${claim.type} entry must be signed by the notary admin key`);
  if ((claim.type === 'audit' || claim.type === 'violation') && signer.role !== 'auditor')
    throw refuse('SIGNER_NOT_ALLOWED', `a ${claim.type} must be signed by an auditor's key, not the admin key`);
}

function checkAgainstLog(claim: EntryClaim, signer: KeyInForce, state: NotaryLogState): void {
  if (claim.type === 'revocation') {
    const t = state.target(claim.revokes);
    if (t === undefined)
      throw refuse('REVOCATION_TARGET', `no audit or violation with leaf hash ${claim.revokes} in the log`);
    if (t.revokedBy !== undefined) throw refuse('REVOCATION_REPEATED', `entry ${t.index} is already revoked`);
    if (signer.role !== 'admin' && signer.keyid !== t.signer)
      throw refuse(
        'REVOCATION_FORBIDDEN',
        `only its auditor (${shown(t.signer)}) or the admin may revoke entry ${t.index}`,
      );
  } else if (claim.type === 'auditor-add') {
    if (state.isAdmin(claim.keyid)) throw refuse('AUDITOR_KEYID', `key id ${shown(claim.keyid)} is the admin key's`);
    if (state.auditors.get(claim.keyid)?.active)
      throw refuse('AUDITOR_ACTIVE', `auditor key ${shown(claim.keyid)} is already active`);
  } else if (claim.type === 'auditor-remove') {
    const a = state.auditors.get(claim.keyid);
    if (!a?.active) throw refuse('AUDITOR_NOT_ACTIVE', `no active auditor key ${shown(claim.keyid)}`);
    if (encodeBase64(claim.publicKey) !== a.publicKeyB64)
      throw refuse('AUDITOR_KEY_MISMATCH', `auditor key ${shown(claim.keyid)} was added with another public key`);
  }
}

/** Folds an admitted entry into the state: it is now entry `admitted.index` of the log. */
export function applyEntry(state: NotaryLogState, admitted: AdmittedEntry): void {
  if (admitted.index !== state.size)
    throw new VetError('INTERNAL', `entry ${admitted.index} applied at index ${state.size}`);
  const c = admitted.claim;
  if (c.type === 'audit' || c.type === 'violation') {
    state.addTarget(admitted.leafHash, { index: admitted.index, signer: admitted.signer });
  } else if (c.type === 'revocation') {
    state.target(c.revokes)!.revokedBy = admitted.index;
  } else if (c.type === 'auditor-add') {
    const publicKeyB64 = encodeBase64(c.publicKey);
    state.auditors.set(c.keyid, { keyid: c.keyid, name: c.name, publicKey: c.publicKey, publicKeyB64, active: true });
  } else {
    state.auditors.get(c.keyid)!.active = false;
  }
  state.size += 1;
}
