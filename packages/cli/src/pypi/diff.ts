/**
 * `diffPypi`: what changed between two releases, as a unified diff (the `diff` package) and a
 * diffstat. Both releases are fetched, verified and extracted by `inspectPypi` first. The
 * version in wheel metadata folders (`pkg-1.0.dist-info/`) is dropped from paths so a release
 * bump does not show every metadata file as deleted and re-added.
 */
import { diffTrees, type DiffFile, type DiffStat, type TreeDiff } from '../audit/diff.js';
import type { Integrity } from '@vet/core';
import { createPypiClient } from './client.js';
import { inspectPypi, type InspectPypiOptions, type InspectPypiResult } from './inspect.js';

export type PypiDiffStat = DiffStat;
export type PypiFileChange = DiffFile;
export type PypiDiff = TreeDiff;

/** `pkg-1.0.dist-info/…` and `pkg-1.0.data/…` compare as `pkg.dist-info/…`, whatever the version. */
export function pypiComparePath(path: string): string {
  return path.replace(/^([^/]+)-[^/-]+\.(dist-info|data)\//, '$1.$2/');
}

/** Diff two extracted trees; paths sorted, unchanged files omitted. */
export function diffPypiTrees(dirA: string, dirB: string): PypiDiff {
  return diffTrees(dirA, dirB, { comparePath: pypiComparePath });
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
export async function diffPypi(
  name: string,
  v1: string,
  v2: string,
  opts: DiffPypiOptions = {},
): Promise<PypiDiffResult> {
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
