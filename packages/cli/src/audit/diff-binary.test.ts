/**
 * Issue 12: binaries are counted as binaries with their size, a binary change never passes for
 * the cheapest audit, and measuring over worker threads gives the in-thread counts.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { diffTrees } from './diff.js';
import { auditCost } from './suggest.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tree(files: Record<string, string | Buffer>): string {
  const root = mkdtempSync(join(tmpdir(), 'vet-diff-'));
  dirs.push(root);
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), content);
  }
  return root;
}

describe('binary changes', () => {
  it('a replaced native executable is a binary change with its size, even with no NUL byte in it', () => {
    // An ELF header followed by text: git's NUL test alone would count its lines.
    const elf = (body: string) => Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46]), Buffer.from(body)]);
    const a = tree({ 'bin/tool': elf('one\ntwo\n'), 'index.js': 'x\n' });
    const b = tree({ 'bin/tool': elf('one\ntwo\nthree\nfour\nfive\nsix\nseven\n'), 'index.js': 'x\n' });
    const d = diffTrees(a, b, { patch: false });
    expect(d.files).toEqual([
      {
        path: 'bin/tool',
        status: 'modified',
        insertions: 0,
        deletions: 0,
        binary: true,
        native: 'elf',
        oldBytes: 12,
        newBytes: 38,
      },
    ]);
    expect(d.stat).toEqual({ filesChanged: 1, insertions: 0, deletions: 0, binaryFiles: 1, binaryBytes: 38 });
  });

  it('ranks a diff with a binary change after any text-only diff, then by lines and bytes', () => {
    const text = { filesChanged: 3, insertions: 90, deletions: 10 };
    const binarySmall = { filesChanged: 1, insertions: 0, deletions: 0, binaryFiles: 1, binaryBytes: 1_000 };
    const binaryBig = { filesChanged: 1, insertions: 0, deletions: 0, binaryFiles: 1, binaryBytes: 9_000_000 };
    const sorted = [binaryBig, text, binarySmall].sort(auditCost);
    expect(sorted).toEqual([text, binarySmall, binaryBig]);
  });
});

describe('measureTrees over worker threads', () => {
  it('counts what the in-thread diff counts (built worker; run after `tsc -b`)', async () => {
    // The worker runs compiled code: import the pool from the build, as the CLI does.
    const pool: typeof import('./diff-pool.js') = await import('../../dist/audit/diff-pool.js');
    const files = (tag: string): Record<string, string | Buffer> => {
      const out: Record<string, string | Buffer> = {};
      for (let i = 0; i < 300; i++)
        out[`lib/f${i}.js`] = i % 3 === 0 ? `same ${i}\n` : `line ${i}\n${tag}\n`.repeat(1 + (i % 5));
      out['native.node'] = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, tag.length]);
      return out;
    };
    const a = tree(files('old'));
    const b = tree(files('newer'));
    const inThread = diffTrees(a, b, { patch: false });
    const parallel = await pool.measureTrees(a, b);
    expect(parallel.files.length).toBeGreaterThan(150);
    expect(parallel).toEqual(inThread);
  });
});

describe('counting compares bytes', () => {
  it('lines that differ only in invalid UTF-8 bytes are changed lines, as git counts them', () => {
    // Both lines decode to the same U+FFFD text; their bytes differ.
    const a = tree({ 'data.txt': Buffer.from([0x61, 0xff, 0x0a, 0x62, 0x0a]) });
    const b = tree({ 'data.txt': Buffer.from([0x61, 0xfe, 0x0a, 0x62, 0x0a]) });
    const d = diffTrees(a, b, { patch: false });
    expect(d.files).toEqual([{ path: 'data.txt', status: 'modified', insertions: 1, deletions: 1, binary: false }]);
  });

  it('multi-byte UTF-8 and CRLF line endings count as they do in the patch', () => {
    const a = tree({ 'a.md': 'héllo\r\nwörld\r\n✓ same\r\n' });
    const b = tree({ 'a.md': 'héllo\nwörld!\n✓ same\n' });
    const counted = diffTrees(a, b, { patch: false }).files;
    const patched = diffTrees(a, b, { patch: true }).files;
    expect(counted).toEqual(patched);
    expect(counted).toEqual([{ path: 'a.md', status: 'modified', insertions: 1, deletions: 1, binary: false }]);
  });
});
