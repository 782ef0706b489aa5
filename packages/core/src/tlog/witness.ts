/**
 * The C2SP tlog-witness rules (c2sp.org/tlog-witness, add-checkpoint; notary.md §1.5), pure:
 * the witness judges a request against the logs it follows and its last cosigned checkpoint
 * per origin; the log (our notary) formats requests and reads the answers. Both sides use
 * the same texts (tlog/proof-text.ts) and cosignatures (tlog/checkpoint.ts), so what the
 * witness admits is what the notary sends by construction.
 *
 * Status codes, in the order the spec checks them: 400 malformed body or old size > size;
 * 404 unknown origin; 403 no signature by a trusted key (or a trusted one fails); 409 old
 * size ≠ the witness's size (body: that size, `text/x.tlog.size`); 422 a consistency proof
 * that does not verify, a non-empty proof from 0, a size-0 checkpoint whose root is not the
 * empty tree's, or the same size with a different root (a split view). The last was a 409
 * in tlog-witness v1.0.0; the spec's main text (2026-07, spec/notary.md §1.5) and the Go
 * witness answer 422, keeping 409 for size negotiation only; a client seeing a 409 whose size
 * is the one it sent still reads it as a split view (witness/cosigner.ts).
 */
import { VetError } from '../errors.js';
import { bytesEqual, decodeBase64Strict, isBytes } from '../sig/bytes.js';
import { parseCheckpoint, signCosignature, verifyCosignature, type Checkpoint } from './checkpoint.js';
import { EMPTY_TREE_ROOT, MERKLE_HASH_BYTES, verifyConsistency } from './merkle.js';
import { NOTE_ALG_ED25519, openNote, parseNote, parseSignatureLine, parseVerifierKey } from './note.js';
import { parseAddCheckpointRequest } from './proof-text.js';

/** Content type of a 409 answer's body (the witness's size + "\n"). */
export const TLOG_SIZE_CONTENT_TYPE = 'text/x.tlog.size';

/** A log the witness follows: its origin and the Ed25519 (type 0x01) keys it trusts for it. */
export interface WitnessedLog {
  origin: string;
  keys: readonly string[];
}

/** The last checkpoint a witness cosigned for one origin. */
export interface WitnessLogState {
  size: number;
  rootHash: Uint8Array;
}

export type WitnessStatus = 400 | 403 | 404 | 409 | 422;

export type AddCheckpointVerdict =
  | {
      ok: true;
      origin: string;
      checkpoint: Checkpoint;
      /** The checkpoint text (what a cosignature signs) and the note as submitted. */
      text: string;
      note: string;
      next: WitnessLogState;
    }
  | { ok: false; status: WitnessStatus; message: string; origin?: string; size?: number };

/**
 * Judges one add-checkpoint body. `stateOf(origin)` is the last cosigned checkpoint (undefined
 * = never cosigned). The caller must run judge-and-persist atomically per origin (the spec's
 * rollback race) and persist `next` before answering.
 */
export function judgeAddCheckpoint(
  body: string,
  logs: ReadonlyMap<string, WitnessedLog>,
  stateOf: (origin: string) => WitnessLogState | undefined,
): AddCheckpointVerdict {
  const refuse = (status: WitnessStatus, message: string, extra: { origin?: string; size?: number } = {}) =>
    ({ ok: false, status, message, ...extra }) as const;
  let req;
  let text;
  try {
    req = parseAddCheckpointRequest(body);
    text = parseNote(req.note).text;
  } catch (e) {
    return refuse(400, messageOf(e));
  }
  const origin = text.slice(0, text.indexOf('\n'));
  const log = logs.get(origin);
  if (log === undefined) return refuse(404, `unknown log origin ${JSON.stringify(origin)}`);
  try {
    openNote(req.note, log.keys);
  } catch (e) {
    if (e instanceof VetError && e.code === 'SIGNATURE_INVALID') return refuse(403, messageOf(e), { origin });
    return refuse(400, messageOf(e), { origin });
  }
  let cp: Checkpoint;
  try {
    cp = parseCheckpoint(text);
  } catch (e) {
    if (isNonEmptyRootAtZero(text)) return refuse(422, 'a size-0 checkpoint must have the empty tree root', { origin });
    return refuse(400, messageOf(e), { origin });
  }
  if (req.oldSize > cp.size) return refuse(400, `old size ${req.oldSize} is above the checkpoint's ${cp.size}`);
  const state = stateOf(origin);
  const have = state?.size ?? 0;
  if (req.oldSize !== have)
    return refuse(409, `old size ${req.oldSize} is not the last cosigned size ${have}`, { origin, size: have });
  const verdict = checkConsistency(req.proof, state, cp);
  if (verdict !== undefined) return { ...verdict, origin };
  return { ok: true, origin, checkpoint: cp, text, note: req.note, next: { size: cp.size, rootHash: cp.rootHash } };
}

/** undefined = consistent with the witness's last cosigned checkpoint. */
function checkConsistency(
  proof: readonly Uint8Array[],
  state: WitnessLogState | undefined,
  cp: Checkpoint,
): { ok: false; status: 422; message: string } | undefined {
  if (state === undefined || state.size === 0) {
    if (proof.length > 0) return { ok: false, status: 422, message: 'a consistency proof from size 0 must be empty' };
    return undefined;
  }
  if (state.size === cp.size) {
    if (!bytesEqual(state.rootHash, cp.rootHash))
      return { ok: false, status: 422, message: `size ${cp.size} was cosigned with a different root hash` };
    if (proof.length > 0) return { ok: false, status: 422, message: 'a proof between equal sizes must be empty' };
    return undefined;
  }
  if (!verifyConsistency(state.size, cp.size, proof, state.rootHash, cp.rootHash))
    return {
      ok: false,
      status: 422,
      message: `the consistency proof from ${state.size} to ${cp.size} does not verify: the log forked or the proof is wrong`,
    };
  return undefined;
}

function isNonEmptyRootAtZero(text: string): boolean {
  const [, size, root] = text.split('\n');
  const hash = root === undefined ? undefined : decodeBase64Strict(root);
  return size === '0' && isBytes(hash, MERKLE_HASH_BYTES) && !bytesEqual(hash, EMPTY_TREE_ROOT);
}

/** The 200 answer: one cosignature line per witness key, at `timestamp` (POSIX seconds, > 0). */
export function cosignAddCheckpoint(text: string, cosignerKeys: readonly string[], timestamp: number): string {
  if (!Number.isSafeInteger(timestamp) || timestamp <= 0)
    throw new VetError('INVALID_ARGUMENT', 'a cosignature timestamp must be a positive whole number of seconds');
  return cosignerKeys.map((k) => signCosignature(text, k, timestamp)).join('');
}

/** A 409 body: the witness's size in decimal and "\n". */
export function formatTlogSize(size: number): string {
  if (!Number.isSafeInteger(size) || size < 0) throw new VetError('INVALID_ARGUMENT', `not a tree size: ${size}`);
  return `${size}\n`;
}

/** Parses a 409 body strictly (decimal, no leading zeros, one "\n"). Throws PARSE_ERROR. */
export function parseTlogSize(body: string): number {
  const m = /^(0|[1-9][0-9]{0,15})\n$/.exec(body);
  const n = m === null ? NaN : Number(m[1]);
  if (!Number.isSafeInteger(n))
    throw new VetError('PARSE_ERROR', 'a text/x.tlog.size body is one decimal size and "\\n"');
  return n;
}

/**
 * The log's side of a 200 answer: the lines by `witnessVkey` (name and key ID) must be
 * cosignatures over `text`; lines by other keys are ignored, as the spec says. Returns the
 * verified lines; throws SIGNATURE_INVALID when none is by the witness or one by it fails.
 */
export function readCosignatureResponse(text: string, body: string, witnessVkey: string): string[] {
  const key = parseVerifierKey(witnessVkey);
  const lines = body.endsWith('\n') ? body.slice(0, -1).split('\n') : [body];
  const mine = lines.filter((l) => {
    const sig = parseSignatureLine(l);
    return sig !== undefined && sig.name === key.name && bytesEqual(sig.keyId, key.keyId);
  });
  for (const line of mine) verifyCosignature(text, line, witnessVkey);
  if (mine.length === 0) throw new VetError('SIGNATURE_INVALID', `no cosignature by ${key.name} in the answer`);
  return mine.map((l) => `${l}\n`);
}

/** Checks a witness config entry: origin plus Ed25519 log keys named anything. */
export function checkWitnessedLog(log: WitnessedLog): void {
  if (log.origin.length === 0 || log.origin.includes('\n'))
    throw new VetError('INVALID_ARGUMENT', `bad log origin ${JSON.stringify(log.origin)}`);
  if (log.keys.length === 0) throw new VetError('INVALID_ARGUMENT', `log ${log.origin} needs at least one key`);
  for (const k of log.keys)
    if (parseVerifierKey(k).type !== NOTE_ALG_ED25519)
      throw new VetError('INVALID_ARGUMENT', `log ${log.origin}: a log key must be Ed25519 (type 0x01)`);
}

/** A stored state's root must be a hash (files from disk are hostile too). */
export function isWitnessLogState(v: unknown): v is WitnessLogState {
  const s = v as WitnessLogState;
  return (
    typeof s === 'object' &&
    s !== null &&
    Number.isSafeInteger(s.size) &&
    s.size >= 0 &&
    isBytes(s.rootHash, MERKLE_HASH_BYTES)
  );
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
