/**
 * A diff worker thread (issue 12): counts the changes of a batch of file pairs, so measuring a
 * large delta uses every core. Messages: { id, dirA, dirB, pairs, maxEditLength } in,
 * { id, files } or { id, error } out. The counting code is diff.ts's, the same as in-thread.
 */
import { parentPort } from 'node:worker_threads';
import { diffPairs, type PathPair } from './diff.js';

export interface DiffJob {
  id: number;
  dirA: string | undefined;
  dirB: string;
  pairs: PathPair[];
  maxEditLength?: number;
}

parentPort?.on('message', (job: DiffJob) => {
  try {
    const files = diffPairs(job.dirA, job.dirB, job.pairs, {
      patch: false,
      ...(job.maxEditLength === undefined ? {} : { maxEditLength: job.maxEditLength }),
    }).map((d) => d.file);
    parentPort!.postMessage({ id: job.id, files });
  } catch (e) {
    parentPort!.postMessage({ id: job.id, error: e instanceof Error ? e.message : String(e) });
  }
});
