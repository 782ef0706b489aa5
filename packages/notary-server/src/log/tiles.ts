/**
 * C2SP tlog-tiles resources computed from the in-memory tree and the stored entries
 * (c2sp.org/tlog-tiles; spec/notary.md §1.3). A tile at level L index N of width W holds
 * the hashes of the height-8L nodes 256N … 256N+W−1; an entry bundle is
 * `uint16-BE length ‖ entry` for entries 256N … 256N+W−1. Both are pure functions of the
 * log prefix they cover, hence immutable and cacheable.
 */
import type { MerkleLevels } from './tree.js';

export const TILE_HEIGHT = 8;
export const TILE_W = 256;

/** Tile bytes, or undefined when the log does not (yet) hold that many hashes. */
export function hashTileBytes(tree: MerkleLevels, level: number, index: number, width: number): Buffer | undefined {
  const height = level * TILE_HEIGHT;
  const start = index * TILE_W;
  if (width < 1 || width > TILE_W || start + width > tree.count(height)) return undefined;
  return tree.span(height, start, width);
}

/** Tile widths a log of `size` exposes at each level: full tiles plus the partial one. */
export function tileShape(size: number, level: number): { full: number; partial: number } {
  const nodes = Math.floor(size / TILE_W ** level);
  return { full: Math.floor(nodes / TILE_W), partial: nodes % TILE_W };
}

/** Number of tile levels that hold at least one hash for `size`. */
export function tileLevels(size: number): number {
  let levels = 0;
  while (Math.floor(size / TILE_W ** levels) >= 1) levels += 1;
  return levels;
}

export function encodeBundle(leaves: Uint8Array[]): Buffer {
  const total = leaves.reduce((n, l) => n + 2 + l.length, 0);
  const out = Buffer.alloc(total);
  let at = 0;
  for (const l of leaves) {
    out.writeUInt16BE(l.length, at);
    out.set(l, at + 2);
    at += 2 + l.length;
  }
  return out;
}
