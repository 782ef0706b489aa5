/**
 * `diffPypi`: what changed between two releases, as a unified diff (the `diff` package) and a
 * diffstat. Both releases are fetched, verified and extracted by `inspectPypi` first. The
 * version in wheel metadata folders (`pkg-1.0.dist-info/`) is dropped from paths so a release
 * bump does not show every metadata file as deleted and re-added.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { structuredPatch, formatPatch } from 'diff';
import type { Integrity } from '@vet/core';
import { createPypiClient } from './client.js';
import { inspectPypi, type InspectPypiOptions, type InspectPypiResult } from './inspect.js';

export interface PypiDiffStat {
  filesChanged: number;
  insertions: number;
  deletions: number;
}

export interface PypiFileChange {
  path: string;
  status: 'added' | 'deleted' | 'modified';
  binary: boolean;
  insertions: number;
  deletions: number;
}

export interface PypiDiff {
  patch: string;
  stat: PypiDiffStat;
  files: PypiFileChange[];
}

/** Text files above this size are reported as changed without a line diff (keeps diff fast). */
const MAX_TEXT_DIFF_BYTES = 2 * 1024 * 1024;

function listTree(root: string, rel = '', out = new Map<string, Buffer>()): Map<string, Buffer> {
  for (const e of readdirSync(join(root, rel), { withFileTypes: true })) {
    const p = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) listTree(root, p, out);
    else if (e.isFile()) out.set(p.replace(/^([^/]+)-[^/-]+\.(dist-info|data)\//, '$1.$2/'), readFileSync(join(root, p)));
  }
  return out;
}

const isBinary = (b: Buffer): boolean => b.subarray(0, 8000).includes(0) || b.length > MAX_TEXT_DIFF_BYTES;

function textChange(path: string, a: Buffer | undefined, b: Buffer | undefined): { patch: string; change: PypiFileChange } {
  const status = a === undefined ? 'added' : b === undefined ? 'deleted' : 'modified';
  if ((a && isBinary(a)) || (b && isBinary(b))) {
    return { patch: `Binary files ${a ? `a/${path}` : '/dev/null'} and ${b ? `b/${path}` : '/dev/null'} differ\n`, change: { path, status, binary: true, insertions: 0, deletions: 0 } };
  }
  const p = structuredPatch(a ? `a/${path}` : '/dev/null', b ? `b/${path}` : '/dev/null', a?.toString('utf8') ?? '', b?.toString('utf8') ?? '', undefined, undefined, { context: 3 });
  let insertions = 0;
  let deletions = 0;
  for (const h of p.hunks) for (const l of h.lines) l.startsWith('+') ? insertions++ : l.startsWith('-') ? deletions++ : 0;
  return { patch: formatPatch(p).replace(/^={67}\n/, ''), change: { path, status, binary: false, insertions, deletions } };
}

/** Diff two extracted trees; paths sorted, unchanged files omitted. */
export function diffPypiTrees(dirA: string, dirB: string): PypiDiff {
  const a = listTree(dirA);
  const b = listTree(dirB);
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort();
  const files: PypiFileChange[] = [];
  let patch = '';
  for (const path of paths) {
    const x = a.get(path);
    const y = b.get(path);
    if (x && y && x.equals(y)) continue;
    const d = textChange(path, x, y);
    files.push(d.change);
    patch += d.patch;
  }
  const stat = { filesChanged: files.length, insertions: files.reduce((s, f) => s + f.insertions, 0), deletions: files.reduce((s, f) => s + f.deletions, 0) };
  return { patch, stat, files };
}

export interface DiffPypiOptions extends Omit<InspectPypiOptions, 'integrity'> {
  /** Lockfile hashes of each side, when known. */
  integrityFrom?: readonly Integrity[];
  integrityTo?: readonly Integrity[];
}

export interface PypiDiffResult extends PypiDiff {
  from: InspectPypiResult;
  to: InspectPypiResult;
}

/** Fetch, verify and extract both releases (in parallel, through one bounded client), then diff. */
export async function diffPypi(name: string, v1: string, v2: string, opts: DiffPypiOptions = {}): Promise<PypiDiffResult> {
  const client = opts.client ?? (await createPypiClient(opts));
  try {
    const common = { ...opts, client };
    const [from, to] = await Promise.all([
      inspectPypi(name, v1, { ...common, ...(opts.integrityFrom ? { integrity: opts.integrityFrom } : {}) }),
      inspectPypi(name, v2, { ...common, ...(opts.integrityTo ? { integrity: opts.integrityTo } : {}) }),
    ]);
    return { ...diffPypiTrees(from.dir, to.dir), from, to };
  } finally {
    if (!opts.client) await client.close();
  }
}
