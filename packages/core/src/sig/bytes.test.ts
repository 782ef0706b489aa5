/** Strict encodings: one spelling per value (notary.md §11 traps with Buffer). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeBase64Dsse,
  decodeBase64Strict,
  encodeBase64,
  fromHex,
  hasLoneSurrogate,
  utf8DecodeStrict,
} from './bytes.js';

describe('base64', () => {
  it('strict decoding accepts exactly the canonical padded standard encoding', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (b) => {
        const s = encodeBase64(b);
        expect(decodeBase64Strict(s)).toEqual(b);
        expect(decodeBase64Dsse(s)).toEqual(b);
        expect(decodeBase64Dsse(s.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_'))).toEqual(b);
      }),
    );
    for (const bad of [
      'QQ',
      'QQ=',
      'QR==',
      'Q===',
      'QQ==\n',
      ' QQ==',
      'QQ==QQ==',
      'Q-==',
      'Q_==',
      'Q Q=',
      'QUJD*',
      '====',
    ]) {
      expect(decodeBase64Strict(bad), bad).toBeUndefined();
    }
  });

  it('DSSE decoding still rejects junk and non-canonical trailing bits', () => {
    for (const bad of ['QR', 'QR==', 'Q', 'QUJD*', 'QQ===', 'Q Q', 'QQ=A', 'QQ=', '+_8=', '-/8='])
      expect(decodeBase64Dsse(bad), bad).toBeUndefined();
    expect(decodeBase64Dsse('')).toEqual(new Uint8Array(0));
    for (const ok of ['QQ==', 'QQ', 'QUI=', 'QUI', 'QUJD', '-_8', '-_8=', '+/8='])
      expect(decodeBase64Dsse(ok), ok).toBeDefined();
  });
});

describe('utf-8 and hex', () => {
  it('invalid UTF-8 is refused instead of replaced with U+FFFD', () => {
    expect(utf8DecodeStrict(Uint8Array.of(0xe2, 0x80, 0x94))).toBe('—');
    expect(utf8DecodeStrict(Uint8Array.of(0xe2, 0x80))).toBeUndefined();
    expect(utf8DecodeStrict(Uint8Array.of(0xc0, 0xaf))).toBeUndefined(); // overlong "/"
    expect(hasLoneSurrogate('a\ud800b')).toBe(true);
    expect(hasLoneSurrogate('a\udc00')).toBe(true);
    expect(hasLoneSurrogate('😀')).toBe(false);
  });

  it('hex is lowercase and even-length only', () => {
    expect(fromHex('00ff')).toEqual(Uint8Array.of(0, 255));
    for (const bad of ['0', '00FF', '0g', ' 00']) expect(fromHex(bad), bad).toBeUndefined();
  });
});
