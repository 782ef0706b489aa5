/**
 * Writes the tlog-tiles read API as static files under `<data>/static/` so any web server
 * or CDN can serve the log (spec/notary.md §1.3, §9). Every file goes through the durable
 * writer (temp file, fsync, rename, fsync of the folder); full tiles and bundles are written
 * once (immutable); the partial tiles of the current size come next, and the checkpoint is
 * renamed into place last, so a reader
 * never sees a checkpoint whose tiles are missing. The files are a cache: `publishAll`
 * rebuilds them from the database at any time.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { entriesTilePath, tilePath } from '@vet/core';
import { writeFileAtomic, writeFileAtomicSync } from '@vet/core/node';
import type { MerkleLevels } from './tree.js';
import { encodeBundle, hashTileBytes, tileLevels, tileShape, TILE_W } from './tiles.js';

export interface PublishSource {
  tree: MerkleLevels;
  /** Leaves [start, end) in index order. */
  readLeaves(start: number, end: number): Uint8Array[];
}

/** The files to write, in order: tiles and bundles first, the checkpoint last. */
type PublishPlan = [path: string, data: Uint8Array | string][];

/** Creates the tile folders as needed. */
const WRITE = { mkdirMode: 0o777 };

/**
 * Publishes the log at `size` with `checkpoint`, given that everything full up to
 * `fromSize` was already written. Returns the new published size. Synchronous (start-up).
 */
export function publishStatic(
  dir: string,
  src: PublishSource,
  fromSize: number,
  size: number,
  checkpoint: string,
): number {
  for (const [path, data] of publishPlan(dir, src, fromSize, size, checkpoint)) writeFileAtomicSync(path, data, WRITE);
  return size;
}

/**
 * publishStatic with the writes (and their fsyncs) on libuv's thread pool, off the event
 * loop: at load the server's event loop spent ~17 % of its wall time blocked in these
 * fsyncs. The bytes are taken synchronously (the tree only grows); tiles and bundles are
 * written concurrently, the checkpoint only after all of them are in place.
 */
export async function publishStaticAsync(
  dir: string,
  src: PublishSource,
  fromSize: number,
  size: number,
  checkpoint: string,
): Promise<number> {
  const plan = publishPlan(dir, src, fromSize, size, checkpoint);
  const [path, data] = plan.pop()!;
  await Promise.all(plan.map(([p, d]) => writeFileAtomic(p, d, WRITE)));
  await writeFileAtomic(path, data, WRITE);
  return size;
}

function publishPlan(dir: string, src: PublishSource, fromSize: number, size: number, checkpoint: string): PublishPlan {
  const plan: PublishPlan = [];
  for (let level = 0; level < tileLevels(size); level++) {
    const before = tileShape(fromSize, level).full;
    const now = tileShape(size, level);
    for (let n = before; n < now.full; n++) plan.push(hashTile(dir, src, level, n, TILE_W));
    if (now.partial > 0) plan.push(hashTile(dir, src, level, now.full, now.partial));
  }
  const beforeB = tileShape(fromSize, 0).full;
  const nowB = tileShape(size, 0);
  for (let n = beforeB; n < nowB.full; n++) plan.push(bundle(dir, src, n, TILE_W));
  if (nowB.partial > 0) plan.push(bundle(dir, src, nowB.full, nowB.partial));
  plan.push([join(dir, 'checkpoint'), checkpoint]);
  return plan;
}

function hashTile(dir: string, src: PublishSource, level: number, index: number, width: number): PublishPlan[number] {
  const bytes = hashTileBytes(src.tree, level, index, width);
  if (bytes === undefined) throw new Error(`tile ${level}/${index}.p/${width} not available`);
  return [join(dir, tilePath(level, index, width === TILE_W ? undefined : width)), bytes];
}

function bundle(dir: string, src: PublishSource, index: number, width: number): PublishPlan[number] {
  const leaves = src.readLeaves(index * TILE_W, index * TILE_W + width);
  return [join(dir, entriesTilePath(index, width === TILE_W ? undefined : width)), encodeBundle(leaves)];
}

/** Size of the checkpoint already published in `dir`, 0 when there is none. */
export function publishedSize(dir: string): number {
  try {
    const size = readFileSync(join(dir, 'checkpoint'), 'utf8').split('\n')[1] ?? '';
    return /^(0|[1-9]\d*)$/.test(size) ? Number(size) : 0;
  } catch {
    return 0;
  }
}
