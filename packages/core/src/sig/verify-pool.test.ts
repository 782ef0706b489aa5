/** The Ed25519 engines agree; the worker pool answers as the engine does inline. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHexStr, HAVE_VECTORS, loadVectors } from '../tlog/__fixtures__/vectors.js';
import {
  ed25519Engine,
  ed25519KeyPairFromSeed,
  ed25519Sign,
  ed25519Verifier,
  generateEd25519KeyPair,
  type Ed25519Engine,
} from './ed25519.js';
import { Ed25519VerifyPool } from './verify-pool.js';

const ENGINES: Ed25519Engine[] = ['libsodium', 'openssl', 'tweetnacl'];

describe('Ed25519 engines and the worker pool', () => {
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

  it('libsodium (an optional dependency) loads here; an explicit preference wins', () => {
    expect(ed25519Engine()).toBe('libsodium');
    expect(ed25519Engine('openssl')).toBe('openssl');
  });

  it.each(ENGINES)('%s: the check accepts exactly the valid signatures', (engine) => {
    const check = ed25519Verifier(engine);
    expect(cases.map((c) => check(c.sig, c.msg, c.pk))).toEqual(cases.map((c) => c.ok));
  });

  it.each(['libsodium', 'openssl'] as const)(
    '%s: pool.verify (batched per turn) and verifyBatch agree',
    async (engine) => {
      const pool = new Ed25519VerifyPool({ engine, threads: 2 });
      try {
        const one = await Promise.all(cases.map((c) => pool.verify(c.pk, c.msg, c.sig)));
        expect(one).toEqual(cases.map((c) => c.ok));
        const batch = await pool.verifyBatch(cases.map((c) => ({ publicKey: c.pk, msg: c.msg, sig: c.sig })));
        expect([...batch]).toEqual(cases.map((c) => (c.ok ? 1 : 0)));
        expect(pool.deadWorkers).toBe(0); // the workers answered, not the inline fallback
      } finally {
        await pool.close();
      }
    },
  );

  it('the engines agree on random keys, messages and corrupted signatures', () => {
    const [sodium, openssl, nacl] = ENGINES.map((e) => ed25519Verifier(e));
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
          const verdict = openssl!(sig, m, kp.publicKey);
          return (
            sodium!(sig, m, kp.publicKey) === verdict &&
            nacl!(sig, m, kp.publicKey) === verdict &&
            verdict === (xor === 0)
          );
        },
      ),
      { numRuns: 100 },
    );
  });

  describe.skipIf(!HAVE_VECTORS)('vectors: ed25519/rfc8032.json, on every engine', () => {
    const v = HAVE_VECTORS ? loadVectors('ed25519/rfc8032.json') : undefined;
    it.each(ENGINES)('%s: accepts every positive vector and refuses every negative one, incl. S + L', (engine) => {
      const check = ed25519Verifier(engine);
      for (const t of v.vectors)
        expect(check(fromHexStr(t.signatureHex), fromHexStr(t.messageHex), fromHexStr(t.publicKeyHex)), t.name).toBe(
          true,
        );
      expect(v.negative.some((t: { name: string }) => t.name.includes('S+L'))).toBe(true);
      for (const t of v.negative)
        expect(check(fromHexStr(t.signatureHex), fromHexStr(t.messageHex), fromHexStr(t.publicKeyHex)), t.name).toBe(
          false,
        );
    });
  });
});
