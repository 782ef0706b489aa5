/**
 * The suggest engine (cargo-vet-format.md §8): for each failing package, diffstat every
 * candidate delta the resolver proposes (`from` undefined = full audit), keep the smallest by
 * insertions + deletions (first wins ties), attach risk signals, and total the backlog.
 * Diffstats are cached on disk keyed by the two trees' integrities, so a warm run reads no
 * tarball at all. Fetching goes through a `SuggestFetcher`, so tests and other ecosystems can
 * supply trees their own way.
 */
import { createHash } from 'node:crypto';
import { isVetError, VetError, type DependencyGraph } from '@vet/core';
import { readCacheJson, writeCacheJson, type VetCache } from '../registry/cache.js';
import { mapLimit } from '../registry/limiter.js';
import type { Packument } from '../registry/packument.js';
import { diffStatLines, type DiffFile, type DiffStat } from './diff.js';
import { measureTrees } from './diff-pool.js';
import { silentProgress, type Progress } from './progress.js';
import { riskRelevantFiles, riskSignals, type RiskSignal } from './risk.js';

export interface SuggestCandidate {
  from?: string;
  to: string;
}

/** What the resolver hands over for each failing package. */
export interface SuggestFailure {
  name: string;
  version: string;
  criteria: string[];
  candidates: SuggestCandidate[];
}

export interface SuggestFetcher {
  /** Extracted, verified tree of name@version and its content key. */
  tree(name: string, version: string): Promise<{ dir: string; key: string }>;
  /** Full packument, for risk signals. */
  packument(name: string): Promise<Packument>;
  /** Only these versions' manifests, as a packument (far smaller than the whole document). */
  manifests?(name: string, versions: string[]): Promise<Packument>;
  /**
   * For a release npm would not install on this platform (`os`/`cpu`), its size from the
   * registry's metadata, so it is measured without downloading; undefined = download it.
   */
  elsewhere?(name: string, version: string): Promise<Elsewhere | undefined>;
}

/** A release for another platform: its file count and unpacked size when the registry says them. */
export interface Elsewhere {
  platform: string;
  files?: number;
  bytes?: number;
}

export interface Suggestion {
  name: string;
  version: string;
  criteria: string[];
  from?: string;
  to: string;
  diffstat: DiffStat;
  /** insertions + deletions. */
  lines: number;
  risk: RiskSignal[];
}

export interface SuggestProblem {
  name: string;
  version: string;
  candidate?: SuggestCandidate;
  error: VetError;
}

export interface SuggestReport {
  suggestions: Suggestion[];
  totalLines: number;
  /** Candidates (or whole packages) that could not be measured, e.g. a version missing upstream. */
  problems: SuggestProblem[];
}

export interface SuggestOptions {
  graph: DependencyGraph;
  /** Where diffstats are cached; no disk cache when absent. */
  cache?: VetCache;
  concurrency?: number;
  progress?: Progress;
}

interface Measured {
  stat: DiffStat;
  files: DiffFile[];
}

/** Security findings are never turned into "could not measure"; they stop the run. */
// A security refusal stops suggest; so does an unreachable registry (one clear error, exit 2,
// instead of a list of candidates that all failed for the same reason).
const FATAL = new Set(['INTEGRITY_MISMATCH', 'UNSAFE_ARCHIVE', 'INTERNAL', 'NETWORK_ERROR']);

function diffCacheName(fromKey: string | undefined, toKey: string): string {
  return createHash('sha256')
    .update(`v2\n${fromKey ?? 'empty'}\n${toKey}`)
    .digest('hex');
}

function readMeasured(cache: VetCache | undefined, name: string): Measured | undefined {
  const v = cache && (readCacheJson(cache, 'diffstat', name) as Partial<Measured> | undefined);
  const s = v?.stat;
  if (!s || typeof s.insertions !== 'number' || typeof s.deletions !== 'number' || typeof s.filesChanged !== 'number')
    return undefined;
  if (s.binaryFiles !== undefined && (typeof s.binaryFiles !== 'number' || typeof s.binaryBytes !== 'number'))
    return undefined;
  return { stat: s, files: Array.isArray(v.files) ? v.files : [] };
}

async function measure(
  name: string,
  c: SuggestCandidate,
  fetcher: SuggestFetcher,
  cache: VetCache | undefined,
): Promise<Measured> {
  const away = await fetcher.elsewhere?.(name, c.to);
  if (away !== undefined) return measuredElsewhere(away);
  const [a, b] = await Promise.all([
    c.from === undefined ? undefined : fetcher.tree(name, c.from),
    fetcher.tree(name, c.to),
  ]);
  const cacheName = diffCacheName(a?.key, b.key);
  const hit = readMeasured(cache, cacheName);
  if (hit) return hit;
  const d = await measureTrees(a?.dir, b.dir);
  const measured = { stat: d.stat, files: riskRelevantFiles(d.files) };
  if (cache) writeCacheJson(cache, 'diffstat', cacheName, measured);
  return measured;
}

/**
 * A platform package not installed here (an `@next/swc-*` binary for another OS, say): the whole
 * release counts as binary, at its published size, with a native-code note saying why.
 */
function measuredElsewhere(away: Elsewhere): Measured {
  const files = away.files ?? 1;
  const bytes = away.bytes ?? 0;
  const stat = { filesChanged: files, insertions: 0, deletions: 0, binaryFiles: files, binaryBytes: bytes };
  const size = away.bytes === undefined ? 'size not published by the registry' : `${bytes} bytes`;
  const file: DiffFile = {
    path: `(release for ${away.platform}: ${away.files ?? 'unknown number of'} files, ${size}; not downloaded)`,
    status: 'modified',
    insertions: 0,
    deletions: 0,
    binary: true,
    platform: away.platform,
    newBytes: bytes,
  };
  return { stat, files: [file] };
}

export async function computeSuggestions(
  failures: readonly SuggestFailure[],
  fetcher: SuggestFetcher,
  options: SuggestOptions,
): Promise<SuggestReport> {
  const progress = options.progress ?? silentProgress;
  const jobs = failures.flatMap((f) => f.candidates.map((c) => ({ f, c })));
  const problems: SuggestProblem[] = [];
  const results = await mapLimit(jobs, options.concurrency ?? 8, async ({ f, c }) => {
    try {
      return await measure(f.name, c, fetcher, options.cache);
    } catch (e) {
      if (!isVetError(e) || FATAL.has(e.code)) throw e;
      problems.push({ name: f.name, version: f.version, candidate: c, error: e });
      return undefined;
    } finally {
      progress.tick(`${f.name}@${c.to}`);
    }
  });
  progress.done();
  const best = pickSmallest(jobs, results);
  const packuments = await loadPackuments([...best.values()], fetcher);
  const suggestions: Suggestion[] = [];
  for (const f of failures) {
    const b = best.get(f);
    if (!b) {
      if (!problems.some((p) => p.name === f.name && p.version === f.version)) problems.push(noCandidates(f));
      continue;
    }
    const risk = riskSignals(f.name, b.c.from, b.c.to, packuments, options.graph, { files: b.m.files });
    suggestions.push({
      name: f.name,
      version: f.version,
      criteria: f.criteria,
      ...(b.c.from === undefined ? {} : { from: b.c.from }),
      to: b.c.to,
      diffstat: b.m.stat,
      lines: diffStatLines(b.m.stat),
      risk,
    });
  }
  suggestions.sort((x, y) => auditCost(x.diffstat, y.diffstat) || cmp(x.name, y.name) || cmp(x.to, y.to));
  // Candidates finish in network order; report problems in a stable order.
  problems.sort(
    (x, y) => cmp(x.name, y.name) || cmp(x.version, y.version) || cmp(x.candidate?.from ?? '', y.candidate?.from ?? ''),
  );
  return { suggestions, totalLines: suggestions.reduce((n, s) => n + s.lines, 0), problems };
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Which of two diffs is the cheaper audit: any binary change (a replaced executable, say)
 * is a risk to review, not zero lines, so diffs without binaries come first; then lines;
 * then the binary bytes.
 */
export function auditCost(a: DiffStat, b: DiffStat): number {
  return (
    Number((a.binaryFiles ?? 0) > 0) - Number((b.binaryFiles ?? 0) > 0) ||
    diffStatLines(a) - diffStatLines(b) ||
    (a.binaryBytes ?? 0) - (b.binaryBytes ?? 0)
  );
}

type Job = { f: SuggestFailure; c: SuggestCandidate };

/** Smallest candidate per failure, in candidate order so the first wins ties. */
function pickSmallest(jobs: Job[], results: (Measured | undefined)[]): Map<SuggestFailure, Job & { m: Measured }> {
  const best = new Map<SuggestFailure, Job & { m: Measured }>();
  jobs.forEach((job, i) => {
    const m = results[i];
    if (!m) return;
    const cur = best.get(job.f);
    if (!cur || auditCost(m.stat, cur.m.stat) < 0) best.set(job.f, { ...job, m });
  });
  return best;
}

/**
 * Packuments (or just the versions compared) for risk signals; one that cannot be fetched just
 * means fewer signals, an unreachable registry stops.
 */
async function loadPackuments(best: Job[], fetcher: SuggestFetcher): Promise<Map<string, Packument>> {
  const versions = new Map<string, Set<string>>();
  for (const { f, c } of best) {
    const set = versions.get(f.name) ?? new Set<string>();
    for (const v of [c.from, c.to]) if (v !== undefined) set.add(v);
    versions.set(f.name, set);
  }
  const out = new Map<string, Packument>();
  await mapLimit([...versions], 8, async ([name, vs]) => {
    try {
      out.set(name, await (fetcher.manifests ? fetcher.manifests(name, [...vs]) : fetcher.packument(name)));
    } catch (e) {
      if (!isVetError(e) || e.code === 'NETWORK_ERROR') throw e;
    }
  });
  return out;
}

function noCandidates(f: SuggestFailure): SuggestProblem {
  const error = new VetError('NOT_FOUND', `no candidate audit could be measured for ${f.name}@${f.version}`, {
    hint: 'the resolver proposed no delta or full audit for this package',
  });
  return { name: f.name, version: f.version, error };
}
