/** C2SP tlog-tiles paths, tile sets and byte layouts. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeEntryBundle,
  decodeHashTile,
  encodeEntryBundle,
  encodeHashTile,
  entriesTilePath,
  parseTilePath,
  TILE_WIDTH,
  tilePath,
  tilesForTree,
  tilesToWrite,
} from './tiles.js';

const code = (c: string) => expect.objectContaining({ code: c });

describe('tile paths', () => {
  it('encode the index in x-prefixed 3-digit groups (C2SP examples)', () => {
    expect(tilePath(0, 1234067)).toBe('tile/0/x001/x234/067');
    expect(tilePath(0, 5)).toBe('tile/0/005');
    expect(tilePath(0, 0)).toBe('tile/0/000');
    expect(tilePath(0, 1234, 7)).toBe('tile/0/x001/234.p/7');
    expect(tilePath(2, 1000, 255)).toBe('tile/2/x001/000.p/255');
    expect(tilePath(1, 999)).toBe('tile/1/999');
    expect(tilePath(63, 1)).toBe('tile/63/001');
    expect(tilePath(0, 7, TILE_WIDTH)).toBe('tile/0/007'); // a full tile never carries .p/256
    expect(entriesTilePath(273, 112)).toBe('tile/entries/273.p/112');
    expect(entriesTilePath(1234067)).toBe('tile/entries/x001/x234/067');
  });

  it('reject impossible arguments', () => {
    for (const [l, i, w] of [
      [-1, 0],
      [64, 0],
      [0.5, 0],
      [0, -1],
      [0, 1.5],
      [0, 2 ** 53],
      [0, 0, 0],
      [0, 0, 257],
      [0, 0, 1.5],
    ] as [number, number, number?][]) {
      expect(() => tilePath(l, i, w), `${l}/${i}/${w}`).toThrowError(code('INVALID_ARGUMENT'));
    }
    expect(() => entriesTilePath(-3)).toThrowError(code('INVALID_ARGUMENT'));
  });

  it('parse round-trips every encodable (level, index, width)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 63 }),
        fc.oneof(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 0, max: 999_999_999_999_999 })),
        fc.integer({ min: 1, max: 256 }),
        (level, index, width) => {
          expect(parseTilePath(tilePath(level, index, width))).toEqual({ kind: 'hash', level, index, width });
          expect(parseTilePath(entriesTilePath(index, width))).toEqual({ kind: 'entries', index, width });
        },
      ),
    );
  });

  it('parse rejects every non-canonical or foreign spelling', () => {
    const bad = [
      'tile/0/5', // index not zero-padded
      'tile/0/0005',
      'tile/0/x000/005', // leading zero group
      'tile/0/x001', // last group must not carry x
      'tile/0/001/234', // inner group must carry x
      'tile/0/x001/x234', // last group carries x
      'tile/00/000', // level with a leading zero
      'tile/64/000', // level above 63
      'tile/100/000',
      'tile/0/000.p/256', // full tile written as partial
      'tile/0/000.p/300',
      'tile/0/000.p/0',
      'tile/0/000.p/007', // width with leading zeros
      'tile/0/000.p/',
      'tile/0/000.p',
      'tile/0/000/',
      '/tile/0/000',
      'tile/0/000 ',
      'tile/8/0/000', // Go sumdb layout (height segment)
      'tile/8/data/000',
      'tile/data/000',
      'tile/entries/000.p/256',
      'tile/entries/x000/001',
      'tile/-1/000',
      'tile/0/-01',
      'tile/0/x001/x002/x003/x004/x005/006', // beyond safe integers
      'tile/0/０００', // full-width digits
      'tile/0/00a',
      '',
    ];
    for (const p of bad) expect(() => parseTilePath(p), p).toThrowError(code('PARSE_ERROR'));
    expect(() => parseTilePath(42 as unknown as string)).toThrowError(code('PARSE_ERROR'));
  });
});

describe('tilesForTree / tilesToWrite', () => {
  const paths = (size: number): string[] => tilesForTree(size).map((t) => tilePath(t.level, t.index, t.width));

  it('small and boundary sizes (C2SP text examples)', () => {
    expect(paths(0)).toEqual([]);
    expect(paths(1)).toEqual(['tile/0/000.p/1']);
    expect(paths(255)).toEqual(['tile/0/000.p/255']);
    expect(paths(256)).toEqual(['tile/0/000', 'tile/1/000.p/1']);
    expect(paths(257)).toEqual(['tile/0/000', 'tile/0/001.p/1', 'tile/1/000.p/1']);
    expect(paths(65536)).toHaveLength(256 + 1 + 1);
    expect(paths(65536).slice(-2)).toEqual(['tile/1/000', 'tile/2/000.p/1']);
    const big = paths(70_000);
    expect(big).toHaveLength(277);
    expect(big.slice(-4)).toEqual(['tile/0/273.p/112', 'tile/1/000', 'tile/1/001.p/17', 'tile/2/000.p/1']);
  });

  it('tilesToWrite(a, b) is exactly the tiles of b that a does not already have', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 140_000 }), fc.integer({ min: 0, max: 140_000 }), (x, y) => {
        const [a, b] = x <= y ? [x, y] : [y, x];
        const have = new Set(paths(a));
        const want = paths(b).filter((p) => !have.has(p));
        const got = tilesToWrite(a, b).map((t) => tilePath(t.level, t.index, t.width));
        expect(got).toEqual(want);
      }),
      { numRuns: 60 },
    );
    expect(tilesToWrite(5, 5)).toEqual([]);
    expect(() => tilesToWrite(6, 5)).toThrowError(code('INVALID_ARGUMENT'));
    expect(() => tilesToWrite(-1, 5)).toThrowError(code('INVALID_ARGUMENT'));
    expect(() => tilesForTree(2 ** 50)).toThrowError(code('INVALID_ARGUMENT')); // would not fit in memory
    expect(tilesToWrite(2 ** 50, 2 ** 50 + 300).map((t) => [t.level, t.width])).toEqual([
      [0, 256],
      [0, 44],
      [1, 1],
    ]);
  });
});

describe('hash tiles and entry bundles', () => {
  const hash = (i: number): Uint8Array => new Uint8Array(32).fill(i);

  it('hash tile = concatenated hashes, checked on decode', () => {
    const tile = encodeHashTile([hash(1), hash(2), hash(3)]);
    expect(tile.length).toBe(96);
    expect(decodeHashTile(tile, 3).map((h) => h[0])).toEqual([1, 2, 3]);
    expect(() => decodeHashTile(tile, 4)).toThrowError(code('PARSE_ERROR'));
    expect(() => decodeHashTile(tile.subarray(0, 95))).toThrowError(code('PARSE_ERROR'));
    expect(() => decodeHashTile(new Uint8Array(0))).toThrowError(code('PARSE_ERROR'));
    expect(() => decodeHashTile(new Uint8Array(32 * 257))).toThrowError(code('PARSE_ERROR'));
    expect(() => encodeHashTile([])).toThrowError(code('INVALID_ARGUMENT'));
    expect(() => encodeHashTile([new Uint8Array(31)])).toThrowError(code('INVALID_ARGUMENT'));
  });

  it('entry bundle round trip, including empty and maximum-size entries', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { minLength: 1, maxLength: 256 }), (entries) => {
        const back = decodeEntryBundle(encodeEntryBundle(entries), entries.length);
        expect(back.map((e) => Buffer.from(e).toString('hex'))).toEqual(
          entries.map((e) => Buffer.from(e).toString('hex')),
        );
      }),
      { numRuns: 50 },
    );
    const max = new Uint8Array(0xffff).fill(7);
    const bundle = encodeEntryBundle([new Uint8Array(0), max]);
    expect(Array.from(bundle.subarray(0, 4))).toEqual([0, 0, 0xff, 0xff]);
    expect(decodeEntryBundle(bundle)[1]!.length).toBe(0xffff);
  });

  it('entry bundle rejections', () => {
    expect(() => encodeEntryBundle([new Uint8Array(0x10000)])).toThrowError(code('INVALID_ARGUMENT'));
    expect(() => encodeEntryBundle([])).toThrowError(code('INVALID_ARGUMENT'));
    expect(() => encodeEntryBundle(Array.from({ length: 257 }, () => new Uint8Array(1)))).toThrowError(
      code('INVALID_ARGUMENT'),
    );
    const ok = encodeEntryBundle([Uint8Array.of(1, 2, 3), Uint8Array.of(4)]);
    expect(() => decodeEntryBundle(ok.subarray(0, ok.length - 1))).toThrowError(code('PARSE_ERROR')); // truncated entry
    expect(() => decodeEntryBundle(Uint8Array.of(...ok, 0))).toThrowError(code('PARSE_ERROR')); // truncated length
    expect(() => decodeEntryBundle(ok, 3)).toThrowError(code('PARSE_ERROR'));
    expect(() => decodeEntryBundle(new Uint8Array(0))).toThrowError(code('PARSE_ERROR'));
    expect(() => decodeEntryBundle(new Uint8Array(2 * 257))).toThrowError(code('PARSE_ERROR')); // 257 empty entries
  });
});
