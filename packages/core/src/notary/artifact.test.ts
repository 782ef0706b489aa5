import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  artifactAddress,
  artifactMatches,
  checkArtifact,
  isArtifactFileName,
  parseArtifactAddress,
  parseArtifactDigest,
} from './artifact.js';

const sri = (algo: string, b: Uint8Array) => `${algo}-${createHash(algo).update(b).digest('base64')}`;

describe('archived artifacts', () => {
  it('match exactly the bytes their digest names', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.uint8Array({ minLength: 1, maxLength: 64 }), (a, flip) => {
        for (const algo of ['sha256', 'sha384', 'sha512']) {
          expect(artifactMatches(a, sri(algo, a))).toBe(true);
          const other = Uint8Array.from(a.length > 0 ? a : [0]);
          other[0] = (other[0]! ^ (flip[0]! | 1)) & 0xff;
          expect(artifactMatches(other, sri(algo, a.length > 0 ? a : Uint8Array.of(0)))).toBe(false);
        }
      }),
    );
  });

  it('refuse a mismatch with INTEGRITY_MISMATCH, and no digest at all', () => {
    const b = Buffer.from('tarball');
    expect(() => checkArtifact(b, [sri('sha512', Buffer.from('other'))], 'x@1')).toThrow(
      expect.objectContaining({ code: 'INTEGRITY_MISMATCH' }),
    );
    expect(() => checkArtifact(b, [], 'x@1')).toThrow(expect.objectContaining({ code: 'INTEGRITY_MISMATCH' }));
    expect(() => checkArtifact(b, [sri('sha512', b), sri('sha256', b)], 'x@1')).not.toThrow();
  });

  it('address sha256 and sha512 approvals, not malformed or truncated digests', () => {
    const b = Buffer.from('x');
    expect(artifactAddress(sri('sha256', b))).toEqual({
      algo: 'sha256',
      hex: createHash('sha256').update(b).digest('hex'),
    });
    expect(artifactAddress(sri('sha384', b))).toBeUndefined();
    expect(parseArtifactDigest('sha512-AAAA')).toBeUndefined();
    expect(parseArtifactDigest('md5-AAAA')).toBeUndefined();
    expect(parseArtifactAddress('sha256', 'AB'.repeat(32))).toBeUndefined();
    expect(parseArtifactAddress('sha1', 'ab'.repeat(20))).toBeUndefined();
    fc.assert(fc.property(fc.string(), (s) => void parseArtifactDigest(s)));
  });

  it('keep only plain artifact file names', () => {
    for (const ok of ['left-pad-1.3.0.tgz', 'idna-3.7-py3-none-any.whl', 'serde-1.0.0.crate', 'x-1.0.tar.gz'])
      expect(isArtifactFileName(ok)).toBe(true);
    for (const bad of ['../x.tgz', 'a/b.tgz', 'x.exe', '.tgz', 'a\nb.whl', 'a..b.whl', ''])
      expect(isArtifactFileName(bad)).toBe(false);
  });
});
