/**
 * Two small text formats that carry proofs next to a signed checkpoint:
 *  - c2sp.org/tlog-proof@v1: the offline inclusion receipt the notary returns (notary.md §1.6);
 *  - the c2sp.org/tlog-witness add-checkpoint request body (notary.md §1.5).
 * Both: header lines, base64 hashes one per line, a blank line, the checkpoint note verbatim.
 * Parsing checks structure only; the caller still verifies the note and the proof.
 */
import { VetError } from '../errors.js';
import { decodeBase64Strict, encodeBase64, isBytes } from '../sig/bytes.js';
import { MERKLE_HASH_BYTES } from './merkle.js';
import { parseNote } from './note.js';

export const TLOG_PROOF_HEADER = 'c2sp.org/tlog-proof@v1';

/** What a notary answers an accepted submission with (JSON); server and client share it. */
export interface NotaryReceipt {
  index: number;
  /** Lowercase hex RFC 6962 leaf hash of the stored envelope bytes. */
  leafHash: string;
  treeSize: number;
  /** The signed checkpoint note the proof is for. */
  checkpoint: string;
  /** Base64 hashes, leaf sibling first. */
  inclusionProof: string[];
  /** The same facts as one c2sp.org/tlog-proof@v1 text. */
  tlogProof: string;
}
/** tlog-witness allows 0–63 consistency-proof lines. */
const MAX_PROOF_LINES = 63;

export interface TlogProof {
  index: number;
  /** Inclusion proof, leaf sibling first. */
  proof: Uint8Array[];
  /** The signed checkpoint note, verbatim. */
  note: string;
  /** Unauthenticated application data. */
  extra?: Uint8Array;
}

export interface AddCheckpointRequest {
  oldSize: number;
  /** Consistency proof from oldSize to the checkpoint's size. */
  proof: Uint8Array[];
  note: string;
}

export function formatTlogProof(p: TlogProof): string {
  const extra = p.extra === undefined ? '' : `extra ${encodeBase64(p.extra)}\n`;
  return `${TLOG_PROOF_HEADER}\n${extra}index ${count(p.index)}\n${hashLines(p.proof)}\n${p.note}`;
}

/** Throws PARSE_ERROR. */
export function parseTlogProof(text: string, fileName?: string): TlogProof {
  const { header, hashes, note } = splitProofText(text, fileName);
  const bad = (why: string): VetError =>
    new VetError('PARSE_ERROR', `malformed tlog-proof: ${why}`, { file: fileName });
  if (header.shift() !== TLOG_PROOF_HEADER) throw bad(`first line must be ${TLOG_PROOF_HEADER}`);
  let extra: Uint8Array | undefined;
  if (header[0]?.startsWith('extra ')) {
    extra = decodeBase64Strict(header.shift()!.slice(6));
    if (extra === undefined) throw bad('extra is not base64');
  }
  const index = parseCount(header.shift(), 'index', bad);
  if (header.length > 0) throw bad('unexpected header line');
  return extra === undefined ? { index, proof: hashes, note } : { index, proof: hashes, note, extra };
}

export function formatAddCheckpointRequest(r: AddCheckpointRequest): string {
  return `old ${count(r.oldSize)}\n${hashLines(r.proof)}\n${r.note}`;
}

/** Throws PARSE_ERROR. */
export function parseAddCheckpointRequest(text: string, fileName?: string): AddCheckpointRequest {
  const { header, hashes, note } = splitProofText(text, fileName);
  const bad = (why: string): VetError =>
    new VetError('PARSE_ERROR', `malformed add-checkpoint request: ${why}`, { file: fileName });
  const oldSize = parseCount(header.shift(), 'old', bad);
  if (header.length > 0) throw bad('unexpected header line');
  return { oldSize, proof: hashes, note };
}

/** Header lines up to the first line that is base64 of 32 bytes; hashes; blank line; note. */
function splitProofText(
  text: string,
  file: string | undefined,
): { header: string[]; hashes: Uint8Array[]; note: string } {
  const bad = (why: string): VetError => new VetError('PARSE_ERROR', `malformed proof text: ${why}`, { file });
  if (typeof text !== 'string') throw bad('not text');
  const blank = text.indexOf('\n\n');
  if (blank < 0) throw bad('no blank line before the checkpoint');
  const lines = text.slice(0, blank).split('\n');
  const note = text.slice(blank + 2);
  parseNote(note, { fileName: file });
  const firstHash = lines.findIndex((l) => isHashLine(l));
  const header = firstHash < 0 ? lines : lines.slice(0, firstHash);
  const hashLinesText = firstHash < 0 ? [] : lines.slice(firstHash);
  if (hashLinesText.length > MAX_PROOF_LINES) throw bad(`more than ${MAX_PROOF_LINES} proof hashes`);
  const hashes = hashLinesText.map((l) => {
    const h = decodeBase64Strict(l);
    if (!isBytes(h, MERKLE_HASH_BYTES)) throw bad('a proof line is not base64 of 32 bytes');
    return h;
  });
  return { header, hashes, note };
}

function isHashLine(line: string): boolean {
  return line.length === 44 && isBytes(decodeBase64Strict(line), MERKLE_HASH_BYTES);
}

function parseCount(line: string | undefined, key: string, bad: (why: string) => VetError): number {
  const m = line === undefined ? null : new RegExp(`^${key} (0|[1-9][0-9]*)$`).exec(line);
  const n = m === null ? NaN : Number(m[1]);
  if (!Number.isSafeInteger(n)) throw bad(`want "${key} <decimal>"`);
  return n;
}

function hashLines(hashes: readonly Uint8Array[]): string {
  if (hashes.length > MAX_PROOF_LINES || !hashes.every((h) => isBytes(h, MERKLE_HASH_BYTES))) {
    throw new VetError('INVALID_ARGUMENT', `a proof is at most ${MAX_PROOF_LINES} hashes of 32 bytes`);
  }
  return hashes.map((h) => `${encodeBase64(h)}\n`).join('');
}

function count(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new VetError('INVALID_ARGUMENT', `not a count: ${String(n)}`);
  return String(n);
}
