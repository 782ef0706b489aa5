/** C2SP signed notes: published and generated vectors, plus strict-parsing rejections. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHexStr, HAVE_VECTORS, loadVectors, toHexStr } from './__fixtures__/vectors.js';
import {
  appendNoteSignatures,
  generateNoteSigner,
  NOTE_ALG_COSIGNATURE_V1,
  noteKeyId,
  noteSignatureLine,
  noteSignerFromSeed,
  openNote,
  parseNote,
  parseSignerKey,
  parseVerifierKey,
  signNote,
} from './note.js';

const code = (c: string) => expect.objectContaining({ code: c });

describe.skipIf(!HAVE_VECTORS)('vectors: signed-note/checkpoints.json (notes)', () => {
  const v = HAVE_VECTORS ? loadVectors('signed-note/checkpoints.json') : undefined;

  it('Go sumdb/note example: keys derived, signature reproduced byte for byte', () => {
    const g = v.published.goNoteExample;
    const signer = parseSignerKey(g.goPrivateKey);
    expect(toHexStr(signer.publicKey)).toBe(g.publicKeyHex);
    expect(toHexStr(signer.secretKey.subarray(0, 32))).toBe(g.seedHex);
    expect(signer.vkey).toBe(g.verifierKey);
    expect(noteSignerFromSeed('PeterNeumann', fromHexStr(g.seedHex))).toEqual({
      signerKey: g.goPrivateKey,
      verifierKey: g.verifierKey,
    });
    expect(signNote(g.text, g.goPrivateKey)).toBe(g.signedNote);
    const opened = openNote(g.signedNote, [g.verifierKey]);
    expect(opened.text).toBe(g.text);
    expect(opened.signatures).toEqual([{ name: 'PeterNeumann', keyId: 'c74f20a3', verified: true, type: 1 }]);
  });

  it('Go EnochRoot zero-seed key and its signature line', () => {
    const g = v.published.goNoteExample;
    const z = g.secondSignerZeroSeed;
    const keys = noteSignerFromSeed(z.name, fromHexStr(z.seedHex));
    expect(keys.verifierKey).toBe(z.verifierKey);
    expect(noteSignatureLine(g.text, parseSignerKey(keys.signerKey))).toBe(z.signatureLine);
    // Both signers in one note; either key alone opens it, the other signature is ignored.
    const both = signNote(g.text, [g.goPrivateKey, keys.signerKey]);
    expect(both).toBe(`${g.signedNote}${z.signatureLine}`);
    expect(openNote(both, [z.verifierKey]).signatures.map((s) => s.verified)).toEqual([false, true]);
  });

  it('C2SP signed-note example verifies', () => {
    const c = v.published.c2spSignedNoteExample;
    expect(openNote(c.signedNote, [c.verifierKey]).text).toBe('This is an example message.\n');
  });

  it('notary log key: key ID preimage, vkey and private key string', () => {
    const l = v.notary.log;
    const pub = fromHexStr(l.publicKeyHex);
    expect(toHexStr(noteKeyId(l.origin, 1, pub))).toBe(l.keyIdHex);
    expect(toHexStr(new TextEncoder().encode(l.origin))).toBe(l.keyIdPreimageHex.slice(0, -68));
    const keys = noteSignerFromSeed(l.origin, fromHexStr(l.seedHex));
    expect(keys).toEqual({ signerKey: l.goPrivateKey, verifierKey: l.verifierKey });
    const parsed = parseVerifierKey(l.verifierKey);
    expect(parsed).toMatchObject({ name: l.origin, type: 1, keyIdHex: l.keyIdHex });
    expect(toHexStr(parsed.publicKey)).toBe(l.publicKeyHex);
  });

  it('witness (type 0x04) keys: the type byte changes the key ID', () => {
    for (const w of v.notary.witnesses) {
      const keys = noteSignerFromSeed(w.name, fromHexStr(w.seedHex), NOTE_ALG_COSIGNATURE_V1);
      expect(keys.verifierKey).toBe(w.verifierKey);
      const pub = fromHexStr(w.publicKeyHex);
      expect(toHexStr(noteKeyId(w.name, 4, pub))).toBe(w.keyIdHex);
      expect(toHexStr(noteKeyId(w.name, 1, pub))).not.toBe(w.keyIdHex);
    }
  });

  it('every verificationCase: accept/reject, verified names and ignored signatures', () => {
    expect(v.notary.verificationCases.length).toBeGreaterThanOrEqual(11);
    for (const c of v.notary.verificationCases) {
      const note = Buffer.from(c.noteBase64, 'base64');
      const open = () => openNote(new Uint8Array(note), c.verifierKeys);
      if (c.expect === 'reject') {
        expect(open, c.desc).toThrowError(
          code(c.why === 'malformed' || /malformed|control/.test(c.why) ? 'PARSE_ERROR' : 'SIGNATURE_INVALID'),
        );
        continue;
      }
      const opened = open();
      expect(
        opened.signatures.filter((s) => s.verified).map((s) => s.name),
        c.desc,
      ).toEqual(c.verifiedKeyNames);
      expect(
        opened.signatures.filter((s) => !s.verified).map((s) => [s.name, s.keyId]),
        c.desc,
      ).toEqual(c.ignoredSignatures);
      // The string form opens identically.
      expect(openNote(note.toString('utf8'), c.verifierKeys)).toEqual(opened);
    }
  });
});

describe('signNote / openNote', () => {
  const a = generateNoteSigner('a.example/log');
  const b = generateNoteSigner('b.example/log');
  const text = 'hello\n\nworld\n';

  it('round trips random valid texts', () => {
    const line = fc.string({ unit: 'grapheme', maxLength: 20 }).filter((s) => !/[\u0000-\u001f\u007f-\u009f]/.test(s));
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 5 }), (lines) => {
        const t = `${lines.join('\n')}\n`;
        expect(openNote(signNote(t, a.signerKey), [a.verifierKey]).text).toBe(t);
      }),
      { numRuns: 50 },
    );
  });

  it('text may contain blank lines; the last blank line splits off the signatures', () => {
    const note = signNote(text, [a.signerKey, b.signerKey]);
    const opened = openNote(note, [a.verifierKey, b.verifierKey]);
    expect(opened.text).toBe(text);
    expect(opened.signatures.every((s) => s.verified)).toBe(true);
  });

  it('a known key whose signature fails rejects the whole note, even if another verifies', () => {
    const note = signNote(text, [a.signerKey, b.signerKey]);
    // Change a character inside the Ed25519 signature (after the 4-byte key ID, 6 base64 chars).
    const forged = note.replace(
      /(— b\.example\/log .{30})(.)/,
      (_, p: string, c: string) => p + (c === 'A' ? 'B' : 'A'),
    );
    expect(forged).not.toBe(note);
    expect(() => openNote(forged, [a.verifierKey, b.verifierKey])).toThrowError(code('SIGNATURE_INVALID'));
    expect(openNote(forged, [a.verifierKey]).signatures.map((s) => s.verified)).toEqual([true, false]);
  });

  it('no known signer, or no keys at all, rejects', () => {
    const note = signNote(text, a.signerKey);
    expect(() => openNote(note, [b.verifierKey])).toThrowError(code('SIGNATURE_INVALID'));
    expect(() => openNote(note, [])).toThrowError(code('SIGNATURE_INVALID'));
  });

  it('duplicate signature lines are counted once', () => {
    const note = signNote(text, a.signerKey);
    const line = note.slice(text.length + 1);
    expect(openNote(note + line, [a.verifierKey]).signatures).toHaveLength(1);
  });

  it('rejects malformed notes with PARSE_ERROR', () => {
    const note = signNote('x\n', a.signerKey);
    const line = note.slice(3);
    const bad = [
      'x\n' + line, // no blank line
      note.replace(/\n/g, '\r\n'),
      note.slice(0, -1), // no final newline
      note.replace('—', '-'),
      note + 'trailing\n',
      note + '\n', // empty signature line
      'x\u0007\n\n' + line, // control character in text
      'x\u0085\n\n' + line, // C1 control
      'x\n\n— a.example/log\n', // no signature
      'x\n\n— a.example/log  ' + line.slice(16), // two spaces
      'x\n\n— a+b ' + line.slice(16), // + in a key name
      'x\n\n— a.example/log AAAA\n', // blob shorter than key ID + signature
      note.replace(/=\n$/, '\n'), // unpadded base64
      'x\ud800\n\n' + line, // lone surrogate
      '\n' + line,
    ];
    for (const n of bad)
      expect(() => openNote(n, [a.verifierKey]), JSON.stringify(n)).toThrowError(code('PARSE_ERROR'));
    expect(() => openNote(Uint8Array.of(0x78, 0xff, 0x0a, 0x0a), [a.verifierKey])).toThrowError(code('PARSE_ERROR'));
  });

  it('reports the line of a control character', () => {
    const note = 'one\ntwo\tthree\n\n— a 1234\n';
    expect(() => parseNote(note)).toThrowError(expect.objectContaining({ code: 'PARSE_ERROR', line: 2 }));
  });

  it('caps size and signature count', () => {
    const many = Array.from({ length: 17 }, (_, i) => generateNoteSigner(`k${i}`).signerKey);
    const note = signNote(text, many);
    expect(
      openNote(note, [generateNoteSigner('z').verifierKey, parseSignerKey(many[16]!).vkey]).signatures,
    ).toHaveLength(17);
    expect(() => parseNote(note, { maxSignatures: 16 })).toThrowError(code('PARSE_ERROR'));
    expect(() => parseNote(`${'a'.repeat(130 * 1024)}\n\n— a AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==\n`)).toThrowError(
      code('PARSE_ERROR'),
    );
  });

  it('signNote validates text and keys', () => {
    for (const t of ['', 'no newline', 'a\rb\n', 'a\u0000\n']) {
      expect(() => signNote(t, a.signerKey), JSON.stringify(t)).toThrowError(code('INVALID_ARGUMENT'));
    }
    expect(() => signNote(text, [])).toThrowError(code('INVALID_ARGUMENT'));
    const w = generateNoteSigner('w.example', NOTE_ALG_COSIGNATURE_V1);
    expect(() => signNote(text, w.signerKey)).toThrowError(code('INVALID_ARGUMENT')); // cosigner needs a time
  });

  it('appendNoteSignatures adds lines once and keeps the note valid', () => {
    const one = signNote(text, a.signerKey);
    const bLine = signNote(text, b.signerKey).slice(text.length + 1);
    const both = appendNoteSignatures(one, [bLine, bLine.trimEnd()]);
    expect(both).toBe(one + bLine);
    expect(openNote(both, [a.verifierKey, b.verifierKey]).signatures).toHaveLength(2);
    expect(() => appendNoteSignatures(one, ['- nope AAAA'])).toThrowError(code('PARSE_ERROR'));
  });
});

describe('key strings', () => {
  it('generated keys parse back and agree', () => {
    const k = generateNoteSigner('example.com/log');
    const s = parseSignerKey(k.signerKey);
    expect(s.vkey).toBe(k.verifierKey);
    expect(parseVerifierKey(k.verifierKey).publicKey).toEqual(s.publicKey);
    expect(k.verifierKey.split('+')[2]!.startsWith('A')).toBe(true);
    expect(generateNoteSigner('w', 4).verifierKey.split('+')[2]!.startsWith('B')).toBe(true);
  });

  it('base64 keys containing "+" split on the first two separators only', () => {
    // The sum.golang.org key's base64 contains "+".
    const k = parseVerifierKey('sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8');
    expect(k.name).toBe('sum.golang.org');
    expect(k.keyIdHex).toBe('033de0ae');
  });

  it('rejects malformed verifier keys', () => {
    const good = noteSignerFromSeed('example.com/log', new Uint8Array(32).fill(9)).verifierKey;
    const [name, id, key] = good.split(/\+(.*?)\+/s) as [string, string, string];
    const flippedId = id.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    const bad = [
      '',
      name,
      `${name}+${id}`,
      `${name}+${flippedId}+${key}`, // ID does not match
      `${name}+${id.toUpperCase()}+${key}`,
      `${name}+${id}+${key.slice(0, -1)}`,
      `${name}+${id}+${key}AAAA`,
      `${name}+${id}+B${key.slice(1)}`, // type byte changed: ID no longer matches
      `+${id}+${key}`,
      `bad name+${id}+${key}`,
      `${name}+${id}+${Buffer.from([2, ...new Uint8Array(32)]).toString('base64')}`, // unsupported type
      'sum.golang.org+033de0ae+Ac4zctda0e5eza-HJyk9SxEdh-s3Ux18htTTAD8OuAn8', // URL-safe alphabet
    ];
    for (const b of bad) expect(() => parseVerifierKey(b), b).toThrowError(code('PARSE_ERROR'));
  });

  it('rejects malformed signer keys without echoing them', () => {
    const good = generateNoteSigner('example.com/log').signerKey;
    const bad = [good.replace('PRIVATE+KEY+', ''), good.slice(0, -2), good.replace(/\+([0-9a-f]{8})\+/, '+00000000+')];
    for (const b of bad) {
      try {
        parseSignerKey(b);
        expect.unreachable(b);
      } catch (e) {
        expect(e).toMatchObject({ code: 'PARSE_ERROR' });
        expect((e as Error).message).not.toContain(b.slice(-20));
      }
    }
  });
});
