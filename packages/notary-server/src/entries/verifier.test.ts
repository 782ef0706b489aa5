import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ed25519KeyPairFromSeed, ed25519Sign, generateEd25519KeyPair, hashLeaf } from '@vet/core';
import { fromHexStr, HAVE_VECTORS, loadVectors } from '../../../core/src/tlog/__fixtures__/vectors.js';
import { leafHashOf } from './admit.js';
import {
  ed25519Engine,
  ed25519VerifierSync,
  inlineVerifier,
  verifyEd25519Sync,
  workerVerifier,
  type Ed25519Engine,
} from './verifier.js';

const ENGINES: Ed25519Engine[] = ['libsodium', 'openssl'];

describe('Ed25519 verifiers', () => {
  const a = generateEd25519KeyPair();
  const b = generateEd25519KeyPair();
  const msg = (i: number) => new TextEncoder().encode(`message ${i}`);
  // good, wrong key, tampered message, wrong-length signature, wrong-length key
  const cases = Array.from({ length: 40 }, (_, i) => {
    const sig = ed25519Sign(msg(i), a.secretKey);
    switch (i % 5) {
      case 0:
        return { pk: a.publicKey, msg: msg(i), sig, ok: true };
      case 1:
        return { pk: b.publicKey, msg: msg(i), sig, ok: false };
      case 2:
        return { pk: a.publicKey, msg: msg(i + 1), sig, ok: false };
      case 3:
        return { pk: a.publicKey, msg: msg(i), sig: sig.subarray(0, 63), ok: false };
      default:
        return { pk: a.publicKey.subarray(0, 31), msg: msg(i), sig, ok: false };
    }
  });

  it('libsodium (a dependency) is the default engine; VET_NOTARY_ED25519=openssl or a preference selects OpenSSL', () => {
    expect(ed25519Engine()).toBe('libsodium');
    expect(ed25519Engine('openssl')).toBe('openssl');
  });

  it.each(ENGINES)('%s: the sync check accepts exactly the valid signatures', (engine) => {
    const check = ed25519VerifierSync(engine);
    expect(cases.map((c) => check(c.pk, c.msg, c.sig))).toEqual(cases.map((c) => c.ok));
    expect(cases.map((c) => verifyEd25519Sync(c.pk, c.msg, c.sig))).toEqual(cases.map((c) => c.ok));
  });

  it.each(ENGINES)('%s: worker and inline verifiers agree, for checks batched in one turn', async (engine) => {
    for (const v of [workerVerifier(engine), inlineVerifier(engine)]) {
      try {
        const got = await Promise.all(cases.map((c) => v.verify(c.pk, c.msg, c.sig)));
        expect(got).toEqual(cases.map((c) => c.ok));
      } finally {
        await v.close();
      }
    }
  });

  it('the engines agree on random keys, messages and corrupted signatures', () => {
    const sodium = ed25519VerifierSync('libsodium');
    const openssl = ed25519VerifierSync('openssl');
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ maxLength: 200 }),
        fc.nat(63),
        fc.integer({ min: 0, max: 255 }),
        (seed, m, at, xor) => {
          const kp = ed25519KeyPairFromSeed(seed);
          const sig = ed25519Sign(m, kp.secretKey);
          sig[at] = (sig[at] ?? 0) ^ xor;
          const verdict = openssl(kp.publicKey, m, sig);
          return sodium(kp.publicKey, m, sig) === verdict && verdict === (xor === 0);
        },
      ),
      { numRuns: 300 },
    );
  });

  describe.skipIf(!HAVE_VECTORS)('vectors: ed25519/rfc8032.json, on both engines', () => {
    const v = HAVE_VECTORS ? loadVectors('ed25519/rfc8032.json') : undefined;
    it.each(ENGINES)('%s: accepts every positive vector and refuses every negative one, incl. S + L', (engine) => {
      const check = ed25519VerifierSync(engine);
      for (const t of v.vectors)
        expect(
          check(fromHexStr(t.publicKeyHex), fromHexStr(t.messageHex), fromHexStr(t.signatureHex)),
          `${t.name}`,
        ).toBe(true);
      expect(v.negative.some((t: { name: string }) => t.name.includes('S+L'))).toBe(true);
      for (const t of v.negative)
        expect(
          check(fromHexStr(t.publicKeyHex), fromHexStr(t.messageHex), fromHexStr(t.signatureHex)),
          `${t.name}`,
        ).toBe(false);
    });
  });
});

describe('leafHashOf', () => {
  it('is @vet/core hashLeaf', () => {
    for (const n of [0, 1, 100, 5000]) {
      const entry = Uint8Array.from({ length: n }, (_, i) => (i * 7) & 255);
      expect(Buffer.from(leafHashOf(entry)).toString('hex')).toBe(Buffer.from(hashLeaf(entry)).toString('hex'));
    }
  });
});
