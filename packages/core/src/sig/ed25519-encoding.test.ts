/**
 * The Ed25519 encoding rule (ed25519EncodingProblem) makes every engine decide alike:
 * small-order and non-canonical A and R, and S ≥ L, are refused before any engine runs.
 * Vectors: __fixtures__/ed25519-encoding.json (each with what raw OpenSSL and raw libsodium
 * decide without the rule) and RFC 8032's from ../shared/vectors — on every engine, inline
 * and on the worker pool.
 */
import { readFileSync } from 'node:fs';
import { verify as nodeVerify, createPublicKey } from 'node:crypto';
import { createRequire } from 'node:module';
import { afterAll, describe, expect, it } from 'vitest';
import { fromHexStr, HAVE_VECTORS, loadVectors } from '../tlog/__fixtures__/vectors.js';
import { ed25519EncodingProblem, ed25519Engine, ed25519Verifier, type Ed25519Engine } from './ed25519.js';
import { Ed25519VerifyPool } from './verify-pool.js';

interface EncodingVector {
  name: string;
  rule: string | null;
  publicKeyHex: string;
  signatureHex: string;
  messageHex: string;
  raw: { openssl: boolean; libsodium?: boolean };
}

const VECTORS = (
  JSON.parse(readFileSync(new URL('./__fixtures__/ed25519-encoding.json', import.meta.url), 'utf8')) as {
    vectors: EncodingVector[];
  }
).vectors.map((v) => ({
  ...v,
  pk: fromHexStr(v.publicKeyHex),
  sig: fromHexStr(v.signatureHex),
  msg: fromHexStr(v.messageHex),
}));
const ENGINES: Ed25519Engine[] = ['openssl', 'libsodium', 'tweetnacl'];
const sodium = (() => {
  try {
    return createRequire(import.meta.url)('sodium-native') as {
      crypto_sign_verify_detached(s: Uint8Array, m: Uint8Array, k: Uint8Array): boolean;
    };
  } catch {
    return undefined;
  }
})();
const rawOpenssl = (sig: Uint8Array, msg: Uint8Array, pk: Uint8Array): boolean => {
  try {
    const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), pk]);
    return nodeVerify(null, msg, createPublicKey({ key: spki, format: 'der', type: 'spki' }), sig);
  } catch {
    return false;
  }
};

describe('Ed25519 encoding rule: every engine decides alike', () => {
  it('covers the 8 small-order points in every encoding, R, y ≥ p and S ≥ L', () => {
    const rules = new Set(VECTORS.map((v) => v.rule));
    for (const r of [
      null,
      'small-order public key',
      'small-order R',
      'non-canonical public key: y ≥ p',
      'non-canonical R: y ≥ p',
      'non-canonical: S ≥ L',
    ])
      expect(rules, String(r)).toContain(r);
    expect(VECTORS.filter((v) => v.name.startsWith('A small-order'))).toHaveLength(14);
  });

  it('without the rule the engines disagree: raw OpenSSL accepts what raw libsodium refuses', () => {
    const split = VECTORS.filter((v) => v.rule !== null && rawOpenssl(v.sig, v.msg, v.pk));
    expect(split.length).toBeGreaterThanOrEqual(15);
    for (const v of VECTORS) {
      expect(rawOpenssl(v.sig, v.msg, v.pk), v.name).toBe(v.raw.openssl);
      if (sodium !== undefined && v.raw.libsodium !== undefined)
        expect(sodium.crypto_sign_verify_detached(v.sig, v.msg, v.pk), v.name).toBe(v.raw.libsodium);
    }
  });

  it('the rule names the problem of each vector', () => {
    for (const v of VECTORS) expect(ed25519EncodingProblem(v.sig, v.pk) ?? null, v.name).toBe(v.rule);
  });

  it.each(ENGINES)('%s: accepts only the control, refuses every vector the rule refuses', (engine) => {
    const check = ed25519Verifier(engine);
    for (const v of VECTORS) expect(check(v.sig, v.msg, v.pk), `${engine} ${v.name}`).toBe(v.rule === null);
  });

  it('libsodium loads here, so the libsodium engine is really exercised', () => {
    expect(ed25519Engine('libsodium')).toBe('libsodium');
  });

  const pools = ENGINES.map((engine) => new Ed25519VerifyPool({ threads: 1, engine }));
  afterAll(() => Promise.all(pools.map((p) => p.close())));
  it('the worker pool decides as inline, on every engine', async () => {
    for (const pool of pools) {
      const out = await pool.verifyBatch(VECTORS.map((v) => ({ publicKey: v.pk, msg: v.msg, sig: v.sig })));
      expect([...out], pool.engine).toEqual(VECTORS.map((v) => (v.rule === null ? 1 : 0)));
    }
  });
});

describe.skipIf(!HAVE_VECTORS)('Ed25519 encoding rule on RFC 8032 vectors (../shared/vectors)', () => {
  const v = HAVE_VECTORS
    ? loadVectors<{
        vectors: { name: string; publicKeyHex: string; signatureHex: string; messageHex: string }[];
        negative: { name: string; publicKeyHex: string; signatureHex: string; messageHex: string }[];
      }>('ed25519/rfc8032.json')
    : undefined;
  it.each(ENGINES)('%s: every positive vector verifies and passes the rule, every negative is refused', (engine) => {
    const check = ed25519Verifier(engine);
    for (const t of v!.vectors) {
      const [sig, msg, pk] = [t.signatureHex, t.messageHex, t.publicKeyHex].map(fromHexStr) as [
        Uint8Array,
        Uint8Array,
        Uint8Array,
      ];
      expect(ed25519EncodingProblem(sig, pk), t.name).toBeUndefined();
      expect(check(sig, msg, pk), `${engine} ${t.name}`).toBe(true);
    }
    for (const t of v!.negative)
      expect(check(fromHexStr(t.signatureHex), fromHexStr(t.messageHex), fromHexStr(t.publicKeyHex)), t.name).toBe(
        false,
      );
  });
});
