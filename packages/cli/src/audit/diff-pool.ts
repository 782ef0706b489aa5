/**
 * Measuring a delta over every core (issue 12): the file pairs of two trees are split into
 * batches that worker threads count (diff-worker.ts), results merged in path order. Small
 * diffs, and builds without the worker file (tests running the sources), count in-thread.
 * Workers are started once per process, unref'd (they never keep vet alive) and reused.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  diffPairs,
  pairPaths,
  summarize,
  type DiffFile,
  type DiffTreesOptions,
  type PathPair,
  type TreeDiff,
} from './diff.js';
import type { DiffJob } from './diff-worker.js';

/** Below this many paths a worker's start-up costs more than it saves. */
const MIN_PARALLEL = 200;
const BATCH = 64;
/** A batch stops growing past this many bytes (both sides), so big files spread over the cores. */
const BATCH_BYTES = 2 * 1024 * 1024;

interface PoolWorker {
  worker: Worker;
  /** Jobs sent and not answered: while any, the worker keeps the process alive. */
  inflight: number;
}

let pool: PoolWorker[] | undefined;
let nextId = 0;
const pending = new Map<number, { resolve: (files: DiffFile[]) => void; reject: (e: Error) => void }>();

function workerFile(): string | undefined {
  const file = fileURLToPath(new URL('./diff-worker.js', import.meta.url));
  return existsSync(file) ? file : undefined;
}

function startPool(file: string): PoolWorker[] {
  return Array.from({ length: Math.max(1, availableParallelism()) }, () => {
    const worker = new Worker(file);
    worker.unref();
    worker.on('message', (m: { id: number; files?: DiffFile[]; error?: string }) => {
      const p = pending.get(m.id);
      pending.delete(m.id);
      if (m.files) p?.resolve(m.files);
      else p?.reject(new Error(m.error ?? 'diff worker failed'));
    });
    worker.on('error', (e) => {
      for (const p of pending.values()) p.reject(e);
      pending.clear();
    });
    return { worker, inflight: 0 };
  });
}

function run(w: PoolWorker, job: Omit<DiffJob, 'id'>): Promise<DiffFile[]> {
  const id = nextId++;
  if (w.inflight++ === 0) w.worker.ref();
  return new Promise<DiffFile[]>((resolve, reject) => {
    pending.set(id, { resolve, reject });
    w.worker.postMessage({ ...job, id });
  }).finally(() => {
    if (--w.inflight === 0) w.worker.unref();
  });
}

/** Bytes of a pair on disk (both sides): the proxy for how long counting it takes. */
function pairBytes(dirA: string | undefined, dirB: string, [, realA, realB]: PathPair): number {
  const size = (dir: string | undefined, rel: string | undefined): number => {
    if (dir === undefined || rel === undefined) return 0;
    try {
      return statSync(join(dir, rel)).size;
    } catch {
      return 0;
    }
  };
  return size(dirA, realA) + size(dirB, realB);
}

/**
 * Counts the pairs' changes on the pool, batches handed to whichever worker is free. The
 * largest files go first (longest-processing-time order) and a batch holds at most BATCH
 * pairs or BATCH_BYTES, so one huge file met last cannot leave the other cores idle while
 * it is counted; results come back in path order.
 */
async function onPool(
  workers: PoolWorker[],
  dirA: string | undefined,
  dirB: string,
  pairs: PathPair[],
  o: DiffTreesOptions,
) {
  const weights = pairs.map((p) => pairBytes(dirA, dirB, p));
  const order = pairs.map((_, i) => i).sort((x, y) => weights[y]! - weights[x]! || x - y);
  const batches: number[][] = [];
  let batch: number[] = [];
  let bytes = 0;
  for (const i of order) {
    if (batch.length === BATCH || (batch.length > 0 && bytes + weights[i]! > BATCH_BYTES)) {
      batches.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(i);
    bytes += weights[i]!;
  }
  if (batch.length > 0) batches.push(batch);
  const results: DiffFile[][] = new Array<DiffFile[]>(batches.length);
  let next = 0;
  const lane = async (w: PoolWorker): Promise<void> => {
    while (next < batches.length) {
      const i = next++;
      results[i] = await run(w, {
        dirA,
        dirB,
        pairs: batches[i]!.map((k) => pairs[k]!),
        ...(o.maxEditLength === undefined ? {} : { maxEditLength: o.maxEditLength }),
      });
    }
  };
  await Promise.all(workers.map(lane));
  const at = new Map(pairs.map(([path], i) => [path, i]));
  return results.flat().sort((a, b) => at.get(a.path)! - at.get(b.path)!);
}

/** Counts only (no patch) of dirA → dirB, over the cores when the trees are large. */
export async function measureTrees(
  dirA: string | undefined,
  dirB: string,
  options: Omit<DiffTreesOptions, 'patch'> = {},
): Promise<TreeDiff> {
  const o: DiffTreesOptions = { ...options, patch: false };
  const pairs = pairPaths(dirA, dirB, o);
  const file = pairs.length >= MIN_PARALLEL ? workerFile() : undefined;
  const files =
    file === undefined
      ? diffPairs(dirA, dirB, pairs, o).map((d) => d.file)
      : await onPool((pool ??= startPool(file)), dirA, dirB, pairs, o);
  return { files, stat: summarize(files), patch: '' };
}
