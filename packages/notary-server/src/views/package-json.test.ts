import fc from 'fast-check';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readPackageJson, readTarGzFile } from './package-json.js';
import { crateIndexPath } from './crates.js';

function tar(entries: [string, string][]): Buffer {
  const blocks: Buffer[] = [];
  for (const [name, text] of entries) {
    const h = Buffer.alloc(512);
    h.write(name, 0, 'utf8');
    h.write(Buffer.byteLength(text).toString(8).padStart(11, '0'), 124);
    h.write('0', 156);
    blocks.push(h, Buffer.from(text), Buffer.alloc((512 - (Buffer.byteLength(text) % 512)) % 512));
  }
  return gzipSync(Buffer.concat([...blocks, Buffer.alloc(1024)]));
}

describe('manifests read from archived artifacts', () => {
  it('finds <top>/package.json and <top>/Cargo.toml, nothing deeper', () => {
    const t = tar([
      ['package/lib/package.json', '{"name":"nested"}'],
      ['package/package.json', '{"name":"x","dependencies":{"a":"1"}}'],
      ['c-1.0.0/Cargo.toml', '[package]\nname = "c"\n'],
    ]);
    expect(readPackageJson(t)).toEqual({ name: 'x', dependencies: { a: '1' } });
    expect(readTarGzFile(t, /^[^/]+\/Cargo\.toml$/)).toBe('[package]\nname = "c"\n');
    expect(readPackageJson(tar([['package/package.json', '[1]']]))).toBeUndefined();
  });

  it('never throw on hostile bytes (random, truncated, bad sizes)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), (b) => {
        expect(() => readPackageJson(b)).not.toThrow();
        expect(() => readPackageJson(gzipSync(b))).not.toThrow();
      }),
    );
  });
});

describe('view names', () => {
  it('lay out crate index paths', () => {
    expect(crateIndexPath('a')).toBe('1/a');
    expect(crateIndexPath('ab')).toBe('2/ab');
    expect(crateIndexPath('Abc')).toBe('3/a/abc');
    expect(crateIndexPath('Serde_JSON')).toBe('se/rd/serde_json');
  });
});
