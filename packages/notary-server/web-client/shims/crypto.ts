/**
 * node:crypto for the browser bundle of core's verifiers. SHA-256 is synchronous here
 * (@noble/hashes; core hashes key ids and tree constants inline). Ed25519 verification is
 * *deferred*: core's verifiers run unchanged — parsing, key matching, the S < L check, which
 * message is signed — and every (message, key, signature) they would check is recorded here
 * and answered "true"; the page then checks each recorded triple with WebCrypto Ed25519
 * (verify.ts `settle`) and fails if any does not verify. Signing and key generation do not
 * exist in the browser.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { Buffer } from 'buffer';

export interface RecordedCheck {
  msg: Uint8Array<ArrayBuffer>;
  publicKey: Uint8Array<ArrayBuffer>;
  sig: Uint8Array<ArrayBuffer>;
}

const recorded: RecordedCheck[] = [];

/** The checks core asked for since the last call. */
export function takeRecordedChecks(): RecordedCheck[] {
  return recorded.splice(0, recorded.length);
}

export function hash(alg: string, data: Uint8Array): Buffer {
  if (alg !== 'sha256') throw new Error(`hash ${alg} is not available in the browser`);
  return Buffer.from(sha256(data));
}

interface PublicKeyObject {
  raw: Uint8Array<ArrayBuffer>;
}

const SPKI_PREFIX_BYTES = 12;

export function createPublicKey(opts: { key: Uint8Array }): PublicKeyObject {
  return { raw: Uint8Array.from(opts.key.subarray(SPKI_PREFIX_BYTES)) };
}

export function verify(_alg: null, msg: Uint8Array, key: PublicKeyObject, sig: Uint8Array): boolean {
  recorded.push({ msg: Uint8Array.from(msg), publicKey: key.raw, sig: Uint8Array.from(sig) });
  return true;
}

function unavailable(): never {
  throw new Error('not available in the browser');
}
export const createPrivateKey = unavailable;
export const sign = unavailable;
export const randomBytes = unavailable;
export type KeyObject = PublicKeyObject;
