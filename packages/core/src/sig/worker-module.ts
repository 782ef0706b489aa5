/**
 * Starts a worker thread on a sibling module, for code that runs both from its build and
 * from its TypeScript source (tests, through vitest): next to a compiled caller the worker
 * is the sibling `.js`; next to a source caller it is the `.ts`, started through
 * ts-worker-boot.mjs, which registers tsx (a dev dependency) in the worker first. Worker
 * code lives in real modules that tsc checks; the CLI's bundle ships each one as its own
 * entry (scripts/bundle-cli.mjs).
 */
import { Worker } from 'node:worker_threads';

export function startWorker(callerUrl: string, name: string, workerData: Record<string, unknown>): Worker {
  if (!callerUrl.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, callerUrl), { workerData });
  const module = new URL(`./${name}.ts`, callerUrl).href;
  return new Worker(BOOT, { workerData: { ...workerData, __module: module } });
}

// The boot file is in src/sig; this module may be running from src or from dist (a source
// caller in another package can load core's build), and the source tree is there either way.
const BOOT = new URL(
  import.meta.url.endsWith('.ts') ? './ts-worker-boot.mjs' : '../../src/sig/ts-worker-boot.mjs',
  import.meta.url,
);
