/**
 * A small real file system for storage tests: a tmpfs of a chosen size, mounted under a
 * temp dir. Needs root (or CAP_SYS_ADMIN); where mounting is not allowed, `mountTmpfs`
 * returns undefined and tests skip with a message saying so.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './notary-harness.js';

export interface Tmpfs {
  dir: string;
  remountReadOnly(): void;
  /** Writes a filler file until the file system is full; returns its path. */
  fill(): string;
  unmount(): void;
}

export function mountTmpfs(sizeKb: number): Tmpfs | undefined {
  const { dir, cleanup } = tempDir('vet-notary-tmpfs-');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k`, 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    cleanup();
    return undefined;
  }
  return {
    dir,
    remountReadOnly: () => execFileSync('mount', ['-o', 'remount,ro', dir], { stdio: 'ignore' }),
    fill() {
      const path = join(dir, 'filler');
      const fd = openSync(path, 'w');
      const chunk = Buffer.alloc(64 * 1024, 1);
      try {
        for (;;) writeSync(fd, chunk);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
      }
      // Fill the last partial page as well.
      try {
        for (;;) writeSync(fd, chunk.subarray(0, 512));
      } catch {
        /* full */
      }
      closeSync(fd);
      return path;
    },
    unmount() {
      try {
        execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
      } finally {
        cleanup();
      }
    },
  };
}

export const NO_MOUNT =
  'skipped: cannot mount a tmpfs here (needs root or CAP_SYS_ADMIN); the storage-layer injection tests still run';
