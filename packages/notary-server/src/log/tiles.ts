/**
 * C2SP tlog-tiles resources of the live log (c2sp.org/tlog-tiles; spec/notary.md §1.3):
 * hash tiles read straight from the in-memory tree, and the tile geometry and entry-bundle
 * codec of @vet/core (tlog/tiles.ts), which every client decodes with.
 */
import { TILE_HEIGHT, TILE_WIDTH, encodeEntryBundle, hashesAtTileLevel } from '@vet/core';
import type { MerkleLevels } from './tree.js';

export const TILE_W = TILE_WIDTH;

/** Tile bytes, or undefined when the log does not (yet) hold that many hashes. */
export function hashTileBytes(tree: MerkleLevels, level: number, index: number, width: number): Buffer | undefined {
  const height = level * TILE_HEIGHT;
  const start = index * TILE_W;
  if (width < 1 || width > TILE_W || start + width > tree.count(height)) return undefined;
  return tree.span(height, start, width);
}

/** Tile widths a log of `size` exposes at one level: full tiles plus the partial one. */
export function tileShape(size: number, level: number): { full: number; partial: number } {
  const nodes = hashesAtTileLevel(size, level);
  return { full: Math.floor(nodes / TILE_W), partial: nodes % TILE_W };
}

/** Number of tile levels that hold at least one hash for `size`. */
export function tileLevels(size: number): number {
  let levels = 0;
  while (hashesAtTileLevel(size, levels) >= 1) levels += 1;
  return levels;
}

/** An entry bundle (core's codec) as a Buffer for the HTTP layer. */
export function encodeBundle(leaves: Uint8Array[]): Buffer {
  const b = encodeEntryBundle(leaves);
  return Buffer.from(b.buffer, b.byteOffset, b.length);
}
