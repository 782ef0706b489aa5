import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { VetError } from '../errors.js';
import { LOCK_GRACE_MS, processStartTime, releaseLock, tryLock } from './pid-lock.js';
import { holdsStoreLock, STORE_LOCK_FILE, withStoreLock } from './store-lock.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vet-lock-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof VetError) return e.code;
    throw e;
  }
  return 'no error';
}

/** A lock file with this content, `ageMs` old. */
function leaveLock(dir: string, content: string, ageMs = 0): string {
  const file = path.join(dir, STORE_LOCK_FILE);
  writeFileSync(file, content);
  const t = (Date.now() - ageMs) / 1000;
  utimesSync(file, t, t);
  return file;
}

/** A real second process that holds the lock until it is killed. */
function lockHolder(dir: string): Promise<{ pid: number; stop: () => Promise<void> }> {
  const script = `require('fs').writeFileSync(${JSON.stringify(path.join(dir, STORE_LOCK_FILE))}, process.pid + '\\n', { flag: 'wx' }); console.log('held'); setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout.once('data', () =>
      resolve({
        pid: child.pid!,
        stop: () =>
          new Promise<void>((done) => {
            child.once('exit', () => done());
            child.kill('SIGKILL');
          }),
      }),
    );
    child.once('error', reject);
  });
}

describe('withStoreLock', () => {
  it('runs fn under a lock that names this process, and releases it, also when fn throws', async () => {
    const dir = tempDir();
    const seen = await withStoreLock(dir, () => readFileSync(path.join(dir, STORE_LOCK_FILE), 'utf8'));
    expect(seen).toMatch(new RegExp(`^${process.pid}( \\d+)?\\n$`));
    expect(existsSync(path.join(dir, STORE_LOCK_FILE))).toBe(false);
    await expect(
      withStoreLock(dir, () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(readdirSync(dir)).toEqual([]); // neither the lock nor its temp file
  });

  it('is re-entrant within one call chain only', async () => {
    const dir = tempDir();
    const inner = await withStoreLock(dir, async () => {
      expect(holdsStoreLock(dir)).toBe(true);
      return withStoreLock(dir, () => 'nested', { wait: 0 });
    });
    expect(inner).toBe('nested');
    expect(holdsStoreLock(dir)).toBe(false);
    let release!: () => void;
    const first = withStoreLock(dir, () => new Promise<void>((r) => (release = r)));
    await new Promise((r) => setTimeout(r, 20));
    expect(await codeOf(withStoreLock(dir, () => 1, { wait: 0 }))).toBe('LOCK_HELD'); // another chain waits
    release();
    await first;
  });

  it('makes a second writer wait for a live holder, then fail with LOCK_HELD', async () => {
    const dir = tempDir();
    const holder = await lockHolder(dir);
    try {
      const started = Date.now();
      let ran = false;
      const err = await withStoreLock(
        dir,
        () => {
          ran = true;
        },
        { wait: 300 },
      ).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'LOCK_HELD', details: { pid: holder.pid } });
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
      expect(ran).toBe(false);
    } finally {
      await holder.stop();
    }
    // The holder died without cleaning up: its lock is stale and is taken over.
    expect(existsSync(path.join(dir, STORE_LOCK_FILE))).toBe(true);
    expect(await withStoreLock(dir, () => 'ran', { wait: 0 })).toBe('ran');
  });

  it('gets the lock as soon as the holder releases it', async () => {
    const dir = tempDir();
    let release!: () => void;
    const first = withStoreLock(dir, () => new Promise<void>((r) => (release = r)));
    await new Promise((r) => setTimeout(r, 20));
    const order: string[] = [];
    const second = withStoreLock(
      dir,
      () => {
        order.push('second');
      },
      { wait: 5000, pollMs: 10 },
    );
    await new Promise((r) => setTimeout(r, 50));
    order.push('release');
    release();
    await first;
    await second;
    expect(order).toEqual(['release', 'second']);
  });

  it('fails with STORE_NOT_FOUND when the store directory does not exist', async () => {
    expect(await codeOf(withStoreLock(path.join(tempDir(), 'nope'), () => 1))).toBe('STORE_NOT_FOUND');
  });
});

describe('a lock whose holder is gone is broken whatever its content', () => {
  it.each([
    ['empty (killed between create and write)', ''],
    ['garbage', 'not a pid\n'],
    ['binary junk', '\u0000\u00ff\u0001'],
    ['a pid and trailing junk', `${process.ppid} x\n`],
  ])('%s, once older than the grace period', async (_name, content) => {
    const dir = tempDir();
    leaveLock(dir, content, LOCK_GRACE_MS + 1000);
    expect(await withStoreLock(dir, () => 'ran', { wait: 0 })).toBe('ran');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a young lock without a pid may still be being written: waited for, then broken', async () => {
    const dir = tempDir();
    leaveLock(dir, '');
    expect(await codeOf(withStoreLock(dir, () => 1, { wait: 0 }))).toBe('LOCK_HELD');
    const started = Date.now();
    expect(await withStoreLock(dir, () => 'ran', { wait: LOCK_GRACE_MS * 3, pollMs: 20 })).toBe('ran');
    expect(Date.now() - started).toBeGreaterThanOrEqual(LOCK_GRACE_MS - 500);
  });

  it('a dead pid, at once', async () => {
    const dir = tempDir();
    leaveLock(dir, '999999999\n');
    expect(await withStoreLock(dir, () => 'ran', { wait: 0 })).toBe('ran');
  });

  it("this process's own pid when it does not hold the lock (pids restart in every container)", async () => {
    const dir = tempDir();
    leaveLock(dir, `${process.pid}\n`);
    expect(await withStoreLock(dir, () => 'ran', { wait: 0 })).toBe('ran');
  });

  it.runIf(process.platform === 'linux')('a live pid whose start time differs: the pid was reused', async () => {
    const dir = tempDir();
    const start = processStartTime(process.ppid)!;
    leaveLock(dir, `${process.ppid} ${start}\n`);
    expect(await codeOf(withStoreLock(dir, () => 1, { wait: 0 }))).toBe('LOCK_HELD'); // the real holder
    leaveLock(dir, `${process.ppid} ${BigInt(start) + 1n}\n`);
    expect(await withStoreLock(dir, () => 'ran', { wait: 0 })).toBe('ran');
  });

  it('a live pid without a start time is the holder', async () => {
    const dir = tempDir();
    leaveLock(dir, `${process.ppid}\n`, 60_000);
    expect(await codeOf(withStoreLock(dir, () => 1, { wait: 0 }))).toBe('LOCK_HELD');
  });
});

describe('tryLock / releaseLock', () => {
  it('takes once, reports the holder, and releases only its own lock', async () => {
    const file = path.join(tempDir(), 'mirror.lock');
    expect(await tryLock(file)).toEqual({ taken: true });
    expect(await tryLock(file)).toEqual({ taken: false, holder: process.pid }); // held by us, elsewhere
    await releaseLock(file);
    expect(existsSync(file)).toBe(false);
    writeFileSync(file, `${process.ppid}\n`);
    await releaseLock(file); // not ours: left alone
    expect(readFileSync(file, 'utf8')).toBe(`${process.ppid}\n`);
  });
});
