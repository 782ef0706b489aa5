/**
 * Byte helpers shared by the signature and log code: strict base64, strict UTF-8, hex.
 *
 * Node's `Buffer.from(s, 'base64')` silently skips junk, accepts the URL-safe alphabet and
 * non-canonical trailing bits, and `Buffer.toString('utf8')` substitutes U+FFFD
 * (notary.md §11). Signed formats need one spelling per value, so these helpers
 * validate first and re-encode to compare.
 */
import { Buffer, isUtf8 } from 'node:buffer';
import { hash } from 'node:crypto';

const STD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const HEX = /^(?:[0-9a-f]{2})*$/;
const fatalUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf8Encoder = new TextEncoder();

export function utf8Encode(text: string): Uint8Array {
  return utf8Encoder.encode(text);
}

/** Decodes UTF-8, returning undefined on any invalid sequence (never U+FFFD substitution). */
export function utf8DecodeStrict(bytes: Uint8Array): string | undefined {
  try {
    return fatalUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** True when the bytes are well-formed UTF-8 (simdutf; no decoding). */
export function isUtf8Bytes(bytes: Uint8Array): boolean {
  return isUtf8(bytes);
}

/** SHA-256, one-shot (a Hash object per call costs more than hashing a small message). */
export function sha256(data: Uint8Array): Uint8Array {
  return hash('sha256', data, 'buffer');
}

/** True when the string contains an unpaired UTF-16 surrogate (not representable as UTF-8). */
export function hasLoneSurrogate(text: string): boolean {
  return /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}

/** Standard base64 with padding (RFC 4648 §4). */
export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** Standard padded base64 only, canonical trailing bits; undefined otherwise. */
export function decodeBase64Strict(text: string): Uint8Array | undefined {
  if (!STD_BASE64.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  if (bytes.toString('base64') !== text) return undefined;
  return new Uint8Array(bytes);
}

/**
 * DSSE base64 (notary.md §6): the standard or the URL-safe alphabet (not both in one
 * string), with exact padding or none, and canonical trailing bits — the decoded bytes must
 * re-encode to the same characters, so `QQ=` (where `QQ==` is due) and junk are refused.
 * Decode and compare, no regex passes: this runs over every payload of a log.
 */
export function decodeBase64Dsse(text: string): Uint8Array | undefined {
  const urlSafe = text.includes('-') || text.includes('_');
  if (urlSafe && (text.includes('+') || text.includes('/'))) return undefined;
  const std = urlSafe ? text.replace(/-/g, '+').replace(/_/g, '/') : text;
  const bytes = Buffer.from(std, 'base64');
  const again = bytes.toString('base64');
  if (again !== std) {
    const pad = again.length - std.length;
    if (std.endsWith('=') || pad < 1 || pad > 2 || !again.startsWith(std)) return undefined;
  }
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** Lowercase hex only; undefined otherwise. */
export function fromHex(text: string): Uint8Array | undefined {
  if (!HEX.test(text)) return undefined;
  return new Uint8Array(Buffer.from(text, 'hex'));
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function isBytes(value: unknown, length?: number): value is Uint8Array {
  return value instanceof Uint8Array && (length === undefined || value.length === length);
}
