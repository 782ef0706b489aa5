import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { VetError } from '../errors.js';
import { writeFailed, writeFileAtomic, writeFileAtomicSync } from './durable.js';

const dirs: string[] = [];
function tempDir(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vet-durable-'));
  dirs.push(dir);
  for (const [rel, text] of Object.entries(files)) writeFileSync(path.join(dir, rel), text);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

type Write = (file: string, data: string | Uint8Array, opts?: Parameters<typeof writeFileAtomicSync>[2]) => unknown;

/** The error a write fails with (sync or async). */
async function failure(write: Write, file: string): Promise<VetError> {
  try {
    await write(file, 'x');
  } catch (e) {
    if (e instanceof VetError) return e;
    throw new Error('not a VetError', { cause: e });
  }
  throw new Error('expected the write to fail');
}

const isRoot = process.getuid?.() === 0;

const writers: [string, Write][] = [
  ['writeFileAtomic', writeFileAtomic],
  ['writeFileAtomicSync', writeFileAtomicSync],
];

describe.each(writers)('%s', (_name, write) => {
  it('replaces the file by rename, with the mode asked for, and creates folders when asked', async () => {
    const dir = tempDir({ 'f.txt': 'old' });
    const before = statSync(path.join(dir, 'f.txt')).ino;
    await write(path.join(dir, 'f.txt'), 'new');
    expect(readFileSync(path.join(dir, 'f.txt'), 'utf8')).toBe('new');
    expect(statSync(path.join(dir, 'f.txt')).ino).not.toBe(before);
    await write(path.join(dir, 'a/b/secret'), new Uint8Array([1, 2, 3]), { mode: 0o600, mkdirMode: 0o700 });
    expect([...readFileSync(path.join(dir, 'a/b/secret'))]).toEqual([1, 2, 3]);
    expect(statSync(path.join(dir, 'a/b/secret')).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(dir, 'a/b')).mode & 0o777).toBe(0o700);
    expect(readdirSync(dir).sort()).toEqual(['a', 'f.txt']);
  });

  it('durable: false (caches) still replaces atomically and leaves no temp file', async () => {
    const dir = tempDir({ 'c.json': 'old' });
    const before = statSync(path.join(dir, 'c.json')).ino;
    await write(path.join(dir, 'c.json'), 'new', { durable: false });
    expect(readFileSync(path.join(dir, 'c.json'), 'utf8')).toBe('new');
    expect(statSync(path.join(dir, 'c.json')).ino).not.toBe(before);
    expect(readdirSync(dir)).toEqual(['c.json']);
  });

  it('noReplace refuses an existing file (EEXIST) and leaves it alone', async () => {
    const dir = tempDir({ key: 'secret' });
    const e = await (async () => {
      try {
        await write(path.join(dir, 'key'), 'other', { noReplace: true });
      } catch (err) {
        return err as VetError;
      }
      throw new Error('expected EEXIST');
    })();
    expect(e).toMatchObject({ code: 'WRITE_FAILED', details: { errno: 'EEXIST' } });
    expect(readFileSync(path.join(dir, 'key'), 'utf8')).toBe('secret');
    await write(path.join(dir, 'new-key'), 'fresh', { noReplace: true });
    expect(readFileSync(path.join(dir, 'new-key'), 'utf8')).toBe('fresh');
    expect(readdirSync(dir).sort()).toEqual(['key', 'new-key']);
  });

  it('fails with WRITE_FAILED naming the path, never a temp file, and leaves nothing behind', async () => {
    const dir = tempDir({ 'plain-file': '' });
    mkdirSync(path.join(dir, 'is-a-dir'));
    const missing = await failure(write, path.join(dir, 'nope/r.json'));
    expect(missing).toMatchObject({ code: 'WRITE_FAILED', file: path.join(dir, 'nope/r.json') });
    expect(missing.message).toBe(
      `cannot write ${path.join(dir, 'nope/r.json')}: its directory does not exist (ENOENT)`,
    );
    expect(missing.hint).toContain(`create ${path.join(dir, 'nope')} first`);
    const isDir = await failure(write, path.join(dir, 'is-a-dir'));
    expect(isDir.code).toBe('WRITE_FAILED');
    expect(isDir.message).toContain('it is a directory');
    const underFile = await failure(write, path.join(dir, 'plain-file/r.json'));
    expect(underFile.message).toContain('a parent in its path is not a directory (ENOTDIR)');
    for (const e of [missing, isDir, underFile]) expect(`${e.message} ${e.hint}`).not.toContain('.tmp');
    expect(readdirSync(dir).sort()).toEqual(['is-a-dir', 'plain-file']);
  });

  it.skipIf(isRoot)(
    'says so when the directory is not writable (skipped as root, who may write anywhere)',
    async () => {
      const dir = tempDir();
      chmodSync(dir, 0o500);
      try {
        const e = await failure(write, path.join(dir, 'f'));
        expect(e.code).toBe('WRITE_FAILED');
        expect(e.message).toContain('permission denied (EACCES)');
      } finally {
        chmodSync(dir, 0o700);
      }
    },
  );
});

describe('writeFailed', () => {
  it('turns a full disk or a read-only file system into a clear error with a hint', () => {
    const enospc = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    expect(writeFailed('/s/config.toml', enospc)).toMatchObject({
      code: 'WRITE_FAILED',
      message: 'cannot write /s/config.toml: no space left on the device (ENOSPC)',
      hint: 'free some space and run the command again; nothing was changed',
      details: { errno: 'ENOSPC' },
    });
    const erofs = Object.assign(new Error('EROFS'), { code: 'EROFS' });
    expect(writeFailed('/s/config.toml', erofs).message).toContain('the file system is read-only');
    const other = new VetError('LOCK_HELD', 'held');
    expect(writeFailed('/s/x', other)).toBe(other);
  });
});
