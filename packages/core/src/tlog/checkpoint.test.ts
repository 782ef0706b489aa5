/** tlog-checkpoint, tlog-cosignature, witness quorum, tlog-proof and add-checkpoint texts. */
import { describe, expect, it } from 'vitest';
import { fromHexStr, HAVE_VECTORS, loadVectors, toHexStr } from './__fixtures__/vectors.js';
import {
  formatCheckpoint,
  parseCheckpoint,
  signCosignature,
  verifyCheckpoint,
  verifyCosignature,
  verifyWitnessQuorum,
} from './checkpoint.js';
import {
  consistencyProof,
  EMPTY_TREE_ROOT,
  hashLeaf,
  inclusionProof,
  rangeHasherFromLeafHashes,
  verifyInclusion,
} from './merkle.js';
import { appendNoteSignatures, cosignatureMessage, generateNoteSigner, noteSignerFromSeed, signNote } from './note.js';
import {
  formatAddCheckpointRequest,
  formatTlogProof,
  parseAddCheckpointRequest,
  parseTlogProof,
} from './proof-text.js';

const code = (c: string) => expect.objectContaining({ code: c });
const utf8 = (b: Uint8Array): string => new TextDecoder().decode(b);

describe.skipIf(!HAVE_VECTORS)('vectors: signed-note/checkpoints.json (checkpoints)', () => {
  const v = HAVE_VECTORS ? loadVectors('signed-note/checkpoints.json') : undefined;
  const n = v?.notary;
  const logKeys = n ? noteSignerFromSeed(n.log.origin, fromHexStr(n.log.seedHex)) : undefined;
  const witnessKeys = n
    ? n.witnesses.map((w: { name: string; seedHex: string }) => noteSignerFromSeed(w.name, fromHexStr(w.seedHex), 4))
    : [];
  const witnessVkeys: string[] = witnessKeys.map((k: { verifierKey: string }) => k.verifierKey);

  it('size-8 checkpoint: text, log signature and note reproduced byte for byte', () => {
    const c = n.checkpointSize8;
    const text = formatCheckpoint({ origin: n.log.origin, size: c.treeSize, rootHash: fromHexStr(c.rootHashHex) });
    expect(text).toBe(c.text);
    expect(toHexStr(new TextEncoder().encode(text))).toBe(c.textHex);
    expect(signNote(text, logKeys!.signerKey)).toBe(c.signedNote);
    const cp = verifyCheckpoint(c.signedNote, n.log.verifierKey);
    expect(cp).toMatchObject({ origin: n.log.origin, size: 8, extensions: [], text });
    expect(toHexStr(cp.rootHash)).toBe(c.rootHashHex);
  });

  it('sizes 5 and 0 verify; the empty checkpoint carries SHA-256("")', () => {
    for (const c of [n.checkpointSize5, n.checkpointSize0]) {
      expect(signNote(c.text, logKeys!.signerKey)).toBe(c.signedNote);
      verifyCheckpoint(c.signedNote, n.log.verifierKey);
    }
    expect(toHexStr(verifyCheckpoint(n.checkpointSize0.signedNote, n.log.verifierKey).rootHash)).toBe(
      toHexStr(EMPTY_TREE_ROOT),
    );
  });

  it('cosignatures: message, line and cosigned note reproduced; quorum met', () => {
    const c = n.checkpointSize8;
    c.cosignatures.forEach((cs: { timestamp: number; signedMessage: string; signatureLine: string }, i: number) => {
      expect(utf8(cosignatureMessage(c.text, cs.timestamp))).toBe(cs.signedMessage);
      expect(signCosignature(c.text, witnessKeys[i].signerKey, cs.timestamp)).toBe(cs.signatureLine);
      expect(verifyCosignature(c.text, cs.signatureLine, witnessVkeys[i]!)).toMatchObject({ timestamp: cs.timestamp });
    });
    const lines = c.cosignatures.map((cs: { signatureLine: string }) => cs.signatureLine);
    expect(appendNoteSignatures(c.signedNote, lines)).toBe(c.cosignedNote);
    const q = verifyWitnessQuorum(c.cosignedNote, {
      logKey: n.log.verifierKey,
      witnesses: witnessVkeys,
      quorum: 2,
      now: 1_700_000_100,
    });
    expect(q.witnesses.map((w) => [w.name, w.timestamp])).toEqual([
      ['witness.example.org/w1', 1_700_000_000],
      ['witness.example.net/w2', 1_700_000_007],
    ]);
    expect(q.checkpoint.size).toBe(8);
  });

  it('quorum failures: too few, stale, from the future', () => {
    const note = n.checkpointSize8.cosignedNote;
    const base = { logKey: n.log.verifierKey, witnesses: witnessVkeys, now: 1_700_000_100 };
    expect(() => verifyWitnessQuorum(n.checkpointSize8.signedNote, { ...base, quorum: 1 })).toThrowError(
      code('SIGNATURE_INVALID'),
    );
    expect(() => verifyWitnessQuorum(note, { ...base, quorum: 2, maxAgeSeconds: 95 })).toThrowError(
      code('CHECKPOINT_STALE'),
    );
    expect(verifyWitnessQuorum(note, { ...base, quorum: 1, maxAgeSeconds: 95 }).witnesses.map((w) => w.name)).toEqual([
      'witness.example.net/w2',
    ]);
    expect(() => verifyWitnessQuorum(note, { ...base, now: 1_699_999_000, quorum: 1 })).toThrowError(
      code('CHECKPOINT_STALE'),
    );
    expect(() => verifyWitnessQuorum(note, { ...base, quorum: 3 })).toThrowError(code('INVALID_ARGUMENT'));
    expect(() => verifyWitnessQuorum(note, { ...base, witnesses: [n.log.verifierKey], quorum: 1 })).toThrowError(
      code('INVALID_ARGUMENT'),
    );
  });

  it('a witness is counted once even under two names', () => {
    const c = n.checkpointSize8;
    const w1 = n.witnesses[0];
    const alias = noteSignerFromSeed('alias.example/w1', fromHexStr(w1.seedHex), 4);
    const note = appendNoteSignatures(c.signedNote, [
      c.cosignatures[0].signatureLine,
      signCosignature(c.text, alias.signerKey, 1_700_000_001),
    ]);
    const policy = { logKey: n.log.verifierKey, witnesses: [witnessVkeys[0]!, alias.verifierKey], now: 1_700_000_100 };
    expect(verifyWitnessQuorum(note, { ...policy, quorum: 1 }).witnesses).toHaveLength(1);
    expect(() => verifyWitnessQuorum(note, { ...policy, quorum: 2 })).toThrowError(code('SIGNATURE_INVALID'));
  });

  it('forked checkpoint: validly signed, same size, different root', () => {
    const good = verifyCheckpoint(n.checkpointSize8.signedNote, n.log.verifierKey);
    const fork = verifyCheckpoint(n.forkedCheckpointSize8.signedNote, n.log.verifierKey);
    expect(fork.size).toBe(good.size);
    expect(toHexStr(fork.rootHash)).toBe(n.forkedCheckpointSize8.rootHashHex);
    expect(toHexStr(fork.rootHash)).not.toBe(toHexStr(good.rootHash));
  });

  it('sum.golang.org checkpoints verify with their legacy origin', () => {
    const s = v.published.sumGolangOrgCheckpoints;
    const sizes = s.signedNotes.map(
      (note: string) => verifyCheckpoint(note, s.verifierKey, { origin: 'go.sum database tree' }).size,
    );
    expect(sizes).toEqual([30_055_305, 65_664_258]);
    // By default the origin must equal the key name, which sum.golang.org's does not.
    expect(() => verifyCheckpoint(s.signedNotes[0], s.verifierKey)).toThrowError(code('SIGNATURE_INVALID'));
  });

  it('witness add-checkpoint body and tlog-proof receipt reproduced and parsed', () => {
    const leaves: Uint8Array[] = loadVectors('merkle/rfc6962.json').standard8.leafInputsHex.map((h: string) =>
      hashLeaf(fromHexStr(h)),
    );
    const rangeHash = rangeHasherFromLeafHashes(leaves);
    const c = n.checkpointSize8;
    const body = formatAddCheckpointRequest({
      oldSize: 5,
      proof: consistencyProof(5, 8, rangeHash),
      note: c.signedNote,
    });
    expect(body).toBe(n.witnessAddCheckpointRequestBody);
    expect(parseAddCheckpointRequest(body)).toEqual({
      oldSize: 5,
      proof: consistencyProof(5, 8, rangeHash),
      note: c.signedNote,
    });

    const t = n.tlogProof;
    const receipt = formatTlogProof({
      index: t.leafIndex,
      proof: inclusionProof(5, 8, rangeHash),
      note: c.cosignedNote,
    });
    expect(receipt).toBe(t.text);
    const parsed = parseTlogProof(receipt);
    const cp = verifyCheckpoint(parsed.note, n.log.verifierKey);
    expect(
      verifyInclusion(hashLeaf(fromHexStr(t.leafInputHex)), parsed.index, cp.size, parsed.proof, cp.rootHash),
    ).toBe(true);
  });
});

describe('checkpoint text', () => {
  const root = new Uint8Array(32).fill(7);
  const rootB64 = Buffer.from(root).toString('base64');

  it('format/parse round trip, with extension lines', () => {
    const text = formatCheckpoint({ origin: 'example.com/log', size: 42, rootHash: root, extensions: ['ext one'] });
    expect(text).toBe(`example.com/log\n42\n${rootB64}\next one\n`);
    expect(parseCheckpoint(text)).toEqual({
      origin: 'example.com/log',
      size: 42,
      rootHash: root,
      extensions: ['ext one'],
    });
  });

  it('parse rejects every malformed variant', () => {
    const bad: [string, number?][] = [
      [`o\n42\n${rootB64}`], // no final newline
      [`o\n42\n`],
      [`o\n042\n${rootB64}\n`, 2],
      [`o\n+42\n${rootB64}\n`, 2],
      [`o\n4.2\n${rootB64}\n`, 2],
      [`o\n 42\n${rootB64}\n`, 2],
      [`o\n99999999999999999999\n${rootB64}\n`, 2],
      [`o\n42\n${rootB64.slice(0, -1)}\n`, 3],
      [`o\n42\n${Buffer.alloc(31).toString('base64')}\n`, 3],
      [`o\n42\n${Buffer.from(root).toString('base64url')}A\n`, 3],
      [`o\n0\n${rootB64}\n`, 3], // empty tree with a non-empty root
      [`\n42\n${rootB64}\n`, 1],
      [`o\n42\n${rootB64}\n\next\n`, 4],
      [`o\r\n42\n${rootB64}\n`],
    ];
    for (const [text, line] of bad) {
      expect(() => parseCheckpoint(text, 'cp'), JSON.stringify(text)).toThrowError(code('PARSE_ERROR'));
      if (line !== undefined)
        expect(() => parseCheckpoint(text, 'cp')).toThrowError(expect.objectContaining({ line, file: 'cp' }));
    }
  });

  it('format rejects bad input', () => {
    expect(() => formatCheckpoint({ origin: '', size: 1, rootHash: root })).toThrowError(code('INVALID_ARGUMENT'));
    expect(() => formatCheckpoint({ origin: 'a\nb', size: 1, rootHash: root })).toThrowError(code('INVALID_ARGUMENT'));
    expect(() => formatCheckpoint({ origin: 'o', size: -1, rootHash: root })).toThrowError(code('INVALID_ARGUMENT'));
    expect(() => formatCheckpoint({ origin: 'o', size: 1, rootHash: root.subarray(1) })).toThrowError(
      code('INVALID_ARGUMENT'),
    );
    expect(() => formatCheckpoint({ origin: 'o', size: 0, rootHash: root })).toThrowError(code('INVALID_ARGUMENT'));
    expect(() => formatCheckpoint({ origin: 'o', size: 1, rootHash: root, extensions: [''] })).toThrowError(
      code('INVALID_ARGUMENT'),
    );
  });

  it('verifyCheckpoint checks origin, key type and signature', () => {
    const log = generateNoteSigner('example.com/log');
    const other = generateNoteSigner('example.com/log');
    const note = signNote(formatCheckpoint({ origin: 'example.com/log', size: 1, rootHash: root }), log.signerKey);
    expect(verifyCheckpoint(note, log.verifierKey).size).toBe(1);
    expect(() => verifyCheckpoint(note, other.verifierKey)).toThrowError(code('SIGNATURE_INVALID'));
    expect(() => verifyCheckpoint(note, log.verifierKey, { origin: 'elsewhere' })).toThrowError(
      code('SIGNATURE_INVALID'),
    );
    const wrongOrigin = signNote(
      formatCheckpoint({ origin: 'evil.example/log', size: 1, rootHash: root }),
      log.signerKey,
    );
    expect(() => verifyCheckpoint(wrongOrigin, log.verifierKey)).toThrowError(code('SIGNATURE_INVALID'));
    expect(() => verifyCheckpoint(signNote('just text\n', log.signerKey), log.verifierKey)).toThrowError(
      code('PARSE_ERROR'),
    );
    expect(() => verifyCheckpoint(note, generateNoteSigner('w', 4).verifierKey)).toThrowError(code('INVALID_ARGUMENT'));
  });

  it('verifyCosignature rejects lines by other keys or over other text', () => {
    const text = formatCheckpoint({ origin: 'example.com/log', size: 1, rootHash: root });
    const w = generateNoteSigner('w.example', 4);
    const x = generateNoteSigner('x.example', 4);
    const line = signCosignature(text, w.signerKey, 1234);
    expect(verifyCosignature(text, line, w.verifierKey).timestamp).toBe(1234);
    expect(() => verifyCosignature(text, line, x.verifierKey)).toThrowError(code('SIGNATURE_INVALID'));
    expect(() => verifyCosignature(text.replace('\n1\n', '\n2\n'), line, w.verifierKey)).toThrowError(
      code('SIGNATURE_INVALID'),
    );
    expect(() => verifyCosignature(text, 'garbage', w.verifierKey)).toThrowError(code('PARSE_ERROR'));
    // A type-0x01 signature by the same key bytes is not a cosignature.
    expect(() => signCosignature(text, generateNoteSigner('w.example').signerKey, 1)).toThrowError(
      code('INVALID_ARGUMENT'),
    );
  });
});

describe('proof texts', () => {
  const log = generateNoteSigner('example.com/log');
  const note = signNote(
    formatCheckpoint({ origin: 'example.com/log', size: 1, rootHash: new Uint8Array(32).fill(1) }),
    log.signerKey,
  );
  const h = new Uint8Array(32).fill(2);
  const hB64 = Buffer.from(h).toString('base64');

  it('tlog-proof with extra data and an empty proof round-trips', () => {
    const p = { index: 0, proof: [], note, extra: Uint8Array.of(1, 2, 3) };
    expect(parseTlogProof(formatTlogProof(p))).toEqual(p);
    expect(parseTlogProof(formatTlogProof({ index: 3, proof: [h], note }))).toEqual({ index: 3, proof: [h], note });
  });

  it('rejects malformed proof texts', () => {
    const bad = [
      `c2sp.org/tlog-proof@v2\nindex 0\n\n${note}`,
      `c2sp.org/tlog-proof@v1\nindex 01\n\n${note}`,
      `c2sp.org/tlog-proof@v1\n\n${note}`,
      `c2sp.org/tlog-proof@v1\nindex 0\nextra AQID\n\n${note}`,
      `c2sp.org/tlog-proof@v1\nextra ***\nindex 0\n\n${note}`,
      `c2sp.org/tlog-proof@v1\nindex 0\n${hB64}\nnot a hash\n\n${note}`,
      `c2sp.org/tlog-proof@v1\nindex 0\n${hB64}`,
      `c2sp.org/tlog-proof@v1\nindex 0\n\nnot a note\n`,
      `c2sp.org/tlog-proof@v1\nindex 0\n${`${hB64}\n`.repeat(64)}\n${note}`,
    ];
    for (const b of bad) expect(() => parseTlogProof(b), b.slice(0, 60)).toThrowError(code('PARSE_ERROR'));
    expect(() => parseAddCheckpointRequest(`old -1\n\n${note}`)).toThrowError(code('PARSE_ERROR'));
    expect(() => parseAddCheckpointRequest(`new 1\n\n${note}`)).toThrowError(code('PARSE_ERROR'));
    expect(parseAddCheckpointRequest(`old 0\n\n${note}`)).toEqual({ oldSize: 0, proof: [], note });
  });
});
