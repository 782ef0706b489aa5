/** Ed25519: RFC 8032 vectors on both verify paths, malleability, cross-checks with tweetnacl. */
import fc from 'fast-check';
import nacl from 'tweetnacl';
import { describe, expect, it } from 'vitest';
import { fromHexStr, HAVE_VECTORS, loadVectors, toHexStr } from '../tlog/__fixtures__/vectors.js';
import {
  ed25519KeyPairFromSeed,
  ed25519Sign,
  ed25519Verify,
  ed25519VerifyTweetnacl,
  generateEd25519KeyPair,
  isCanonicalEd25519Signature,
} from './ed25519.js';

const verifiers = [
  ['node:crypto', ed25519Verify],
  ['tweetnacl', ed25519VerifyTweetnacl],
] as const;

describe.skipIf(!HAVE_VECTORS)('vectors: ed25519/rfc8032.json', () => {
  const v = HAVE_VECTORS ? loadVectors('ed25519/rfc8032.json') : undefined;

  it('positive vectors: keys, deterministic signatures, both verify paths', () => {
    expect(v.vectors).toHaveLength(5);
    for (const t of v.vectors) {
      const msg = fromHexStr(t.messageHex);
      expect(msg.length).toBe(t.messageLength);
      const kp = ed25519KeyPairFromSeed(fromHexStr(t.seedHex));
      expect(toHexStr(kp.publicKey), t.name).toBe(t.publicKeyHex);
      expect(toHexStr(kp.secretKey), t.name).toBe(t.tweetnaclSecretKeyHex);
      expect(toHexStr(ed25519Sign(msg, kp.secretKey)), t.name).toBe(t.signatureHex);
      for (const [name, verify] of verifiers) {
        expect(verify(fromHexStr(t.signatureHex), msg, kp.publicKey), `${t.name} ${name}`).toBe(true);
      }
    }
  });

  it('negative vectors are rejected by both paths, incl. S + L', () => {
    expect(v.negative.length).toBeGreaterThanOrEqual(5);
    for (const t of v.negative) {
      for (const [name, verify] of verifiers) {
        expect(
          verify(fromHexStr(t.signatureHex), fromHexStr(t.messageHex), fromHexStr(t.publicKeyHex)),
          `${t.name} ${name}`,
        ).toBe(false);
      }
    }
  });

  it('the S + L case is why the extra check exists: raw tweetnacl accepts it', () => {
    const t = v.negative.find((x: { name: string }) => x.name.includes('S+L'));
    const sig = fromHexStr(t.signatureHex);
    expect(nacl.sign.detached.verify(fromHexStr(t.messageHex), sig, fromHexStr(t.publicKeyHex))).toBe(true);
    expect(isCanonicalEd25519Signature(sig)).toBe(false);
  });
});

describe('ed25519', () => {
  it('sign/verify agree with tweetnacl on random keys and messages', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ maxLength: 300 }), (seed, msg) => {
        const kp = ed25519KeyPairFromSeed(seed);
        const ref = nacl.sign.keyPair.fromSeed(seed);
        expect(toHexStr(kp.secretKey)).toBe(toHexStr(ref.secretKey));
        const sig = ed25519Sign(msg, kp.secretKey);
        expect(toHexStr(sig)).toBe(toHexStr(nacl.sign.detached(msg, ref.secretKey)));
        expect(ed25519Verify(sig, msg, kp.publicKey)).toBe(true);
        expect(ed25519VerifyTweetnacl(sig, msg, kp.publicKey)).toBe(true);
      }),
      { numRuns: 15 }, // tweetnacl takes milliseconds per operation
    );
  });

  it('any flipped bit in signature, message or key is rejected', () => {
    const kp = generateEd25519KeyPair();
    const msg = new TextEncoder().encode('vet');
    const sig = ed25519Sign(msg, kp.secretKey);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 64 * 8 - 1 }),
        fc.integer({ min: 0, max: 3 * 8 - 1 }),
        fc.integer({ min: 0, max: 32 * 8 - 1 }),
        (sb, mb, kb) => {
          const s = sig.slice();
          s[sb >> 3]! ^= 1 << (sb & 7);
          const m = msg.slice();
          m[mb >> 3]! ^= 1 << (mb & 7);
          const k = kp.publicKey.slice();
          k[kb >> 3]! ^= 1 << (kb & 7);
          expect(ed25519Verify(s, msg, kp.publicKey)).toBe(false);
          expect(ed25519Verify(sig, m, kp.publicKey)).toBe(false);
          expect(ed25519Verify(sig, msg, k)).toBe(false);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('wrong lengths, wrong types and invalid keys return false, never throw', () => {
    const kp = generateEd25519KeyPair();
    const msg = Uint8Array.of(1);
    const sig = ed25519Sign(msg, kp.secretKey);
    const cases: [unknown, unknown, unknown][] = [
      [sig.subarray(0, 63), msg, kp.publicKey],
      [Uint8Array.of(...sig, 0), msg, kp.publicKey],
      [sig, msg, kp.publicKey.subarray(0, 31)],
      [sig, msg, kp.secretKey],
      [sig, 'text', kp.publicKey],
      [Array.from(sig), msg, kp.publicKey],
      [sig, msg, new Uint8Array(32).fill(0xff)], // not a curve point encoding
      [new Uint8Array(64), msg, new Uint8Array(32)],
      [undefined, undefined, undefined],
    ];
    for (const [s, m, k] of cases) {
      for (const [, verify] of verifiers) expect(verify(s as Uint8Array, m as Uint8Array, k as Uint8Array)).toBe(false);
    }
  });

  it('S must be strictly below L', () => {
    const L = 2n ** 252n + 27742317777372353535851937790883648493n;
    const withS = (s: bigint): Uint8Array => {
      const sig = new Uint8Array(64);
      for (let i = 0; i < 32; i++) sig[32 + i] = Number((s >> BigInt(8 * i)) & 0xffn);
      return sig;
    };
    expect(isCanonicalEd25519Signature(withS(0n))).toBe(true);
    expect(isCanonicalEd25519Signature(withS(L - 1n))).toBe(true);
    expect(isCanonicalEd25519Signature(withS(L))).toBe(false);
    expect(isCanonicalEd25519Signature(withS(L + 1n))).toBe(false);
    expect(isCanonicalEd25519Signature(withS(2n ** 256n - 1n))).toBe(false);
  });

  it('signing refuses malformed secret keys', () => {
    expect(() => ed25519Sign(Uint8Array.of(1), new Uint8Array(63))).toThrowError(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() => ed25519KeyPairFromSeed(new Uint8Array(31))).toThrowError(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });

  it('generated key pairs are distinct and in tweetnacl layout', () => {
    const a = generateEd25519KeyPair();
    const b = generateEd25519KeyPair();
    expect(toHexStr(a.publicKey)).not.toBe(toHexStr(b.publicKey));
    expect(toHexStr(a.secretKey.subarray(32))).toBe(toHexStr(a.publicKey));
    expect(toHexStr(nacl.sign.keyPair.fromSecretKey(a.secretKey).publicKey)).toBe(toHexStr(a.publicKey));
  });
});
