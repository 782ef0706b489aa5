import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { VetError } from '../errors.js';
import { emptyStore } from '../store/model.js';
import { STORE_LOCK_FILE, withStoreLock } from './store-lock.js';
import { checkStoreFormat } from '../store/files.js';
import { commitStore, readStore, readStoreFiles } from './store-dir.js';
import { parseJournal, STORE_JOURNAL } from './store-journal.js';

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

/** A store in state `old` with a killed writer's leftovers for state `next` staged beside it. */
function interrupted(old: Record<string, string>, next: Record<string, string>, journal: boolean): string {
  const dir = tempDir(old);
  const renames = Object.entries(next).map(([name, text], i) => {
    const staged = `.${name}.4242.${String(i).padStart(12, '0')}.tmp`;
    writeFileSync(path.join(dir, staged), text);
    return [staged, name];
  });
  if (journal)
    writeFileSync(path.join(dir, STORE_JOURNAL), JSON.stringify({ format: 'vet-store-journal/v1', renames }));
  writeFileSync(path.join(dir, STORE_LOCK_FILE), '999999999\n'); // the dead writer's lock
  return dir;
}

describe('an interrupted store write', () => {
  const OLD = { 'config.toml': CONFIG, 'audits.toml': AUDITS };
  const NEW = { 'config.toml': CONFIG + '\n# new\n', 'audits.toml': AUDITS + '\n# new\n', 'imports.lock': '' };

  it('past its commit point (a journal) is rolled forward by the next reader', async () => {
    const dir = interrupted(OLD, NEW, true);
    rmSync(path.join(dir, '.config.toml.4242.000000000000.tmp')); // that rename had been done
    writeFileSync(path.join(dir, 'config.toml'), NEW['config.toml']);
    const files = await readStoreFiles(dir);
    expect(files).toEqual({ config: NEW['config.toml'], audits: NEW['audits.toml'], importsLock: '' });
    expect(readdirSync(dir).sort()).toEqual(['audits.toml', 'config.toml', 'imports.lock']);
  });

  it('before its commit point (no journal) is the old state; the next writer removes its temp files', async () => {
    const dir = interrupted(OLD, NEW, false);
    const files = await readStoreFiles(dir);
    expect(files).toEqual({ config: CONFIG, audits: AUDITS, importsLock: undefined });
    const store = await readStore(dir);
    await commitStore(dir, store);
    expect(readdirSync(dir).sort()).toEqual(['audits.toml', 'config.toml', 'imports.lock']);
  });

  it('writes several changed files through a journal, and one changed file by a single rename', async () => {
    const dir = tempDir();
    const store = emptyStore();
    await commitStore(dir, store);
    store.config.exemptions['a'] = [{ version: '1.0.0', criteria: ['safe-to-run'], suggest: true }];
    store.audits.audits['b'] = [
      { who: ['x'], criteria: ['safe-to-run'], kind: 'full', version: '1.0.0', importable: true, aggregatedFrom: [] },
    ];
    expect((await commitStore(dir, store)).map((f) => path.basename(f))).toEqual(['config.toml', 'audits.toml']);
    expect(await readStore(dir)).toEqual(store);
    expect(readdirSync(dir).sort()).toEqual(['audits.toml', 'config.toml', 'imports.lock']);
  });

  it('refuses a journal that is not ours, renaming nothing', async () => {
    const dir = tempDir(OLD);
    for (const journal of [
      '{"format":"vet-store-journal/v1","renames":[["../../etc/passwd","config.toml"]]}',
      '{"format":"vet-store-journal/v1","renames":[[".audits.toml.1.000000000000.tmp","config.toml"]]}',
      '{"format":"vet-store-journal/v1","renames":[[".x.1.000000000000.tmp","../x"]]}',
      '{"format":"other","renames":[]}',
      'garbage',
    ]) {
      expect(parseJournal(journal)).toBeUndefined();
      writeFileSync(path.join(dir, STORE_JOURNAL), journal);
      await expect(readStoreFiles(dir)).rejects.toMatchObject({
        code: 'INVALID_STORE',
        file: path.join(dir, STORE_JOURNAL),
      });
    }
    expect(readFileSync(path.join(dir, 'config.toml'), 'utf8')).toBe(CONFIG);
  });

  it('a journal a live writer holds is waited for, not touched', async () => {
    const dir = interrupted(OLD, NEW, true);
    rmSync(path.join(dir, STORE_LOCK_FILE));
    let release!: () => void;
    const writer = withStoreLock(dir, () => new Promise<void>((r) => (release = r)));
    await new Promise((r) => setTimeout(r, 20));
    const read = readStoreFiles(dir);
    await new Promise((r) => setTimeout(r, 100));
    expect(existsSync(path.join(dir, STORE_JOURNAL))).toBe(true);
    release();
    await writer;
    expect((await read).config).toBe(NEW['config.toml']);
  });
});
