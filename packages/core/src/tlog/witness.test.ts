/** tlog-witness add-checkpoint rules: every status code, on generated logs and the shared vectors. */
import { describe, expect, it } from 'vitest';
import { fromHexStr, HAVE_VECTORS, loadVectors } from './__fixtures__/vectors.js';
import { formatCheckpoint, verifyCosignature, verifyWitnessQuorum } from './checkpoint.js';
import { consistencyProof, EMPTY_TREE_ROOT, hashLeaf, rangeHasherFromLeafHashes, rootOf } from './merkle.js';
import { appendNoteSignatures, generateNoteSigner, noteSignerFromSeed, signNote } from './note.js';
import { formatAddCheckpointRequest } from './proof-text.js';
import {
  cosignAddCheckpoint,
  formatTlogSize,
  judgeAddCheckpoint,
  parseTlogSize,
  readCosignatureResponse,
  type WitnessLogState,
} from './witness.js';

const ORIGIN = 'example.test/log';
const logKey = generateNoteSigner(ORIGIN);
const witnessKey = generateNoteSigner('witness.test/w1', 0x04);
const logs = new Map([[ORIGIN, { origin: ORIGIN, keys: [logKey.verifierKey] }]]);

/** A log of `n` leaves named by `tag`: leaves [0, n) are `${tag(i)}`. */
function makeLog(n: number, tag: (i: number) => string = (i) => `entry ${i}`) {
  const leaves = Array.from({ length: n }, (_, i) => hashLeaf(new TextEncoder().encode(tag(i))));
  const root = (size: number) => (size === 0 ? EMPTY_TREE_ROOT : rootOf(leaves.slice(0, size)));
  const note = (size: number, key = logKey.signerKey) =>
    signNote(formatCheckpoint({ origin: ORIGIN, size, rootHash: root(size) }), key);
  const proof = (from: number, to: number) =>
    from === 0 ? [] : consistencyProof(from, to, rangeHasherFromLeafHashes(leaves));
  const body = (from: number, to: number, p = proof(from, to)) =>
    formatAddCheckpointRequest({ oldSize: from, proof: p, note: note(to) });
  return { root, note, proof, body };
}

const honest = makeLog(20);
const forked = makeLog(20, (i) => (i === 7 ? 'evil' : `entry ${i}`));

function stateAt(size: number, log = honest): (origin: string) => WitnessLogState | undefined {
  return () => ({ size, rootHash: log.root(size) });
}

describe('judgeAddCheckpoint', () => {
  it('cosigns a first checkpoint with old 0 and an extension with a valid proof', () => {
    const first = judgeAddCheckpoint(honest.body(0, 5), logs, () => undefined);
    expect(first).toMatchObject({ ok: true, origin: ORIGIN, next: { size: 5 } });
    const next = judgeAddCheckpoint(honest.body(5, 13), logs, stateAt(5));
    expect(next).toMatchObject({ ok: true, next: { size: 13 } });
    expect(judgeAddCheckpoint(honest.body(13, 13), logs, stateAt(13))).toMatchObject({ ok: true });
  });

  it('404 for an unknown origin, 403 when no trusted key signed', () => {
    const other = signNote(formatCheckpoint({ origin: 'other.test/log', size: 0, rootHash: EMPTY_TREE_ROOT }), [
      generateNoteSigner('other.test/log').signerKey,
    ]);
    const body = formatAddCheckpointRequest({ oldSize: 0, proof: [], note: other });
    expect(judgeAddCheckpoint(body, logs, () => undefined)).toMatchObject({ ok: false, status: 404 });
    const impostor = generateNoteSigner(ORIGIN).signerKey;
    const bad = formatAddCheckpointRequest({ oldSize: 0, proof: [], note: honest.note(3, impostor) });
    expect(judgeAddCheckpoint(bad, logs, () => undefined)).toMatchObject({ ok: false, status: 403 });
  });

  it('400 for a malformed body or an old size above the checkpoint', () => {
    expect(judgeAddCheckpoint('old x\n\nnope', logs, () => undefined)).toMatchObject({ ok: false, status: 400 });
    const body = formatAddCheckpointRequest({ oldSize: 9, proof: [], note: honest.note(5) });
    expect(judgeAddCheckpoint(body, logs, stateAt(9))).toMatchObject({ ok: false, status: 400 });
  });

  it('409 with the witness size when old size is not its size (rollback or stale client)', () => {
    expect(judgeAddCheckpoint(honest.body(0, 8), logs, stateAt(5))).toMatchObject({ status: 409, size: 5 });
    expect(judgeAddCheckpoint(honest.body(5, 8), logs, () => undefined)).toMatchObject({ status: 409, size: 0 });
    // A rollback: the witness is at 13, the log offers 8 from 5.
    expect(judgeAddCheckpoint(honest.body(5, 8), logs, stateAt(13))).toMatchObject({ status: 409, size: 13 });
  });

  it('422 for the same size with another root (a split view) and for a fork whose proof cannot verify', () => {
    const split = judgeAddCheckpoint(forked.body(10, 10), logs, stateAt(10));
    expect(split).toMatchObject({ ok: false, status: 422 });
    expect(split).not.toHaveProperty('size');
    // The fork differs at leaf 7: no proof from the honest 10 reaches the forked 15.
    expect(judgeAddCheckpoint(forked.body(10, 15), logs, stateAt(10))).toMatchObject({ status: 422 });
    const forged = forked.body(10, 15, honest.proof(10, 15));
    expect(judgeAddCheckpoint(forged, logs, stateAt(10))).toMatchObject({ status: 422 });
  });

  it('422 for a size-0 checkpoint whose root is not the empty tree root', () => {
    const text = `${ORIGIN}\n0\n${Buffer.from(honest.root(3)).toString('base64')}\n`;
    const note = signNote(text, logKey.signerKey);
    const body = formatAddCheckpointRequest({ oldSize: 0, proof: [], note });
    expect(judgeAddCheckpoint(body, logs, () => undefined)).toMatchObject({ ok: false, status: 422 });
  });

  it('422 for a non-empty proof from 0 or between equal sizes', () => {
    const p = [honest.root(1)];
    const from0 = formatAddCheckpointRequest({ oldSize: 0, proof: p, note: honest.note(4) });
    expect(judgeAddCheckpoint(from0, logs, () => undefined)).toMatchObject({ status: 422 });
    const same = formatAddCheckpointRequest({ oldSize: 4, proof: p, note: honest.note(4) });
    expect(judgeAddCheckpoint(same, logs, stateAt(4))).toMatchObject({ status: 422 });
  });
});

describe('cosignatures and the log side', () => {
  it('a 200 answer verifies on the log side and counts toward a quorum', () => {
    const v = judgeAddCheckpoint(honest.body(0, 6), logs, () => undefined);
    if (!v.ok) throw new Error(v.message);
    const answer = cosignAddCheckpoint(v.text, [witnessKey.signerKey], 1_800_000_000);
    const lines = readCosignatureResponse(v.text, answer, witnessKey.verifierKey);
    expect(verifyCosignature(v.text, lines[0]!, witnessKey.verifierKey).timestamp).toBe(1_800_000_000);
    const note = appendNoteSignatures(honest.note(6), lines);
    const q = verifyWitnessQuorum(note, {
      logKey: logKey.verifierKey,
      witnesses: [witnessKey.verifierKey],
      quorum: 1,
      now: 1_800_000_010,
    });
    expect(q.witnesses).toHaveLength(1);
  });

  it('the log side refuses an answer without (or with a bad) cosignature by the witness', () => {
    const text = formatCheckpoint({ origin: ORIGIN, size: 6, rootHash: honest.root(6) });
    const other = generateNoteSigner('witness.test/w2', 0x04);
    expect(() =>
      readCosignatureResponse(text, cosignAddCheckpoint(text, [other.signerKey], 5), witnessKey.verifierKey),
    ).toThrowError(expect.objectContaining({ code: 'SIGNATURE_INVALID' }));
    // Same name, another key (e.g. the witness rotated): ignored, so only the known line counts.
    const rotated = generateNoteSigner('witness.test/w1', 0x04);
    const both = cosignAddCheckpoint(text, [rotated.signerKey, witnessKey.signerKey], 5);
    expect(readCosignatureResponse(text, both, witnessKey.verifierKey)).toHaveLength(1);
    const otherText = formatCheckpoint({ origin: ORIGIN, size: 7, rootHash: honest.root(7) });
    const wrong = cosignAddCheckpoint(otherText, [witnessKey.signerKey], 5);
    expect(() => readCosignatureResponse(text, wrong, witnessKey.verifierKey)).toThrowError(
      expect.objectContaining({ code: 'SIGNATURE_INVALID' }),
    );
    expect(() => cosignAddCheckpoint(text, [witnessKey.signerKey], 0)).toThrowError(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });

  it('text/x.tlog.size bodies', () => {
    expect(parseTlogSize(formatTlogSize(20852014))).toBe(20852014);
    expect(parseTlogSize('0\n')).toBe(0);
    for (const bad of ['', '5', '05\n', '-1\n', '5\n\n', ' 5\n', '99999999999999999\n'])
      expect(() => parseTlogSize(bad)).toThrowError(expect.objectContaining({ code: 'PARSE_ERROR' }));
  });
});

describe.skipIf(!HAVE_VECTORS)('vectors: signed-note/checkpoints.json (witness)', () => {
  const n: any = HAVE_VECTORS ? loadVectors('signed-note/checkpoints.json').notary : undefined;
  const vlogs = () => new Map([[n.log.origin, { origin: n.log.origin, keys: [n.log.verifierKey] }]]);
  const at5 = () => () => ({ size: 5, rootHash: fromHexStr(n.checkpointSize5.rootHashHex) });

  it('the published 5→8 request is cosigned, and the cosignature lines match the vectors', () => {
    const v = judgeAddCheckpoint(n.witnessAddCheckpointRequestBody, vlogs(), at5());
    if (!v.ok) throw new Error(v.message);
    expect(v.text).toBe(n.checkpointSize8.text);
    n.witnesses.forEach((w: { name: string; seedHex: string }, i: number) => {
      const key = noteSignerFromSeed(w.name, fromHexStr(w.seedHex), 0x04);
      const c = n.checkpointSize8.cosignatures[i];
      expect(cosignAddCheckpoint(v.text, [key.signerKey], c.timestamp)).toBe(c.signatureLine);
    });
  });

  it('the forked size-8 checkpoint is refused: 422 at 8 and from 5 with the honest proof', () => {
    const at8 = () => ({ size: 8, rootHash: fromHexStr(n.checkpointSize8.rootHashHex) });
    const same = formatAddCheckpointRequest({ oldSize: 8, proof: [], note: n.forkedCheckpointSize8.signedNote });
    expect(judgeAddCheckpoint(same, vlogs(), at8)).toMatchObject({ ok: false, status: 422 });
    const honestBody: string = n.witnessAddCheckpointRequestBody;
    const forkBody = honestBody.slice(0, honestBody.indexOf('\n\n') + 2) + n.forkedCheckpointSize8.signedNote;
    expect(judgeAddCheckpoint(forkBody, vlogs(), at5())).toMatchObject({ ok: false, status: 422 });
  });
});
