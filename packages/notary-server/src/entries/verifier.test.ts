import { describe, expect, it } from 'vitest';
import { ed25519Sign, generateEd25519KeyPair, hashLeaf } from '@vet/core';
import { leafHashOf } from './admit.js';
import { inlineVerifier, verifyEd25519Sync, workerVerifier } from './verifier.js';

describe('Ed25519 verifiers', () => {
  const a = generateEd25519KeyPair();
  const b = generateEd25519KeyPair();
  const msg = (i: number) => new TextEncoder().encode(`message ${i}`);
  // good, wrong key, tampered message, wrong-length signature, wrong-length key
  const cases = Array.from({ length: 40 }, (_, i) => {
    const sig = ed25519Sign(msg(i), a.secretKey);
    switch (i % 5) {
      case 0: return { pk: a.publicKey, msg: msg(i), sig, ok: true };
      case 1: return { pk: b.publicKey, msg: msg(i), sig, ok: false };
      case 2: return { pk: a.publicKey, msg: msg(i + 1), sig, ok: false };
      case 3: return { pk: a.publicKey, msg: msg(i), sig: sig.subarray(0, 63), ok: false };
      default: return { pk: a.publicKey.subarray(0, 31), msg: msg(i), sig, ok: false };
    }
  });

  it('sync check accepts exactly the valid signatures', () => {
    expect(cases.map((c) => verifyEd25519Sync(c.pk, c.msg, c.sig))).toEqual(cases.map((c) => c.ok));
  });

  it('worker and inline verifiers agree with it, for checks batched in one turn', async () => {
    for (const v of [workerVerifier(), inlineVerifier()]) {
      try {
        const got = await Promise.all(cases.map((c) => v.verify(c.pk, c.msg, c.sig)));
        expect(got).toEqual(cases.map((c) => c.ok));
      } finally {
        await v.close();
      }
    }
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
