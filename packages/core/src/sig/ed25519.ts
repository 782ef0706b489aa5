/**
 * Pure Ed25519 (RFC 8032 §5.1: no pre-hash, no context), the only signature scheme
 * vet's notes, checkpoints and DSSE envelopes use.
 *
 * Keys use tweetnacl's layout (public 32 bytes; secret 64 = seed ‖ public) so the
 * implementations are interchangeable, but signing and verifying go through node:crypto
 * (OpenSSL) by default, which is ~40× faster than tweetnacl here (notary.md §11; see
 * bench/ed25519-verify.mjs). This is the one verification module of vet: the notary's
 * workers, `vet-notary verify` and every client's replay pick an engine here.
 *
 * One encoding rule runs before any engine (ed25519EncodingProblem), so every engine
 * decides alike: S < L (RFC 8032 §5.1.7; tweetnacl 1.0.3 omits it, and without it
 * signatures are malleable); A and R canonical (y < p = 2^255 − 19) and not of small order
 * (one of the 8 points of order 1, 2, 4 or 8, in any encoding). libsodium refuses these
 * itself, OpenSSL accepts a small-order A or R whose equation holds (with A = the identity,
 * one signature verifies for every message) — without the rule, admission on libsodium and
 * a replay on OpenSSL could disagree.
 */
import { createPrivateKey, createPublicKey, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import { Buffer } from 'node:buffer';
import { createRequire } from 'node:module';
import nacl from 'tweetnacl';
import { VetError } from '../errors.js';
import { concatBytes, isBytes } from './bytes.js';

export const ED25519_PUBLIC_KEY_BYTES = 32;
export const ED25519_SECRET_KEY_BYTES = 64;
export const ED25519_SEED_BYTES = 32;
export const ED25519_SIGNATURE_BYTES = 64;

export interface Ed25519KeyPair {
  /** 32-byte public key. */
  publicKey: Uint8Array;
  /** 64 bytes: 32-byte seed ‖ 32-byte public key (tweetnacl layout). */
  secretKey: Uint8Array;
}

// DER prefixes wrapping a raw 32-byte key (RFC 8410): SPKI for public, PKCS#8 for private.
const SPKI_PREFIX = Uint8Array.from([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]);
const PKCS8_PREFIX = Uint8Array.from([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
]);

/*
 * The y coordinates (little-endian, sign bit of x masked) of the 8 small-order points,
 * canonical and not (libsodium's ge25519_has_small_order list): 0 (order 4), 1 (order 1),
 * the two order-8 y values, p − 1 (order 2), p (≡ 0) and p + 1 (≡ 1).
 */
const SMALL_ORDER_Y: readonly Uint8Array[] = [
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0100000000000000000000000000000000000000000000000000000000000000',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
].map((hex) => Uint8Array.from(Buffer.from(hex, 'hex')));

// The group order L = 2^252 + 27742317777372353535851937790883648493, little-endian.
const ORDER_L = Uint8Array.from([
  0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0x10,
]);

/** A fresh random key pair (seed from node:crypto's CSPRNG). */
export function generateEd25519KeyPair(): Ed25519KeyPair {
  return ed25519KeyPairFromSeed(new Uint8Array(randomBytes(ED25519_SEED_BYTES)));
}

/** Deterministic key pair from a 32-byte seed (RFC 8032 "secret key"). */
export function ed25519KeyPairFromSeed(seed: Uint8Array): Ed25519KeyPair {
  if (!isBytes(seed, ED25519_SEED_BYTES)) {
    throw new VetError('INVALID_ARGUMENT', `Ed25519 seed must be ${ED25519_SEED_BYTES} bytes`);
  }
  const jwk = createPublicKey(privateKeyObject(seed)).export({ format: 'jwk' });
  const publicKey = new Uint8Array(Buffer.from(String(jwk.x), 'base64url'));
  return { publicKey, secretKey: concatBytes(seed, publicKey) };
}

/** Signs `msg` with a 64-byte tweetnacl-layout secret key (or a bare 32-byte seed); the seed half is authoritative. */
export function ed25519Sign(msg: Uint8Array, secretKey: Uint8Array): Uint8Array {
  if (!isBytes(secretKey, ED25519_SECRET_KEY_BYTES) && !isBytes(secretKey, ED25519_SEED_BYTES)) {
    throw new VetError('INVALID_ARGUMENT', 'Ed25519 secret key must be 64 bytes (seed ‖ public key)');
  }
  return new Uint8Array(sign(null, msg, privateKeyObject(secretKey.subarray(0, ED25519_SEED_BYTES))));
}

/** Verifies with node:crypto (OpenSSL). Never throws: wrong lengths, bad keys and what the encoding rule refuses give false. */
export const ed25519Verify: Ed25519VerifyFn = (sig, msg, publicKey) => {
  if (!preChecks(sig, msg, publicKey)) return false;
  try {
    const key = publicKeyObject(publicKey);
    return key !== undefined && verify(null, msg, key, sig);
  } catch {
    return false;
  }
};

/** Same contract as ed25519Verify, on tweetnacl (slow: cross-checks and the benchmark). */
export const ed25519VerifyTweetnacl: Ed25519VerifyFn = (sig, msg, publicKey) => {
  if (!preChecks(sig, msg, publicKey)) return false;
  try {
    return nacl.sign.detached.verify(msg, sig, publicKey);
  } catch {
    return false;
  }
};

/**
 * The engines that check Ed25519 signatures, all with the same contract (never throw; the
 * encoding rule applied first, so they decide alike): OpenSSL through node:crypto (every
 * client's default), libsodium through the optional `sodium-native` addon where it loads
 * (faster here), tweetnacl.
 */
export type Ed25519Engine = 'openssl' | 'libsodium' | 'tweetnacl';
export type Ed25519VerifyFn = (sig: Uint8Array, msg: Uint8Array, publicKey: Uint8Array) => boolean;

interface Sodium {
  crypto_sign_verify_detached(sig: Uint8Array, msg: Uint8Array, pk: Uint8Array): boolean;
}

const requireHere = createRequire(import.meta.url);
let sodium: Sodium | null | undefined;

function loadSodium(): Sodium | undefined {
  if (sodium === undefined) {
    try {
      const mod = requireHere('sodium-native') as Partial<Sodium>;
      sodium = typeof mod.crypto_sign_verify_detached === 'function' ? (mod as Sodium) : null;
    } catch {
      sodium = null; // absent, or no prebuilt binary for this platform
    }
  }
  return sodium ?? undefined;
}

/** `prefer`, else libsodium where it loads, else OpenSSL. */
export function ed25519Engine(prefer?: Ed25519Engine): Ed25519Engine {
  if (prefer !== undefined && prefer !== 'libsodium') return prefer;
  return loadSodium() !== undefined ? 'libsodium' : 'openssl';
}

/** The check of one engine; libsodium falls back to OpenSSL where the addon does not load. */
export function ed25519Verifier(engine: Ed25519Engine = 'openssl'): Ed25519VerifyFn {
  if (engine === 'tweetnacl') return ed25519VerifyTweetnacl;
  const lib = engine === 'libsodium' ? loadSodium() : undefined;
  if (lib === undefined) return ed25519Verify;
  return (sig, msg, publicKey) =>
    preChecks(sig, msg, publicKey) && lib.crypto_sign_verify_detached(view(sig), view(msg), view(publicKey));
}

/** RFC 8032 §5.1.7: the scalar S (second half, little-endian) must be < L. */
export function isCanonicalEd25519Signature(sig: Uint8Array): boolean {
  if (!isBytes(sig, ED25519_SIGNATURE_BYTES)) return false;
  for (let i = 31; i >= 0; i--) {
    const s = sig[32 + i]!;
    const l = ORDER_L[i]!;
    if (s !== l) return s < l;
  }
  return false; // S == L
}

/** Why the encoding rule refuses (sig, publicKey) before any engine runs; undefined: it does not. */
export function ed25519EncodingProblem(sig: Uint8Array, publicKey: Uint8Array): string | undefined {
  if (!isBytes(sig, ED25519_SIGNATURE_BYTES)) return 'the signature is not 64 bytes';
  if (!isBytes(publicKey, ED25519_PUBLIC_KEY_BYTES)) return 'the public key is not 32 bytes';
  if (!isCanonicalEd25519Signature(sig)) return 'non-canonical: S ≥ L';
  const keyProblem = ed25519PublicKeyProblem(publicKey);
  if (keyProblem !== undefined) return keyProblem;
  if (!isCanonicalPoint(sig, 0)) return 'non-canonical R: y ≥ p';
  if (isSmallOrderPoint(sig, 0)) return 'small-order R';
  return undefined;
}

/**
 * Why a public key can never pass the encoding rule (so a notary refuses to register it):
 * not 32 bytes, y ≥ p, or one of the 8 small-order points; undefined: it is usable.
 */
export function ed25519PublicKeyProblem(publicKey: Uint8Array): string | undefined {
  if (!isBytes(publicKey, ED25519_PUBLIC_KEY_BYTES)) return 'the public key is not 32 bytes';
  if (!isCanonicalPoint(publicKey, 0)) return 'non-canonical public key: y ≥ p';
  if (isSmallOrderPoint(publicKey, 0)) return 'small-order public key';
  return undefined;
}

/** The 32-byte point encoding at `at` has y < p (bytes 0..31 little-endian, bit 255 is x's sign). */
function isCanonicalPoint(b: Uint8Array, at: number): boolean {
  if ((b[at + 31]! & 0x7f) !== 0x7f) return true;
  for (let i = 30; i > 0; i--) if (b[at + i] !== 0xff) return true;
  return b[at]! < 0xed;
}

/** The 32-byte point encoding at `at` is one of the 8 small-order points, in any encoding. */
function isSmallOrderPoint(b: Uint8Array, at: number): boolean {
  next: for (const y of SMALL_ORDER_Y) {
    if ((b[at + 31]! & 0x7f) !== y[31]) continue;
    for (let i = 0; i < 31; i++) if (b[at + i] !== y[i]) continue next;
    return true;
  }
  return false;
}

function preChecks(sig: unknown, msg: unknown, publicKey: unknown): sig is Uint8Array {
  return (
    isBytes(sig, ED25519_SIGNATURE_BYTES) &&
    isBytes(msg) &&
    isBytes(publicKey, ED25519_PUBLIC_KEY_BYTES) &&
    ed25519EncodingProblem(sig, publicKey) === undefined
  );
}

function view(u8: Uint8Array): Buffer {
  return Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength);
}

function privateKeyObject(seed: Uint8Array): KeyObject {
  return createPrivateKey({ key: Buffer.from(concatBytes(PKCS8_PREFIX, seed)), format: 'der', type: 'pkcs8' });
}

// Importing a public key costs about as much as a verification, and a log replay checks
// many signatures by few keys, so keep a small cache of imported keys.
const PUBLIC_KEY_CACHE_LIMIT = 10_000;
const publicKeyCache = new Map<string, KeyObject | undefined>();

function publicKeyObject(publicKey: Uint8Array): KeyObject | undefined {
  const id = view(publicKey).toString('hex');
  if (publicKeyCache.has(id)) return publicKeyCache.get(id);
  let key: KeyObject | undefined;
  try {
    key = createPublicKey({ key: Buffer.from(concatBytes(SPKI_PREFIX, publicKey)), format: 'der', type: 'spki' });
  } catch {
    key = undefined; // not a valid encoding of a curve point
  }
  if (publicKeyCache.size >= PUBLIC_KEY_CACHE_LIMIT) publicKeyCache.clear();
  publicKeyCache.set(id, key);
  return key;
}
