/**
 * C2SP tlog-tiles (v0.1.0): tile paths, which tiles a tree of a given size has, and the
 * byte layout of hash tiles and entry bundles (notary.md §1.3).
 *
 * A level-l tile holds up to 256 hashes of perfect subtrees of 256^l leaves; partial
 * tiles are never hashed into the level above. Paths carry no height segment (unlike Go's
 * sumdb `tile/8/…`) and a full tile never carries `.p/256`.
 */
import { VetError } from '../errors.js';
import { isBytes } from '../sig/bytes.js';
import { MERKLE_HASH_BYTES, rootOf, type NodeAtFn } from './merkle.js';

export const TILE_WIDTH = 256;
/** Height of one tile in tree levels: 256 = 2^8. */
export const TILE_HEIGHT = 8;
export const TILE_MAX_LEVEL = 63;
/** Upper bound on the refs tilesForTree/tilesToWrite return (~2.5 billion leaves). */
const MAX_TILE_REFS = 10_000_000;
/** Entry bundles prefix each entry with a uint16 length. */
export const MAX_ENTRY_BYTES = 0xffff;

/** One tile resource. `width` is 256 for a full tile, 1–255 for a partial one. */
export interface TileRef {
  level: number;
  index: number;
  width: number;
}

export type ParsedTilePath = ({ kind: 'hash' } & TileRef) | { kind: 'entries'; index: number; width: number };

/** `tile/<L>/<N>[.p/<W>]`, e.g. tilePath(0, 1234, 7) = "tile/0/x001/234.p/7". */
export function tilePath(level: number, index: number, partialWidth?: number): string {
  if (!Number.isInteger(level) || level < 0 || level > TILE_MAX_LEVEL) {
    throw new VetError('INVALID_ARGUMENT', `tile level must be 0–${TILE_MAX_LEVEL}, got ${String(level)}`);
  }
  return `tile/${level}/${indexAndWidth(index, partialWidth)}`;
}

/** `tile/entries/<N>[.p/<W>]`: the entries whose leaf hashes form level-0 tile N. */
export function entriesTilePath(index: number, partialWidth?: number): string {
  return `tile/entries/${indexAndWidth(index, partialWidth)}`;
}

function indexAndWidth(index: number, partialWidth: number | undefined): string {
  if (!Number.isSafeInteger(index) || index < 0) {
    throw new VetError('INVALID_ARGUMENT', `tile index must be a non-negative safe integer, got ${String(index)}`);
  }
  const digits = String(index);
  const padded = digits.padStart(Math.ceil(digits.length / 3) * 3, '0');
  const groups = padded.match(/.{3}/g)!;
  const n = groups.map((g, i) => (i < groups.length - 1 ? `x${g}` : g)).join('/');
  if (partialWidth === undefined || partialWidth === TILE_WIDTH) return n;
  if (!Number.isInteger(partialWidth) || partialWidth < 1 || partialWidth > TILE_WIDTH) {
    throw new VetError('INVALID_ARGUMENT', `partial tile width must be 1–255, got ${String(partialWidth)}`);
  }
  return `${n}.p/${partialWidth}`;
}

const TILE_PATH = /^tile\/(entries|0|[1-9][0-9]?)\/((?:x[0-9]{3}\/)*[0-9]{3})(?:\.p\/([1-9][0-9]{0,2}))?$/;

/**
 * Parses a tile path relative to the log prefix. Strict: only the canonical spelling of each
 * (level, index, width) is accepted, so two paths never name the same tile.
 */
export function parseTilePath(path: string): ParsedTilePath {
  const bad = (why: string): VetError =>
    new VetError('PARSE_ERROR', `invalid tile path ${JSON.stringify(path)}: ${why}`);
  if (typeof path !== 'string' || path.length > 64) throw bad('not a tile path');
  const m = TILE_PATH.exec(path);
  if (m === null) throw bad('expected tile/<level>/<index>[.p/<width>]');
  const [, levelText, indexText, widthText] = m as unknown as [string, string, string, string | undefined];
  const groups = indexText.split('/');
  if (groups.length > 1 && groups[0] === 'x000') throw bad('index has a leading zero group');
  if (groups.length > 5) throw bad('index too large');
  const index = Number(groups.map((g) => g.replace('x', '')).join(''));
  const width = widthText === undefined ? TILE_WIDTH : Number(widthText);
  if (widthText !== undefined && width >= TILE_WIDTH) throw bad('partial width must be 1–255 (a full tile has no .p/)');
  if (levelText === 'entries') return { kind: 'entries', index, width };
  const level = Number(levelText);
  if (level > TILE_MAX_LEVEL) throw bad(`level above ${TILE_MAX_LEVEL}`);
  return { kind: 'hash', level, index, width };
}

/** Number of level-`level` hashes a tree of `size` leaves has: floor(size / 256^level). */
export function hashesAtTileLevel(size: number, level: number): number {
  return Math.floor(size / TILE_WIDTH ** level);
}

/**
 * Every hash tile of a tree of `size` leaves, level by level, full tiles then the partial
 * one (if any). Entry bundles mirror the level-0 tiles. Lists size/256 refs: for huge trees
 * prefer tilesToWrite over a window.
 */
export function tilesForTree(size: number): TileRef[] {
  return tilesToWrite(0, size);
}

/**
 * The tiles whose content differs between tree sizes oldSize and newSize: what a log must
 * (re)write after growing, and what a mirror must fetch. Includes tiles that became full.
 */
export function tilesToWrite(oldSize: number, newSize: number): TileRef[] {
  requireSize(oldSize);
  requireSize(newSize);
  if (oldSize > newSize) throw new VetError('INVALID_ARGUMENT', `tree cannot shrink from ${oldSize} to ${newSize}`);
  // About (new − old)/255 refs; refuse to build a list that cannot fit in memory.
  if ((newSize - oldSize) / (TILE_WIDTH - 1) > MAX_TILE_REFS) {
    throw new VetError(
      'INVALID_ARGUMENT',
      `too many tiles between sizes ${oldSize} and ${newSize}; work in smaller windows`,
    );
  }
  const tiles: TileRef[] = [];
  for (let level = 0; level <= TILE_MAX_LEVEL; level++) {
    const before = hashesAtTileLevel(oldSize, level);
    const after = hashesAtTileLevel(newSize, level);
    if (after === 0) break;
    if (after === before) continue;
    const first = Math.floor(before / TILE_WIDTH);
    const last = Math.floor((after - 1) / TILE_WIDTH);
    for (let index = first; index <= last; index++) {
      tiles.push({ level, index, width: Math.min(TILE_WIDTH, after - index * TILE_WIDTH) });
    }
  }
  return tiles;
}

/** Concatenation of 32-byte hashes (at most 256). */
export function encodeHashTile(hashes: readonly Uint8Array[]): Uint8Array {
  if (hashes.length < 1 || hashes.length > TILE_WIDTH || !hashes.every((h) => isBytes(h, MERKLE_HASH_BYTES))) {
    throw new VetError('INVALID_ARGUMENT', 'a hash tile holds 1–256 hashes of 32 bytes');
  }
  const out = new Uint8Array(hashes.length * MERKLE_HASH_BYTES);
  hashes.forEach((h, i) => out.set(h, i * MERKLE_HASH_BYTES));
  return out;
}

/** Splits a hash tile; with `width`, the tile must hold exactly that many hashes. */
export function decodeHashTile(bytes: Uint8Array, width?: number): Uint8Array[] {
  const count = bytes.length / MERKLE_HASH_BYTES;
  if (!Number.isInteger(count) || count < 1 || count > TILE_WIDTH) {
    throw new VetError('PARSE_ERROR', `hash tile of ${bytes.length} bytes is not 1–256 hashes of 32 bytes`);
  }
  if (width !== undefined && count !== width) {
    throw new VetError('PARSE_ERROR', `hash tile has ${count} hashes, expected ${width}`);
  }
  return Array.from({ length: count }, (_, i) => bytes.slice(i * MERKLE_HASH_BYTES, (i + 1) * MERKLE_HASH_BYTES));
}

/** Entry bundle: each entry as uint16 big-endian length ‖ bytes (at most 256 entries). */
export function encodeEntryBundle(entries: readonly Uint8Array[]): Uint8Array {
  if (entries.length < 1 || entries.length > TILE_WIDTH) {
    throw new VetError('INVALID_ARGUMENT', 'an entry bundle holds 1–256 entries');
  }
  let length = 0;
  for (const e of entries) {
    if (!isBytes(e) || e.length > MAX_ENTRY_BYTES) {
      throw new VetError('INVALID_ARGUMENT', `log entries are at most ${MAX_ENTRY_BYTES} bytes`);
    }
    length += 2 + e.length;
  }
  const out = new Uint8Array(length);
  let at = 0;
  for (const e of entries) {
    out[at] = e.length >> 8; // safe: e.length ≤ 0xffff
    out[at + 1] = e.length & 0xff;
    out.set(e, at + 2);
    at += 2 + e.length;
  }
  return out;
}

/**
 * Parses an entry bundle strictly; with `width`, it must hold exactly that many entries.
 * `views`: the entries are views into `bytes` (no copies: an import reads 100k entries).
 */
export function decodeEntryBundle(bytes: Uint8Array, width?: number, opts: { views?: boolean } = {}): Uint8Array[] {
  const entries: Uint8Array[] = [];
  let at = 0;
  while (at < bytes.length) {
    if (entries.length === TILE_WIDTH) throw new VetError('PARSE_ERROR', 'entry bundle holds more than 256 entries');
    if (at + 2 > bytes.length)
      throw new VetError('PARSE_ERROR', `entry bundle truncated in a length prefix at byte ${at}`);
    const length = bytes[at]! * 256 + bytes[at + 1]!;
    if (at + 2 + length > bytes.length)
      throw new VetError('PARSE_ERROR', `entry bundle truncated in entry ${entries.length}`);
    entries.push(opts.views ? bytes.subarray(at + 2, at + 2 + length) : bytes.slice(at + 2, at + 2 + length));
    at += 2 + length;
  }
  if (entries.length === 0) throw new VetError('PARSE_ERROR', 'entry bundle is empty');
  if (width !== undefined && entries.length !== width) {
    throw new VetError('PARSE_ERROR', `entry bundle has ${entries.length} entries, expected ${width}`);
  }
  return entries;
}

/**
 * Builds hash tile (level, index, width) from stored perfect-subtree hashes: entry i is the
 * node at tree level 8·level, index 256·index + i.
 */
export function buildHashTile(tile: TileRef, nodeAt: NodeAtFn): Uint8Array {
  const hashes: Uint8Array[] = [];
  for (let i = 0; i < tile.width; i++) hashes.push(nodeAt(TILE_HEIGHT * tile.level, TILE_WIDTH * tile.index + i));
  return encodeHashTile(hashes);
}

/**
 * Node (height, index) from tiles (notary.md §1.3): with t = ⌊height/8⌋, r = height − 8t it is
 * the root of the 2^r level-t tile entries starting at index·2^r. `tileHashes(level, index)`
 * returns that tile's decoded hashes (full, or a partial tile that is wide enough).
 */
export function nodeHashFromTiles(
  height: number,
  index: number,
  tileHashes: (level: number, index: number) => readonly Uint8Array[],
): Uint8Array {
  if (
    !Number.isInteger(height) ||
    height < 0 ||
    height >= TILE_HEIGHT * (TILE_MAX_LEVEL + 1) ||
    !Number.isSafeInteger(index) ||
    index < 0
  ) {
    throw new VetError('INVALID_ARGUMENT', `no tree node (${String(height)}, ${String(index)})`);
  }
  const t = Math.floor(height / TILE_HEIGHT);
  const span = 2 ** (height - TILE_HEIGHT * t);
  const first = index * span;
  const offset = first % TILE_WIDTH;
  const hashes = tileHashes(t, Math.floor(first / TILE_WIDTH));
  if (hashes.length < offset + span) {
    throw new VetError(
      'LOG_INCONSISTENT',
      `tile ${tilePath(t, Math.floor(first / TILE_WIDTH))} is too narrow for node (${height}, ${index})`,
    );
  }
  return rootOf(hashes.slice(offset, offset + span));
}

function requireSize(size: number): void {
  if (!Number.isSafeInteger(size) || size < 0) {
    throw new VetError('INVALID_ARGUMENT', `tree size must be a non-negative safe integer, got ${String(size)}`);
  }
}
