/**
 * Writes the tlog-tiles read API as static files to a target (static-target.ts) so any web
 * server, object store or CDN can serve the log (spec/notary.md §1.3, §9). Full tiles and
 * bundles are written once and marked immutable; the partial tiles of the current size come
 * next, and the checkpoint is written last, so a reader never sees a checkpoint whose tiles
 * are missing. `v1/keys` (the admin key a first `vet import` pins) is written with the
 * first publication of a process, so the static copy alone serves a full import. The files
 * are a cache: a publication from size 0 rebuilds them from the database at any time.
 */
import { entriesTilePath, tilePath } from '@vet/core';
import type { MerkleLevels } from './tree.js';
import type { StaticFile, StaticTarget } from './static-target.js';
import { encodeBundle, hashTileBytes, tileLevels, tileShape, TILE_W } from './tiles.js';

export interface PublishSource {
  tree: MerkleLevels;
  /** Leaves [start, end) in index order. */
  readLeaves(start: number, end: number): Uint8Array[];
  /** The JSON of GET /v1/keys, published next to the tiles. */
  keysJson?: string;
}

/** What one publication writes: sizes and the checkpoint note of `size`. */
export interface Publication {
  fromSize: number;
  size: number;
  checkpoint: string;
  /** Also write v1/keys (the first publication of a process). */
  withKeys: boolean;
}

/** c2sp.org/tlog-tiles: immutable resources may be cached for ever; the checkpoint a few seconds. */
export const CACHE_IMMUTABLE = 'public, max-age=31536000, immutable';
export const CACHE_PARTIAL = 'public, max-age=60';
export const CACHE_CHECKPOINT = 'no-cache';
const OCTETS = 'application/octet-stream';

/** Publishes synchronously (a directory at start-up). Returns the new published size. */
export function publishStatic(target: StaticTarget, src: PublishSource, p: Publication): number {
  const sync = target.sync;
  if (sync === undefined) throw new Error(`${target.where} cannot be written synchronously`);
  for (const f of publishPlan(src, p)) sync.write(f);
  return p.size;
}

/**
 * Publishes off the event loop: the bytes are taken synchronously (the tree only grows);
 * tiles and bundles are written concurrently (for a directory, their fsyncs run on libuv's
 * thread pool: at load they once blocked the event loop ~17 % of its wall time), the
 * checkpoint only after all of them are in place.
 */
export async function publishStaticAsync(target: StaticTarget, src: PublishSource, p: Publication): Promise<number> {
  const plan = publishPlan(src, p);
  const checkpoint = plan.pop()!;
  await Promise.all(plan.map((f) => target.write(f)));
  // A shared target (a bucket several instances may write) never gets an older checkpoint back:
  // an instance that stopped sequencing, or was paused, finds a larger one there and leaves it.
  if (target.sync === undefined && (await target.publishedSize()) > p.size) return p.size;
  await target.write(checkpoint);
  return p.size;
}

function publishPlan(src: PublishSource, p: Publication): StaticFile[] {
  const { fromSize, size } = p;
  const plan: StaticFile[] = [];
  for (let level = 0; level < tileLevels(size); level++) {
    const before = tileShape(fromSize, level).full;
    const now = tileShape(size, level);
    for (let n = before; n < now.full; n++) plan.push(hashTile(src, level, n, TILE_W));
    if (now.partial > 0) plan.push(hashTile(src, level, now.full, now.partial));
  }
  const beforeB = tileShape(fromSize, 0).full;
  const nowB = tileShape(size, 0);
  for (let n = beforeB; n < nowB.full; n++) plan.push(bundle(src, n, TILE_W));
  if (nowB.partial > 0) plan.push(bundle(src, nowB.full, nowB.partial));
  if (p.withKeys && src.keysJson !== undefined)
    plan.push({ path: 'v1/keys', data: src.keysJson, contentType: 'application/json', cacheControl: 'no-cache' });
  plan.push({
    path: 'checkpoint',
    data: p.checkpoint,
    contentType: 'text/plain; charset=utf-8',
    cacheControl: CACHE_CHECKPOINT,
  });
  return plan;
}

function hashTile(src: PublishSource, level: number, index: number, width: number): StaticFile {
  const bytes = hashTileBytes(src.tree, level, index, width);
  if (bytes === undefined) throw new Error(`tile ${level}/${index}.p/${width} not available`);
  return tileFile(tilePath(level, index, width === TILE_W ? undefined : width), bytes, width);
}

function bundle(src: PublishSource, index: number, width: number): StaticFile {
  const leaves = src.readLeaves(index * TILE_W, index * TILE_W + width);
  return tileFile(entriesTilePath(index, width === TILE_W ? undefined : width), encodeBundle(leaves), width);
}

function tileFile(path: string, data: Uint8Array, width: number): StaticFile {
  return { path, data, contentType: OCTETS, cacheControl: width === TILE_W ? CACHE_IMMUTABLE : CACHE_PARTIAL };
}
