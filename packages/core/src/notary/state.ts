/**
 * What a consumer keeps of a notary log it mirrors (notary.md §9 steps 2–4): the last
 * verified checkpoint, the compact range and every leaf hash (so any older checkpoint can be
 * checked against it locally), the auditor registry as of that size, and every audit and
 * violation with its revocation status. It lives in the user state directory, outside the
 * repository; parse/serialize are pure and the CLI does the file I/O.
 */
import { VetError } from '../errors.js';
import type { Ecosystem } from '../graph.js';
import { decodeBase64Strict, encodeBase64 } from '../sig/bytes.js';
import { CompactRange, type CompactRangeJSON } from '../tlog/compact-range.js';
import { MERKLE_HASH_BYTES } from '../tlog/merkle.js';

export const NOTARY_MIRROR_FORMAT = 'vet-notary-mirror/v1';

export interface NotaryAuditorRecord {
  name: string;
  /** base64 of the 32-byte Ed25519 public key. */
  publicKey: string;
  active: boolean;
}

/** One audit or violation entry of the log, as replayed. */
export interface NotaryClaimRecord {
  index: number;
  /** Lowercase hex leaf hash: the id revocations refer to. */
  leafHash: string;
  /** DSSE keyid that signed it, and that auditor's registered name. */
  signer: string;
  auditor: string;
  kind: 'full' | 'delta' | 'violation';
  ecosystem: Ecosystem;
  package: string;
  version?: string;
  delta?: { from: string; to: string };
  violation?: string;
  criteria: string[];
  who: string;
  notes?: string;
  /** version → SRI digest the approval binds to. */
  digests: Record<string, string>;
  /** Index of the revocation entry, once revoked. */
  revokedBy?: number;
}

export interface NotaryMirrorState {
  format: typeof NOTARY_MIRROR_FORMAT;
  origin: string;
  /** The log verifier key the state was verified with. */
  logKey: string;
  /** Signed checkpoint note for `range.size`. */
  checkpoint: string;
  range: CompactRangeJSON;
  /** size × 32 bytes of leaf hashes. */
  leafHashes: Uint8Array;
  /** Admin keys (keyid → base64 public key) that may sign auditor changes; pinned on first use. */
  adminKeys: Record<string, string>;
  auditors: Record<string, NotaryAuditorRecord>;
  claims: NotaryClaimRecord[];
}

/**
 * A copy of `c` revoked by entry `by`. Fields are copied by name, not spread, so records
 * whose fields are accessors (the CLI's lazily parsed stored claims) copy fully; the key
 * order is the replay's, which the CLI's claim lines rely on.
 */
export function revokedNotaryClaim(c: NotaryClaimRecord, by: number): NotaryClaimRecord {
  const r: NotaryClaimRecord = {
    index: c.index,
    leafHash: c.leafHash,
    signer: c.signer,
    auditor: c.auditor,
    kind: c.kind,
    ecosystem: c.ecosystem,
    package: c.package,
    criteria: c.criteria,
    who: c.who,
    digests: c.digests,
  };
  if (c.version !== undefined) r.version = c.version;
  if (c.delta !== undefined) r.delta = c.delta;
  if (c.violation !== undefined) r.violation = c.violation;
  if (c.notes !== undefined) r.notes = c.notes;
  r.revokedBy = by;
  return r;
}

export function serializeNotaryMirrorState(s: NotaryMirrorState): string {
  return JSON.stringify({ ...s, leafHashes: encodeBase64(s.leafHashes) });
}

/** Pure; throws PARSE_ERROR when the text is not a mirror state of this format. */
export function parseNotaryMirrorState(text: string, fileName: string): NotaryMirrorState {
  const bad = (why: string): VetError =>
    new VetError('PARSE_ERROR', `invalid notary mirror state: ${why}`, { file: fileName });
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new VetError('PARSE_ERROR', `invalid notary mirror state: not JSON`, { file: fileName, cause });
  }
  if (typeof raw !== 'object' || raw === null) throw bad('not an object');
  const o = raw as Record<string, unknown>;
  if (o.format !== NOTARY_MIRROR_FORMAT) throw bad(`format is not ${NOTARY_MIRROR_FORMAT}`);
  for (const k of ['origin', 'logKey', 'checkpoint', 'leafHashes'] as const)
    if (typeof o[k] !== 'string') throw bad(`${k} must be a string`);
  const range = CompactRange.fromJSON(o.range, fileName);
  const leafHashes =
    decodeBase64Strict(o.leafHashes as string) ?? (o.leafHashes === '' ? new Uint8Array(0) : undefined);
  if (leafHashes === undefined || leafHashes.length !== range.size * MERKLE_HASH_BYTES)
    throw bad('leafHashes do not match the range size');
  if (!isRecord(o.adminKeys) || !isRecord(o.auditors) || !Array.isArray(o.claims))
    throw bad('adminKeys, auditors and claims are required');
  return {
    format: NOTARY_MIRROR_FORMAT,
    origin: o.origin as string,
    logKey: o.logKey as string,
    checkpoint: o.checkpoint as string,
    range: range.toJSON(),
    leafHashes,
    adminKeys: o.adminKeys as Record<string, string>,
    auditors: o.auditors as Record<string, NotaryAuditorRecord>,
    claims: o.claims as NotaryClaimRecord[],
  };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
