/**
 * One writer at a time per store (STYLE §5): `<store>/.vet-lock`, a pid lock (pid-lock.ts)
 * that is never without its content and is broken as soon as its holder is gone. A live
 * holder makes us wait up to `wait` ms, then fail with LOCK_HELD. Re-entrant within one
 * async call chain (AsyncLocalStorage), so `commitStore` and the store readers can take the
 * lock themselves and still run inside a command that already holds it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { VetError } from '../errors.js';
import { writeFailed } from './durable.js';
import { releaseLock, tryLock } from './pid-lock.js';

export const STORE_LOCK_FILE = '.vet-lock';

export interface StoreLockOptions {
  /** How long to wait for another vet process, in ms (default 10 000; 0 = fail at once). */
  wait?: number;
  /** Poll interval while waiting, in ms (default 50). */
  pollMs?: number;
}

/** The store directories whose lock the current async call chain holds. */
const holding = new AsyncLocalStorage<ReadonlySet<string>>();

/** Does the current call chain hold the lock of the store at `dir`? */
export function holdsStoreLock(dir: string): boolean {
  return holding.getStore()?.has(path.resolve(dir)) ?? false;
}

export async function withStoreLock<T>(dir: string, fn: () => T | Promise<T>, opts: StoreLockOptions = {}): Promise<T> {
  const key = path.resolve(dir);
  if (holdsStoreLock(key)) return fn();
  const lockPath = path.join(key, STORE_LOCK_FILE);
  await acquire(lockPath, opts.wait ?? 10_000, opts.pollMs ?? 50);
  try {
    return await holding.run(new Set([...(holding.getStore() ?? []), key]), fn);
  } finally {
    await releaseLock(lockPath);
  }
}

async function acquire(lockPath: string, wait: number, pollMs: number): Promise<void> {
  const deadline = Date.now() + wait;
  for (;;) {
    const attempt = await tryLock(lockPath).catch((e: unknown) => {
      throw lockError(lockPath, e);
    });
    if (attempt.taken) return;
    if (Date.now() >= deadline) throw lockHeld(lockPath, attempt.holder);
    await sleep(Math.max(1, Math.min(pollMs, deadline - Date.now())));
  }
}

function lockHeld(lockPath: string, holder: number | undefined): VetError {
  return new VetError(
    'LOCK_HELD',
    `the store is locked by another vet process${holder !== undefined ? ` (pid ${holder})` : ''}`,
    {
      file: lockPath,
      hint: `wait for it to finish; if no vet is running, delete ${lockPath}`,
      details: { pid: holder },
    },
  );
}

function lockError(lockPath: string, e: unknown): VetError {
  const dir = path.dirname(lockPath);
  if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
    return new VetError('STORE_NOT_FOUND', `no store directory at ${dir}`, {
      file: dir,
      hint: 'run `vet init` to create one',
    });
  }
  return writeFailed(lockPath, e);
}
