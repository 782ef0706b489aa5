import { spawn } from 'node:child_process';
import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  existsSync,
  mkdirSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { VetError } from '../errors.js';
import { emptyStore } from '../store/model.js';
import { STORE_LOCK_FILE, withStoreLock } from './store-lock.js';
import { checkStoreFormat } from '../store/files.js';
import { commitStore, readStore, readStoreFiles } from './store-dir.js';
import { writeFileAtomic } from './durable.js';

const dirs: string[] = [];
function tempDir(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vet-store-'));
  dirs.push(dir);
  for (const [rel, text] of Object.entries(files)) writeFileSync(path.join(dir, rel), text);
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

const CONFIG = '\n# cargo-vet config file\n\n[cargo-vet]\nversion = "0.10"\n';
const AUDITS = '\n# cargo-vet audits file\n\n[audits]\n';

describe('readStore', () => {
  it('fails with STORE_NOT_FOUND and a `vet init` hint when the directory is missing', async () => {
    const missing = path.join(tempDir(), 'supply-chain');
    await expect(readStore(missing)).rejects.toMatchObject({
      code: 'STORE_NOT_FOUND',
      hint: expect.stringContaining('vet init'),
    });
  });

  it('accepts a missing imports.lock and an empty config', async () => {
    const dir = tempDir({ 'config.toml': '', 'audits.toml': AUDITS });
    const store = await readStore(dir);
    expect(store.config.storeVersion).toBeUndefined();
    expect(store.importsLock).toEqual({ unpublished: {}, publisher: {}, audits: {} });
  });

  it('names the file and line of a problem with the store path', async () => {
    const dir = tempDir({
      'config.toml': CONFIG,
      'audits.toml': '[audits]\n[[audits.x]]\ncriteria = 1\nversion = "1.0.0"\n',
    });
    await expect(readStore(dir)).rejects.toMatchObject({
      code: 'INVALID_STORE',
      file: path.join(dir, 'audits.toml'),
      line: 3,
    });
  });
});

describe('commitStore', () => {
  it('writes all three files canonically, then only what changed', async () => {
    const dir = tempDir();
    const store = emptyStore();
    const first = await commitStore(dir, store);
    expect(first.map((f) => path.basename(f))).toEqual(['config.toml', 'audits.toml', 'imports.lock']);
    expect(readFileSync(path.join(dir, 'config.toml'), 'utf8')).toBe(CONFIG);
    const before = statSync(path.join(dir, 'config.toml')).ino;
    store.config.exemptions['foo'] = [{ version: '1.0.0', criteria: ['safe-to-run'], suggest: true }];
    const second = await commitStore(dir, store);
    expect(second).toEqual([path.join(dir, 'config.toml')]);
    expect(statSync(path.join(dir, 'config.toml')).ino).not.toBe(before); // replaced by rename
    expect(await commitStore(dir, store)).toEqual([]);
    expect(readdirSync(dir).sort()).toEqual(['audits.toml', 'config.toml', 'imports.lock']); // no temp files left
    const files = await readStoreFiles(dir);
    expect(checkStoreFormat(files, await readStore(dir), dir)).toEqual([]);
  });

  it('refuses a missing directory unless asked to create it', async () => {
    const dir = path.join(tempDir(), 'new-store');
    expect(await codeOf(commitStore(dir, emptyStore()))).toBe('STORE_NOT_FOUND');
    await commitStore(dir, emptyStore(), { create: true });
    expect(existsSync(path.join(dir, 'audits.toml'))).toBe(true);
  });

  it('checkStoreFormat reports each non-canonical file with a diff', async () => {
    const dir = tempDir({
      'config.toml': CONFIG.replace('"0.10"', "'0.10'"),
      'audits.toml': AUDITS,
      'imports.lock': '',
    });
    const problems = checkStoreFormat(await readStoreFiles(dir), await readStore(dir), dir);
    expect(problems.map((p) => [path.basename(p.file), p.line])).toEqual([
      ['config.toml', 5],
      ['imports.lock', 2],
    ]);
    expect(problems[0]?.message).toContain(`-version = '0.10'\n+version = "0.10"`);
  });
});

describe('writeFileAtomic', () => {
  it('replaces the file and leaves no temp file behind on failure', async () => {
    const dir = tempDir({ 'f.txt': 'old' });
    await writeFileAtomic(path.join(dir, 'f.txt'), 'new');
    expect(readFileSync(path.join(dir, 'f.txt'), 'utf8')).toBe('new');
    mkdirSync(path.join(dir, 'is-a-dir'));
    await expect(writeFileAtomic(path.join(dir, 'is-a-dir'), 'x')).rejects.toThrow();
    expect(readdirSync(dir).sort()).toEqual(['f.txt', 'is-a-dir']);
  });
});

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
  it('runs fn under the lock and releases it, also when fn throws', async () => {
    const dir = tempDir();
    const seen = await withStoreLock(dir, () => readFileSync(path.join(dir, STORE_LOCK_FILE), 'utf8'));
    expect(seen).toBe(`${process.pid}\n`);
    expect(existsSync(path.join(dir, STORE_LOCK_FILE))).toBe(false);
    await expect(
      withStoreLock(dir, () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(existsSync(path.join(dir, STORE_LOCK_FILE))).toBe(false);
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
