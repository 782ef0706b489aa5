import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isVetError } from '@vet/core';
import { downloadUrl, indexPath, parseIndexFile } from './sparse-index.js';

const CK = 'c'.repeat(64);

describe('sparse index files', () => {
  it('reads JSON-lines records, skipping blank and non-record lines as cargo does', () => {
    const text = [
      JSON.stringify({ name: 'serde', vers: '1.0.0', deps: [], cksum: CK, features: {}, yanked: false }),
      '',
      'not json',
      JSON.stringify({ name: 'serde', vers: '1.0.1', cksum: CK, yanked: true, v: 2, features2: {} }),
      JSON.stringify({ name: 'serde' }),
    ].join('\n');
    expect(parseIndexFile(text, 'u')).toEqual([
      { name: 'serde', vers: '1.0.0', cksum: CK, yanked: false },
      { name: 'serde', vers: '1.0.1', cksum: CK, yanked: true },
    ]);
  });

  it('a malformed cksum is an error naming the file', () => {
    expect(() => parseIndexFile(JSON.stringify({ name: 'a', vers: '1', cksum: 'XYZ' }), 'https://i/1/a')).toThrow(
      expect.objectContaining({ code: 'PARSE_ERROR', file: 'https://i/1/a' }),
    );
  });

  it('hostile text never escapes as a raw exception', () => {
    const line = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
      fc
        .record({
          name: fc.jsonValue({ maxDepth: 1 }),
          vers: fc.jsonValue({ maxDepth: 1 }),
          cksum: fc.oneof(fc.constant(CK), fc.string()),
        })
        .map((v) => JSON.stringify(v)),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 6 }), (lines) => {
        try {
          parseIndexFile(lines.join('\n'), 'u');
          return true;
        } catch (e) {
          return isVetError(e) && e.code === 'PARSE_ERROR';
        }
      }),
      { numRuns: 300 },
    );
  });

  it('index paths and download URLs follow cargo’s rules', () => {
    expect(['a', 'cc', 'syn', 'Serde'].map(indexPath)).toEqual(['1/a', '2/cc', '3/s/syn', 'se/rd/serde']);
    expect(downloadUrl('https://dl.example/c/', 'x', '1.0.0+meta', CK)).toBe(
      'https://dl.example/c/x/1.0.0%2Bmeta/download',
    );
    expect(downloadUrl('https://dl.example/{lowerprefix}/{crate}/{version}', 'Syn', '2.0.0', CK)).toBe(
      'https://dl.example/3/s/Syn/2.0.0',
    );
  });
});
