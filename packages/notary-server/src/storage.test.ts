/**
 * Starting where the data directory cannot be written: one line naming the cause and exit
 * code 74 (EXIT_STORAGE), never "internal error" and never a hang. Real file systems: a
 * full tmpfs and a tmpfs remounted read-only (both need mount rights: skipped with a
 * message otherwise), and a regular file where the data directory is expected (anywhere).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { initTestDataDir, tempDir } from '@vet/test-support/notary-harness';
import { mountTmpfs, NO_MOUNT, type Tmpfs } from '@vet/test-support/tmpfs';
import { EXIT_STORAGE } from './storage-errors.js';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

function serve(dir: string): { status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [bin, 'serve', dir, '--port', '0'], { encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, stderr: r.stderr };
}

const mounts: Tmpfs[] = [];
afterAll(() => mounts.forEach((m) => m.unmount()));
const probe = mountTmpfs(64);
if (probe === undefined) console.log(NO_MOUNT);
else mounts.push(probe);

describe('starting on storage that cannot be written', () => {
  it.skipIf(probe === undefined)('a full disk: one line, exit 74', () => {
    const fs = mountTmpfs(2048)!;
    mounts.push(fs);
    const dir = join(fs.dir, 'data');
    initTestDataDir(dir);
    fs.fill();
    const r = serve(dir);
    expect(r.status).toBe(EXIT_STORAGE);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^error\[STORAGE\]: cannot write .*: the disk holding it is full \((ENOSPC|SQLITE_FULL)/);
  });

  it.skipIf(probe === undefined)('a read-only data directory: one line, exit 74', () => {
    const fs = mountTmpfs(2048)!;
    mounts.push(fs);
    const dir = join(fs.dir, 'data');
    initTestDataDir(dir);
    fs.remountReadOnly();
    const r = serve(dir);
    expect(r.status).toBe(EXIT_STORAGE);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^error\[STORAGE\]: cannot write .*: it is read-only \((EROFS|SQLITE_READONLY)/);
  });

  it.skipIf(probe === undefined)('init on a full disk: exit 74 and no half-written file (the durable writer)', () => {
    const fs = mountTmpfs(2048)!;
    mounts.push(fs);
    const dir = join(fs.dir, 'data');
    mkdirSync(dir);
    fs.fill();
    const r = spawnSync(process.execPath, [bin, 'init', dir, '--origin', 'full.test/log'], { encoding: 'utf8' });
    expect(r.status).toBe(EXIT_STORAGE);
    expect(r.stderr).toMatch(/^error\[STORAGE\]: .*full/);
    // Nothing in the directory is a torn file: either absent or complete.
    const files = readdirSync(dir);
    expect(files.filter((f) => f.startsWith('.') || f.includes('tmp'))).toEqual([]);
    if (files.includes('notary.json'))
      expect(() => JSON.parse(readFileSync(join(dir, 'notary.json'), 'utf8'))).not.toThrow();
  });

  it('a file where the data directory should be: one line, exit 74', () => {
    const { dir, cleanup } = tempDir();
    try {
      const file = join(dir, 'not-a-dir');
      writeFileSync(file, 'x');
      const r = serve(join(file, 'data'));
      expect(r.status).toBe(EXIT_STORAGE);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^error\[STORAGE\]: cannot write .*: a file stands where a directory is expected/);
    } finally {
      cleanup();
    }
  });
});
