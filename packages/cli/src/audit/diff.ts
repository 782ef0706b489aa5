/**
 * Diff two extracted package trees (cargo-vet-format.md §8 "Diff metric"): per-file status and
 * line counts like `git diff --no-index --numstat --ignore-cr-at-eol`, a unified patch made with
 * the `diff` package, and a diffstat summary. A full audit diffs against nothing.
 *
 * Nothing is ignored by default for npm: unlike a `.crate`, an npm tarball holds no files the
 * packer generates (package.json is the author's own and is where install scripts live, so it
 * must be reviewed). Callers may pass `ignore` for other ecosystems.
 */
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { FILE_HEADERS_ONLY, formatPatch, structuredPatch } from 'diff';
import { countLineChanges } from './line-count.js';
import { countLines, isBinary, listTreeFiles, nativeKind, type NativeKind } from './tree.js';

export type DiffFileStatus = 'added' | 'removed' | 'modified';

export interface DiffFile {
  path: string;
  status: DiffFileStatus;
  insertions: number;
  deletions: number;
  binary: boolean;
  /** Compiled code recognised in the new file (or the removed one). */
  native?: NativeKind;
  /** The line diff was too large to compute exactly; counts are whole-file upper bounds. */
  approximate?: boolean;
  /** A release for another platform, measured from registry metadata instead of its files. */
  platform?: string;
  /** Binary files: sizes in bytes before and after (0 for the missing side). */
  oldBytes?: number;
  newBytes?: number;
}

export interface DiffStat {
  filesChanged: number;
  insertions: number;
  deletions: number;
  /** Binary files changed, and the bytes to review in them (their new size, or the old one if removed). */
  binaryFiles?: number;
  binaryBytes?: number;
}

export interface TreeDiff {
  files: DiffFile[];
  stat: DiffStat;
  /** Unified patch (git-style headers); '' when `patch: false`. */
  patch: string;
}

export interface DiffTreesOptions {
  /** Build the unified patch text; default true. Suggest only needs counts. */
  patch?: boolean;
  /** Lines of context in the patch; default 3. */
  context?: number;
  ignore?: (path: string) => boolean;
  /**
   * The name a file is compared under (default: its path). Wheels put the version in their
   * metadata folder (`pkg-1.0.dist-info/`); mapping it away keeps a release bump from showing
   * every metadata file as removed and re-added.
   */
  comparePath?: (path: string) => string;
  /** Bound on the Myers edit script; beyond it a file counts as fully replaced. */
  maxEditLength?: number;
}

const DEFAULT_MAX_EDIT = 50_000;

/**
 * The text of a file with CRLF as LF. Counting (no patch) decodes as latin1: one char per byte,
 * so lines are equal exactly when their bytes are (as git compares them), and V8 makes a
 * one-byte string several times faster than it decodes UTF-8. A patch is shown, so UTF-8.
 */
function textOf(buf: Buffer | undefined, encoding: 'utf8' | 'latin1' = 'utf8'): string {
  if (buf === undefined) return '';
  const text = buf.toString(encoding);
  return buf.includes(13) ? text.replace(/\r\n/g, '\n') : text;
}

export interface FileDiff {
  file: DiffFile;
  patch: string;
}

function diffBinary(path: string, status: DiffFileStatus, a: Side | undefined, b: Side | undefined): FileDiff {
  const native = nativeKind(b?.head ?? a?.head ?? Buffer.alloc(0));
  const file: DiffFile = {
    path,
    status,
    insertions: 0,
    deletions: 0,
    binary: true,
    ...(native ? { native } : {}),
    oldBytes: a?.size ?? 0,
    newBytes: b?.size ?? 0,
  };
  const left = a ? `a/${path}` : '/dev/null';
  const right = b ? `b/${path}` : '/dev/null';
  return { file, patch: `diff --git a/${path} b/${path}\nBinary files ${left} and ${right} differ\n` };
}

function diffText(
  path: string,
  status: DiffFileStatus,
  a: Buffer | undefined,
  b: Buffer | undefined,
  o: DiffTreesOptions,
): FileDiff {
  if (o.patch === false)
    return { file: countText(path, status, textOf(a, 'latin1'), textOf(b, 'latin1'), o), patch: '' };
  const oldText = textOf(a);
  const newText = textOf(b);
  const left = a ? `a/${path}` : '/dev/null';
  const right = b ? `b/${path}` : '/dev/null';
  const header = `diff --git a/${path} b/${path}\n`;
  const sp = structuredPatch(left, right, oldText, newText, undefined, undefined, {
    context: o.context ?? 3,
    maxEditLength: o.maxEditLength ?? DEFAULT_MAX_EDIT,
  });
  if (!sp) {
    const file: DiffFile = {
      path,
      status,
      insertions: countLines(newText),
      deletions: countLines(oldText),
      binary: false,
      approximate: true,
    };
    return {
      file,
      patch: `${header}--- ${left}\n+++ ${right}\n@@ diff too large to show: -${file.deletions} +${file.insertions} lines @@\n`,
    };
  }
  let insertions = 0;
  let deletions = 0;
  for (const h of sp.hunks) {
    for (const l of h.lines) {
      if (l.startsWith('+')) insertions++;
      else if (l.startsWith('-')) deletions++;
    }
  }
  const file: DiffFile = { path, status, insertions, deletions, binary: false };
  return { file, patch: header + formatPatch(sp, FILE_HEADERS_ONLY) };
}

/** Counts only (no patch): the fast path of suggest and `vet diff --stat`. */
function countText(
  path: string,
  status: DiffFileStatus,
  oldText: string,
  newText: string,
  o: DiffTreesOptions,
): DiffFile {
  const c = countLineChanges(oldText, newText, o.maxEditLength ?? DEFAULT_MAX_EDIT);
  if (c === undefined)
    return {
      path,
      status,
      insertions: countLines(newText),
      deletions: countLines(oldText),
      binary: false,
      approximate: true,
    };
  return { path, status, insertions: c.insertions, deletions: c.deletions, binary: false };
}

/** The head of a file (enough for git's binary test and magic bytes) and its size. */
interface Side {
  file: string;
  size: number;
  head: Buffer;
}

const HEAD = 8000;

function peek(root: string | undefined, path: string | undefined): Side | undefined {
  if (root === undefined || path === undefined) return undefined;
  const file = join(root, path);
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const head = Buffer.alloc(Math.min(size, HEAD));
    readSync(fd, head, 0, head.length, 0);
    return { file, size, head };
  } finally {
    closeSync(fd);
  }
}

/** Same bytes? Compared a megabyte at a time, so a large binary is never held whole. */
function sameBytes(a: Side, b: Side): boolean {
  if (a.size !== b.size) return false;
  const fa = openSync(a.file, 'r');
  const fb = openSync(b.file, 'r');
  try {
    const ba = Buffer.alloc(Math.min(a.size, 1 << 20));
    const bb = Buffer.alloc(ba.length);
    for (let at = 0; at < a.size; at += ba.length) {
      const n = readSync(fa, ba, 0, ba.length, at);
      if (readSync(fb, bb, 0, bb.length, at) !== n || !ba.subarray(0, n).equals(bb.subarray(0, n))) return false;
    }
    return true;
  } finally {
    closeSync(fa);
    closeSync(fb);
  }
}

/** A NUL in the head (git's test), or compiled code by its magic bytes even without one. */
const binaryHead = (x: Side | undefined): boolean =>
  x !== undefined && (isBinary(x.head) || nativeKind(x.head) !== undefined);

/** Diff one path present on at least one side; undefined when both sides are identical. */
export function diffFile(
  dirA: string | undefined,
  dirB: string,
  path: string,
  realA: string | undefined,
  realB: string | undefined,
  o: DiffTreesOptions,
): FileDiff | undefined {
  const sa = peek(dirA, realA);
  const sb = peek(dirB, realB);
  const status: DiffFileStatus = !sa ? 'added' : !sb ? 'removed' : 'modified';
  if (binaryHead(sa) || binaryHead(sb)) {
    if (sa && sb && sameBytes(sa, sb)) return undefined;
    return diffBinary(path, status, sa, sb);
  }
  // Text (or same-size files to compare): read whole, as the line diff needs.
  const a = sa && (sa.size <= HEAD ? sa.head : readFileSync(sa.file));
  const b = sb && (sb.size <= HEAD ? sb.head : readFileSync(sb.file));
  if (a && b && a.equals(b)) return undefined;
  const d = diffText(path, status, a, b, o);
  // Files that differ only in CR at EOL are unchanged for review purposes.
  return status === 'modified' && d.file.insertions === 0 && d.file.deletions === 0 ? undefined : d;
}

/** One path to compare: its logical name and its real path on each side (undefined = absent). */
export type PathPair = [path: string, realA: string | undefined, realB: string | undefined];

/** Every path of either tree, in byte order, with the real path on each side. */
export function pairPaths(dirA: string | undefined, dirB: string, options: DiffTreesOptions = {}): PathPair[] {
  const keep = (p: string): boolean => !options.ignore?.(p);
  const name = options.comparePath ?? ((p: string) => p);
  // logical name → real path on each side
  const side = (dir: string | undefined) =>
    new Map((dir === undefined ? [] : listTreeFiles(dir).filter(keep)).map((p) => [name(p), p]));
  const a = side(dirA);
  const b = side(dirB);
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  return paths.map((p) => [p, a.get(p), b.get(p)]);
}

/** The files of `pairs` that differ (counts only when `options.patch` is false). */
export function diffPairs(
  dirA: string | undefined,
  dirB: string,
  pairs: readonly PathPair[],
  options: DiffTreesOptions = {},
): FileDiff[] {
  const out: FileDiff[] = [];
  for (const [path, realA, realB] of pairs) {
    const d = diffFile(dirA, dirB, path, realA, realB, options);
    if (d) out.push(d);
  }
  return out;
}

/** Compare two trees; `dirA` undefined means "nothing" (a full audit of `dirB`). */
export function diffTrees(dirA: string | undefined, dirB: string, options: DiffTreesOptions = {}): TreeDiff {
  const diffs = diffPairs(dirA, dirB, pairPaths(dirA, dirB, options), options);
  const files = diffs.map((d) => d.file);
  return { files, stat: summarize(files), patch: options.patch === false ? '' : diffs.map((d) => d.patch).join('') };
}

export function summarize(files: readonly DiffFile[]): DiffStat {
  let insertions = 0;
  let deletions = 0;
  let binaryFiles = 0;
  let binaryBytes = 0;
  for (const f of files) {
    insertions += f.insertions;
    deletions += f.deletions;
    if (!f.binary) continue;
    binaryFiles++;
    binaryBytes += f.status === 'removed' ? (f.oldBytes ?? 0) : (f.newBytes ?? 0);
  }
  // Binary fields only when there are binaries, so text-only stats keep their shape.
  return {
    filesChanged: files.length,
    insertions,
    deletions,
    ...(binaryFiles > 0 ? { binaryFiles, binaryBytes } : {}),
  };
}

/** Lines an auditor has to read for this diff (the suggest metric). */
export function diffStatLines(stat: DiffStat): number {
  return stat.insertions + stat.deletions;
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** ", 2 binary files (3.1 MB)" when the diff has binaries, else "". */
export function binaryNote(stat: DiffStat): string {
  if (!stat.binaryFiles) return '';
  return `, ${plural(stat.binaryFiles, 'binary file', 'binary files')} (${plural(stat.binaryBytes ?? 0, 'byte', 'bytes')})`;
}

/** cargo-vet's size column: "N files changed, X insertions(+), Y deletions(-)" or "N lines" for a full audit. */
export function formatDiffStat(stat: DiffStat, fullAudit = false): string {
  if (fullAudit) return `${stat.insertions} lines${binaryNote(stat)}`;
  return (
    [
      plural(stat.filesChanged, 'file changed', 'files changed'),
      plural(stat.insertions, 'insertion(+)', 'insertions(+)'),
      plural(stat.deletions, 'deletion(-)', 'deletions(-)'),
    ].join(', ') + binaryNote(stat)
  );
}
