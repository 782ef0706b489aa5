/**
 * One writer at a time per store (STYLE §5): `<store>/.vet-lock`, created exclusively
 * ('wx') and holding the owner's pid. A lock whose pid no longer runs on this machine is
 * stale and is broken; a live one makes us wait up to `wait` ms, then fail with LOCK_HELD.
 */
import { randomBytes } from 'node:crypto';
import { link, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { VetError } from '../errors.js';

export const STORE_LOCK_FILE = '.vet-lock';

export interface StoreLockOptions {
  /** How long to wait for another vet process, in ms (default 10 000; 0 = fail at once). */
  wait?: number;
  /** Poll interval while waiting, in ms (default 50). */
  pollMs?: number;
}

export async function withStoreLock<T>(dir: string, fn: () => T | Promise<T>, opts: StoreLockOptions = {}): Promise<T> {
  const lockPath = path.join(dir, STORE_LOCK_FILE);
  await acquire(lockPath, opts.wait ?? 10_000, opts.pollMs ?? 50);
  try {
    return await fn();
  } finally {
    await release(lockPath);
  }
}

async function acquire(lockPath: string, wait: number, pollMs: number): Promise<void> {
  const deadline = Date.now() + wait;
  for (;;) {
    try {
      await writeFile(lockPath, `${process.pid}\n`, { flag: 'wx' });
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new VetError('STORE_NOT_FOUND', `no store directory at ${path.dirname(lockPath)}`, {
          file: path.dirname(lockPath),
          hint: 'run `vet init` to create one',
          cause: e,
        });
      }
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const holder = await readPid(lockPath);
    if (holder !== undefined && !isProcessAlive(holder)) {
      await breakStaleLock(lockPath, holder);
      continue;
    }
    if (Date.now() >= deadline) {
      throw new VetError(
        'LOCK_HELD',
        `the store is locked by another vet process${holder !== undefined ? ` (pid ${holder})` : ''}`,
        {
          file: lockPath,
          hint: `wait for it to finish; if no vet is running, delete ${lockPath}`,
          details: { pid: holder },
        },
      );
    }
    await sleep(Math.max(1, Math.min(pollMs, deadline - Date.now())));
  }
}

async function readPid(lockPath: string): Promise<number | undefined> {
  try {
    const n = Number.parseInt((await readFile(lockPath, 'utf8')).trim(), 10);
    return Number.isSafeInteger(n) && n > 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

/** Is a process with this pid running? (Lock files name their holder's pid.) */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Move the stale file aside (atomic), then check that what we moved is still the dead
 * owner's lock; if a live process re-created it in between, put that one back.
 */
async function breakStaleLock(lockPath: string, deadPid: number): Promise<void> {
  const aside = `${lockPath}.stale.${process.pid}.${randomBytes(4).toString('hex')}`;
  try {
    await rename(lockPath, aside);
  } catch {
    return; // someone else broke or released it; just retry
  }
  const moved = await readPid(aside);
  if (moved !== deadPid && moved !== undefined && isProcessAlive(moved)) {
    await link(aside, lockPath).catch(() => undefined);
  }
  await unlink(aside).catch(() => undefined);
}

async function release(lockPath: string): Promise<void> {
  if ((await readPid(lockPath)) === process.pid) await unlink(lockPath).catch(() => undefined);
}
