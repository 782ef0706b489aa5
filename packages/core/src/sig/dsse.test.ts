/** DSSE v1: PAE, envelopes, strict parsing, distinct-key thresholds; shared vectors. */
import { createHash, createPublicKey, verify as cryptoVerify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fromHexStr, HAVE_VECTORS, loadVectors, toHexStr } from '../tlog/__fixtures__/vectors.js';
import { decodeDsseEnvelope, dssePae, signDsse, verifyDsse, type DsseEnvelope } from './dsse.js';
import { ed25519KeyPairFromSeed, generateEd25519KeyPair } from './ed25519.js';

const code = (c: string) => expect.objectContaining({ code: c });
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const toUrlSafe = (s: string): string => s.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

describe.skipIf(!HAVE_VECTORS)('vectors: dsse-intoto/attestation.json', () => {
  const v = HAVE_VECTORS ? loadVectors('dsse-intoto/attestation.json') : undefined;

  it('DSSE spec example: PAE bytes, and its ECDSA signature verifies over our PAE', () => {
    const s = v.dsseSpecExample;
    const pae = dssePae(s.payloadType, enc(s.payload));
    expect(new TextDecoder().decode(pae)).toBe(s.pae);
    const parsed = decodeDsseEnvelope(JSON.stringify(s.envelope));
    expect(Buffer.from(parsed.payload).toString()).toBe(s.payload);
    expect(Buffer.from(parsed.pae).toString()).toBe(s.pae);
    const b64url = (dec: string): string =>
      Buffer.from(BigInt(dec).toString(16).padStart(64, '0'), 'hex').toString('base64url');
    const key = createPublicKey({
      key: { kty: 'EC', crv: 'P-256', x: b64url(s.ecdsaP256PublicKey.x), y: b64url(s.ecdsaP256PublicKey.y) },
      format: 'jwk',
    });
    const sig = Buffer.from(s.envelope.signatures[0].sig, 'base64');
    expect(cryptoVerify('sha256', pae, { key, dsaEncoding: 'ieee-p1363' }, sig)).toBe(true);
  });

  it('notary audit attestation: PAE, envelope reproduced, verified payload = exact bytes', () => {
    const a = v.notaryAuditAttestation;
    const payload = enc(a.payloadUtf8);
    expect(createHashHex(payload)).toBe(a.payloadSha256Hex);
    const pae = dssePae('application/vnd.in-toto+json', payload);
    expect(toHexStr(pae)).toBe(a.paeHex);
    expect(new TextDecoder().decode(pae.subarray(0, a.paePrefixUtf8.length))).toBe(a.paePrefixUtf8);
    const kp = ed25519KeyPairFromSeed(fromHexStr(a.signerSeedHex));
    expect(toHexStr(kp.publicKey)).toBe(a.signerPublicKeyHex);
    const keyid = a.envelope.signatures[0].keyid;
    expect(signDsse(payload, 'application/vnd.in-toto+json', { keyid, secretKey: kp.secretKey })).toEqual(a.envelope);
    const keys = new Map([[keyid, kp.publicKey]]);
    const out = verifyDsse(decodeDsseEnvelope(JSON.stringify(a.envelope)), keys);
    expect(new TextDecoder().decode(out.payload)).toBe(a.payloadUtf8);
    expect(out.keyids).toEqual([keyid]);
    // URL-safe, unpadded base64 is accepted too (DSSE rule).
    const urlSafe = {
      ...a.envelope,
      payload: toUrlSafe(a.envelope.payload),
      signatures: [{ keyid, sig: toUrlSafe(a.envelope.signatures[0].sig) }],
    };
    expect(verifyDsse(decodeDsseEnvelope(JSON.stringify(urlSafe)), keys).payload).toEqual(out.payload);
  });

  it('negative envelopes are rejected', () => {
    const a = v.notaryAuditAttestation;
    const keys = new Map([[a.envelope.signatures[0].keyid, fromHexStr(a.signerPublicKeyHex)]]);
    expect(a.negative.length).toBeGreaterThanOrEqual(2);
    for (const n of a.negative) {
      expect(() => verifyDsse(decodeDsseEnvelope(JSON.stringify(n.envelope)), keys), n.desc).toThrowError(
        code('SIGNATURE_INVALID'),
      );
    }
  });
});

function createHashHex(b: Uint8Array): string {
  return createHash('sha256').update(b).digest('hex');
}

describe('dsse', () => {
  const alice = generateEd25519KeyPair();
  const bob = generateEd25519KeyPair();
  const keys = new Map([
    ['alice', alice.publicKey],
    ['bob', bob.publicKey],
  ]);
  const payload = enc('{"hello":"wörld"}');

  it('PAE lengths are UTF-8 byte counts', () => {
    expect(new TextDecoder().decode(dssePae('t/ü', enc('é')))).toBe('DSSEv1 4 t/ü 2 é');
    expect(new TextDecoder().decode(dssePae('t', new Uint8Array(0)))).toBe('DSSEv1 1 t 0 ');
  });

  it('signs and verifies; the keyid hint selects the key', () => {
    const env = signDsse(payload, 'application/x', { keyid: 'alice', secretKey: alice.secretKey });
    expect(verifyDsse(env, keys)).toEqual({ payload, payloadType: 'application/x', keyids: ['alice'] });
    // No keyid: every trusted key is tried.
    const anon = signDsse(payload, 'application/x', { secretKey: bob.secretKey });
    expect(verifyDsse(anon, keys).keyids).toEqual(['bob']);
    // A keyid naming a trusted key that did not sign does not verify.
    const lying = { ...anon, signatures: [{ keyid: 'alice', sig: anon.signatures[0]!.sig }] };
    expect(() => verifyDsse(lying, keys)).toThrowError(code('SIGNATURE_INVALID'));
  });

  it('threshold counts distinct keys: a repeated signature counts once', () => {
    const a = signDsse(payload, 'application/x', { keyid: 'alice', secretKey: alice.secretKey });
    const b = signDsse(payload, 'application/x', { keyid: 'bob', secretKey: bob.secretKey });
    const twiceAlice: DsseEnvelope = {
      ...a,
      signatures: [a.signatures[0]!, a.signatures[0]!, { sig: a.signatures[0]!.sig }],
    };
    expect(() => verifyDsse(twiceAlice, keys, { threshold: 2 })).toThrowError(code('SIGNATURE_INVALID'));
    const both: DsseEnvelope = { ...a, signatures: [a.signatures[0]!, b.signatures[0]!] };
    expect(verifyDsse(both, keys, { threshold: 2 }).keyids.sort()).toEqual(['alice', 'bob']);
  });

  it('tampering with payload, type or signature is rejected', () => {
    const env = signDsse(payload, 'application/x', { keyid: 'alice', secretKey: alice.secretKey });
    const other = Buffer.from('{"hello":"world"}').toString('base64');
    expect(() => verifyDsse({ ...env, payload: other }, keys)).toThrowError(code('SIGNATURE_INVALID'));
    expect(() => verifyDsse({ ...env, payloadType: 'application/y' }, keys)).toThrowError(code('SIGNATURE_INVALID'));
    const sig = Buffer.from(env.signatures[0]!.sig, 'base64');
    sig[10]! ^= 1;
    expect(() =>
      verifyDsse({ ...env, signatures: [{ keyid: 'alice', sig: sig.toString('base64') }] }, keys),
    ).toThrowError(code('SIGNATURE_INVALID'));
    expect(() => verifyDsse(env, new Map())).toThrowError(code('SIGNATURE_INVALID'));
    expect(() => verifyDsse({ payload: 5 } as unknown as DsseEnvelope, keys)).toThrowError(code('PARSE_ERROR'));
  });

  it('decodeDsseEnvelope is strict and capped; each refusal names its rule', () => {
    const env = signDsse(payload, 'application/x', { keyid: 'alice', secretKey: alice.secretKey });
    const ok = JSON.stringify({ ...env, unknownField: true });
    const d = decodeDsseEnvelope(enc(ok));
    expect([d.payloadType, Buffer.from(d.payload).toString(), d.signatures[0]!.keyid]).toEqual([
      'application/x',
      '{"hello":"wörld"}',
      'alice',
    ]);
    expect(Buffer.from(d.signatures[0]!.sig).toString('base64')).toBe(env.signatures[0]!.sig);
    const sig = env.signatures[0]!.sig;
    const bad: [string | Uint8Array, string][] = [
      ['not json', 'ENTRY_NOT_JSON'],
      ['[]', 'ENVELOPE_NOT_OBJECT'],
      ['null', 'ENVELOPE_NOT_OBJECT'],
      [JSON.stringify({ ...env, payload: 'a*b' }), 'ENVELOPE_PAYLOAD'],
      [JSON.stringify({ ...env, payload: 'QQ=' }), 'ENVELOPE_PAYLOAD'], // wrong padding
      [JSON.stringify({ ...env, payloadType: '' }), 'ENVELOPE_PAYLOAD_TYPE'],
      [JSON.stringify({ ...env, payloadType: 7 }), 'ENVELOPE_PAYLOAD_TYPE'],
      [JSON.stringify({ ...env, signatures: [] }), 'ENVELOPE_SIGNATURES'],
      [JSON.stringify({ ...env, signatures: {} }), 'ENVELOPE_SIGNATURES'],
      [JSON.stringify({ ...env, signatures: [{ keyid: 'a' }] }), 'ENVELOPE_SIG'],
      [JSON.stringify({ ...env, signatures: [{ sig: sig.replace('==', '=') }] }), 'ENVELOPE_SIG'],
      [JSON.stringify({ ...env, signatures: [{ sig, keyid: 1 }] }), 'ENVELOPE_KEYID'],
      [JSON.stringify({ ...env, signatures: [{ sig, keyid: null }] }), 'ENVELOPE_KEYID'],
      [JSON.stringify({ ...env, signatures: [{ sig, keyid: 'a\u0000' }] }), 'ENVELOPE_KEYID'],
      [JSON.stringify({ ...env, signatures: [{ sig, keyid: 'a\ud800' }] }), 'ENVELOPE_KEYID'],
      [
        JSON.stringify({ ...env, signatures: Array.from({ length: 17 }, () => env.signatures[0]) }),
        'ENVELOPE_SIGNATURES',
      ],
      [JSON.stringify({ ...env, padding: 'x'.repeat(70_000) }), 'ENTRY_TOO_LARGE'],
      [Uint8Array.of(0x7b, 0xff, 0x7d), 'ENTRY_NOT_UTF8'],
      [Buffer.concat([Buffer.of(0xef, 0xbb, 0xbf), enc(ok)]), 'ENTRY_BOM'],
    ];
    for (const [b, rule] of bad)
      expect(() => decodeDsseEnvelope(b, { fileName: 'env.json' }), String(b).slice(0, 50)).toThrowError(
        expect.objectContaining({ code: 'PARSE_ERROR', file: 'env.json', rule }),
      );
    expect(() => decodeDsseEnvelope(ok, { maxBytes: 100 })).toThrowError(code('PARSE_ERROR'));
    expect(() => decodeDsseEnvelope(ok, { sigBytes: 32 })).toThrowError(
      expect.objectContaining({ rule: 'ENVELOPE_SIG' }),
    );
  });
});
