/**
 * Safe extraction (lockfiles.md §14): every hostile archive is refused with UNSAFE_ARCHIVE and
 * leaves nothing behind; good archives are stripped of their top folder.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { extractTarball, safeArchivePath, symlinkTargetInside } from '../packages/cli/src/archive/index.js';
import { buildRawTgz, buildTgz, type RawTarEntry } from '@vet/test-support/registry-server';

let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'vet-extract-'));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

async function refused(entries: RawTarEntry[], limits = {}): Promise<unknown> {
  const dest = join(work, 'out');
  const err = await extractTarball(buildRawTgz(entries), dest, { source: 'evil.tgz', limits }).then(
    () => undefined,
    (e: unknown) => e,
  );
  // On refusal nothing is left: no destination and no temp folder next to it.
  expect(existsSync(dest)).toBe(false);
  expect(readdirSync(work)).toEqual([]);
  return err;
}

const ok: RawTarEntry = { path: 'package/index.js', content: 'ok\n' };

describe('extractTarball refuses hostile archives', () => {
  it.each([
    ['a ../ entry', [ok, { path: '../escape.txt', content: 'x' }], /'\.\.'/],
    ['a package/../../ entry', [ok, { path: 'package/../../up.txt', content: 'x' }], /'\.\.'/],
    ['an absolute path', [ok, { path: '/etc/evil', content: 'x' }], /absolute path/],
    ['a backslash path', [ok, { path: 'package\\..\\x', content: 'x' }], /backslash/],
    [
      'a symlink pointing outside',
      [ok, { path: 'package/link', type: 'SymbolicLink', linkpath: '../../etc/passwd' }],
      /symbolic link pointing outside/,
    ],
    [
      'an absolute symlink',
      [ok, { path: 'package/link', type: 'SymbolicLink', linkpath: '/etc/passwd' }],
      /symbolic link pointing outside/,
    ],
    [
      'a hard link outside',
      [ok, { path: 'package/hard', type: 'Link', linkpath: '../../etc/passwd' }],
      /hard link pointing outside/,
    ],
    [
      'a character device',
      [ok, { path: 'package/tty', type: 'CharacterDevice' }],
      /CharacterDevice entries are not allowed/,
    ],
    ['a block device', [ok, { path: 'package/sda', type: 'BlockDevice' }], /BlockDevice entries are not allowed/],
    ['a FIFO', [ok, { path: 'package/pipe', type: 'FIFO' }], /FIFO entries are not allowed/],
  ] as [string, RawTarEntry[], RegExp][])('%s', async (_label, entries, why) => {
    const err = await refused(entries);
    expect(err).toMatchObject({ code: 'UNSAFE_ARCHIVE', file: 'evil.tgz' });
    expect((err as Error).message).toMatch(why);
  });

  it('a tarball that unpacks past the total size cap (decompression bomb)', async () => {
    const zeros = Buffer.alloc(3 * 1024 * 1024);
    const entries: RawTarEntry[] = [
      { path: 'package/a.bin', content: zeros },
      { path: 'package/b.bin', content: zeros },
    ];
    expect(buildRawTgz(entries).length).toBeLessThan(64 * 1024); // tiny on the wire
    const err = await refused(entries, { maxTotalBytes: 4 * 1024 * 1024 });
    expect(err).toMatchObject({ code: 'UNSAFE_ARCHIVE' });
    expect(String((err as Error).message)).toMatch(/unpacked size exceeds/);
  });

  it('a file larger than the per-file cap', async () => {
    const err = await refused([{ path: 'package/big', content: Buffer.alloc(2048) }], { maxFileBytes: 1024 });
    expect(err).toMatchObject({ code: 'UNSAFE_ARCHIVE' });
    expect((err as Error).message).toMatch(/file larger than 1024 bytes/);
  });

  it('more entries than the cap', async () => {
    const many = Array.from({ length: 20 }, (_, i): RawTarEntry => ({ path: `package/f${i}`, content: 'x' }));
    const err = await refused(many, { maxEntries: 10 });
    expect(err).toMatchObject({ code: 'UNSAFE_ARCHIVE' });
    expect((err as Error).message).toMatch(/more than 10 entries/);
  });

  it('a high compression ratio even under the size caps', async () => {
    const err = await refused([{ path: 'package/z', content: Buffer.alloc(8 * 1024 * 1024) }], {
      maxDecompressionRatio: 50,
    });
    expect(err).toMatchObject({ code: 'UNSAFE_ARCHIVE' });
    expect((err as Error).message).toMatch(/decompression ratio/);
  });

  it('garbage that is not a tarball', async () => {
    const dest = join(work, 'out');
    const err = await extractTarball(Buffer.from('definitely not gzip or tar, just text'.repeat(20)), dest, {
      source: 'junk.tgz',
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'UNSAFE_ARCHIVE' });
    expect(readdirSync(work)).toEqual([]);
  });
});

describe('extractTarball accepts normal packages', () => {
  it('strips package/, keeps content and the executable bit', async () => {
    const tgz = buildTgz({
      'package.json': '{"name":"a","version":"1.0.0"}\n',
      'lib/index.js': 'module.exports = 1;\n',
      'bin/cli.js': { content: '#!/usr/bin/env node\n', mode: 0o755 },
    });
    const dest = join(work, 'tree');
    const res = await extractTarball(tgz, dest, { source: 'a.tgz' });
    expect(res).toMatchObject({ dir: dest, files: 3, skipped: [] });
    expect(readFileSync(join(dest, 'lib/index.js'), 'utf8')).toBe('module.exports = 1;\n');
    expect(statSync(join(dest, 'bin/cli.js')).mode & 0o111).not.toBe(0);
    expect(statSync(join(dest, 'package.json')).mode & 0o111).toBe(0);
    expect(readdirSync(work)).toEqual(['tree']);
  });

  it('strips a top folder that is not called package/', async () => {
    const dest = join(work, 'tree');
    await extractTarball(buildTgz({ 'x.js': '1\n' }, 'node-old-1.0.0/'), dest, { source: 'old.tgz' });
    expect(readdirSync(dest)).toEqual(['x.js']);
  });

  it('skips and reports links that stay inside the package, without creating them', async () => {
    const dest = join(work, 'tree');
    const res = await extractTarball(
      buildRawTgz([
        { path: 'package/a.js', content: 'a\n' },
        { path: 'package/lib/alias.js', type: 'SymbolicLink', linkpath: '../a.js' },
        { path: 'package/copy.js', type: 'Link', linkpath: 'package/a.js' },
      ]),
      dest,
      { source: 'links.tgz' },
    );
    expect(res.skipped.map((s) => s.path)).toEqual(['lib/alias.js', 'copy.js']);
    expect(existsSync(join(dest, 'lib/alias.js'))).toBe(false);
    expect(existsSync(join(dest, 'copy.js'))).toBe(false);
  });

  it('refuses to extract over an existing folder', async () => {
    const dest = join(work, 'tree');
    await extractTarball(buildTgz({ 'a.js': '1' }), dest, { source: 'a.tgz' });
    await expect(extractTarball(buildTgz({ 'b.js': '2' }), dest, { source: 'b.tgz' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    expect(readdirSync(dest)).toEqual(['a.js']);
    expect(readdirSync(work)).toEqual(['tree']);
  });
});

describe('safeArchivePath', () => {
  it('strips the first segment and normalises . and //', () => {
    expect(safeArchivePath('package/./lib//a.js')).toEqual({ ok: true, path: 'lib/a.js' });
    expect(safeArchivePath('package/')).toEqual({ ok: true, path: '' });
  });

  it('never yields a path that leaves the root (property)', () => {
    const seg = fc.constantFrom('..', '.', '', 'a', 'b', 'package', '\\', 'C:', '/');
    fc.assert(
      fc.property(fc.array(seg, { maxLength: 8 }), fc.boolean(), (segs, abs) => {
        const raw = (abs ? '/' : '') + segs.join('/');
        const r = safeArchivePath(raw);
        if (!r.ok) return;
        expect(r.path.split('/')).not.toContain('..');
        expect(r.path.startsWith('/')).toBe(false);
        expect(r.path).not.toMatch(/\\|^[A-Za-z]:/);
      }),
    );
  });

  it('symlink targets are resolved against the link folder', () => {
    expect(symlinkTargetInside('lib/a.js', '../b.js')).toBe('b.js');
    expect(symlinkTargetInside('a.js', '../b.js')).toBeUndefined();
    expect(symlinkTargetInside('lib/x/a.js', '../../../b')).toBeUndefined();
    expect(symlinkTargetInside('a.js', '/etc/passwd')).toBeUndefined();
  });
});
