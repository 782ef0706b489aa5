/**
 * Measuring a delta over every core (issue 12): the file pairs of two trees are split into
 * batches that worker threads count (diff-worker.ts), results merged in path order. Small
 * diffs, and builds without the worker file (tests running the sources), count in-thread.
 * Workers are started once per process, unref'd (they never keep vet alive) and reused.
 */
import { existsSync } from 'node:fs';
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

/** Counts the pairs' changes on the pool, batches handed to whichever worker is free. */
async function onPool(
  workers: PoolWorker[],
  dirA: string | undefined,
  dirB: string,
  pairs: PathPair[],
  o: DiffTreesOptions,
) {
  const batches: PathPair[][] = [];
  for (let i = 0; i < pairs.length; i += BATCH) batches.push(pairs.slice(i, i + BATCH));
  const results: DiffFile[][] = new Array<DiffFile[]>(batches.length);
  let next = 0;
  const lane = async (w: PoolWorker): Promise<void> => {
    while (next < batches.length) {
      const i = next++;
      results[i] = await run(w, {
        dirA,
        dirB,
        pairs: batches[i]!,
        ...(o.maxEditLength === undefined ? {} : { maxEditLength: o.maxEditLength }),
      });
    }
  };
  await Promise.all(workers.map(lane));
  return results.flat();
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
