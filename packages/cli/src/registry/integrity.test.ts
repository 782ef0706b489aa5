import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  integrityKey,
  isWeak,
  parseSri,
  sriFromIntegrity,
  sriFromShasum,
  strongest,
  verifyIntegrity,
} from './integrity.js';

const bytes = Buffer.from('tarball bytes');
const b64 = (algo: string, data: Buffer = bytes): string => createHash(algo).update(data).digest('base64');

describe('SRI parsing', () => {
  it('keeps known algorithms, drops options and junk, picks the strongest', () => {
    const list = parseSri(`sha1-${b64('sha1')} md5-xxxx sha512-${b64('sha512')}?opt=1 garbage`);
    expect(list.map((h) => h.algo)).toEqual(['sha1', 'sha512']);
    expect(strongest(list)?.digest).toBe(b64('sha512'));
    expect(isWeak(list)).toBe(false);
    expect(isWeak(parseSri(`sha1-${b64('sha1')}`))).toBe(true);
    expect(isWeak([])).toBe(true);
  });

  it('converts lockfile Integrity records and dist.shasum', () => {
    const hex = createHash('sha256').update(bytes).digest('hex');
    expect(
      sriFromIntegrity([
        { algo: 'sha256', digest: hex, encoding: 'hex', covers: 'npm-tarball' },
        { algo: 'sha256', digest: hex, encoding: 'hex', covers: 'yarn-zip' },
      ]),
    ).toEqual([{ algo: 'sha256', digest: b64('sha256') }]);
    expect(sriFromShasum(createHash('sha1').update(bytes).digest('hex'))).toEqual({
      algo: 'sha1',
      digest: b64('sha1'),
    });
    expect(sriFromShasum('not-hex')).toBeUndefined();
  });
});

describe('verifyIntegrity', () => {
  it('accepts matching bytes and returns the strongest hash', () => {
    const h = verifyIntegrity(bytes, parseSri(`sha1-${b64('sha1')} sha512-${b64('sha512')}`), 'x@1');
    expect(h.algo).toBe('sha512');
    expect(integrityKey(h)).toBe(`sha512-${createHash('sha512').update(bytes).digest('hex')}`);
  });

  it('checks every algorithm, so a good sha512 cannot hide a bad sha1', () => {
    const other = Buffer.from('other');
    expect(() => verifyIntegrity(bytes, parseSri(`sha1-${b64('sha1', other)} sha512-${b64('sha512')}`), 'x@1')).toThrow(
      expect.objectContaining({ code: 'INTEGRITY_MISMATCH' }),
    );
  });

  it('names both digests on mismatch', () => {
    const expected = `sha512-${b64('sha512', Buffer.from('other'))}`;
    try {
      verifyIntegrity(bytes, parseSri(expected), 'x@1');
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({ code: 'INTEGRITY_MISMATCH', details: { expected, actual: `sha512-${b64('sha512')}` } });
    }
  });
});
