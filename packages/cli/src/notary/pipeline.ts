/**
 * Steps 3–4 of a refresh (notary.md §9) bundle by bundle: fetch bundle k+FETCH_AHEAD while
 * bundle k is hashed into the tree, parsed, its signatures posted to the worker pool, and
 * earlier bundles whose signatures came back are replayed. Signature checks are most of the
 * CPU of a large import; run one phase after another, the workers sat idle during fetch,
 * tree and replay (about a third of the wall time), so both cores are now busy throughout.
 *
 * Same checks, same order of precedence as the one-phase-after-another version: a replay
 * error (bad signature, unknown key) is held until the whole tree is checked, so tampered
 * bytes still surface as LOG_INCONSISTENT rather than as the bad signature they cause.
 * Nothing here writes; the caller saves only after this returns.
 */
import {
  NotaryReplaySession,
  NotaryTreeVerifier,
  notarySignatureJobs,
  type NotaryBundleEntries,
  type NotaryMirrorState,
  type NotaryUpdatePlan,
  type NotaryUpdateResult,
} from '@vet/core';
import type { HttpClient } from '../registry/index.js';
import { fetchNotaryBundle } from './fetch.js';
import { notaryClaimLine } from './state-dir.js';
import { MIN_PARALLEL_ENTRIES, VerifyPool, VerifiedSlice } from './verify-pool.js';

/** Bundles in flight: enough to hide request latency, few enough to bound memory. */
const FETCH_AHEAD = 8;

interface Slice extends NotaryBundleEntries {
  parsed: ReturnType<typeof notarySignatureJobs>['parsed'];
  /** Resolved worker answers; undefined while pending or when the replay verifies inline. */
  answers?: VerifiedSlice;
  settled: boolean;
  wait: Promise<void>;
}

export interface NotaryPipelineResult extends NotaryUpdateResult {
  /** Mirror-file lines of the claims this refresh added (see writeNotaryMirror). */
  claimLines: { from: number; lines: string[] };
}

/** `timings` collects main-thread milliseconds per activity (for the bench). */
export async function fetchVerifyReplay(
  http: HttpClient,
  url: string,
  plan: NotaryUpdatePlan,
  timings: Record<string, number>,
): Promise<NotaryPipelineResult> {
  const clock = stopwatch(timings);
  const tree = new NotaryTreeVerifier(plan);
  let current: VerifiedSlice | undefined;
  const replay = new NotaryReplaySession(plan, (index, sigIndex, key) => current?.lookup(index, sigIndex, key));
  const claimsFrom = replay.state.claims.length;
  const lines: string[] = [];
  const pool = plan.to - plan.from >= MIN_PARALLEL_ENTRIES ? new VerifyPool() : undefined;
  const keyring: Pick<NotaryMirrorState, 'adminKeys' | 'auditors'> = {
    adminKeys: plan.adminKeys,
    auditors: plan.base?.auditors ?? {},
  };
  const carry = new Map<string, Set<string>>();
  const queue: Slice[] = [];
  let held: unknown;

  const replayFront = (): void => {
    const s = queue.shift()!;
    current = s.answers;
    if (held === undefined) {
      try {
        clock('replay', () => replay.apply(s.from, s.entries, tree.leafHashes, s.parsed));
      } catch (e) {
        held = e;
      }
    }
    clock('serialize', () => {
      const claims = replay.state.claims;
      for (let i = claimsFrom + lines.length; i < claims.length; i++) lines.push(notaryClaimLine(claims[i]!));
    });
    current = undefined;
  };

  try {
    const fetches = prefetch(http, url, plan);
    for (let k = 0; k < plan.bundles.length; k++) {
      const bytes = await clock.wait('fetchWait', fetches(k));
      const slice = clock('tree', () => tree.add(k, bytes));
      // After a replay error only the tree still matters (it decides which error wins).
      if (held === undefined) queue.push(clock('parse', () => submit(slice, keyring, carry, pool)));
      while (queue[0]?.settled && held === undefined) replayFront();
    }
    clock('tree', () => tree.finish());
    while (queue.length > 0 && held === undefined) {
      await clock.wait('verifyWait', queue[0]!.wait);
      replayFront();
    }
    if (held !== undefined)
      throw held instanceof Error ? held : new Error(`non-Error thrown during replay: ${JSON.stringify(held)}`);
    return { ...replay.finish(tree.range, tree.leafHashes), claimLines: { from: claimsFrom, lines } };
  } finally {
    await pool?.close();
  }
}

/** Parses a bundle's new entries and posts their signature checks. */
function submit(
  slice: NotaryBundleEntries,
  keyring: Pick<NotaryMirrorState, 'adminKeys' | 'auditors'>,
  carry: Map<string, Set<string>>,
  pool: VerifyPool | undefined,
): Slice {
  const work = notarySignatureJobs(slice, keyring, carry);
  const s: Slice = { ...slice, parsed: work.parsed, settled: pool === undefined, wait: Promise.resolve() };
  if (pool !== undefined) {
    s.wait = pool.verify(slice.from, slice.entries.length, work.jobs).then((answers) => {
      s.answers = answers;
      s.settled = true;
    });
  }
  return s;
}

/** fetch(k) returns bundle k and keeps the next FETCH_AHEAD requests in flight. */
function prefetch(http: HttpClient, url: string, plan: NotaryUpdatePlan): (k: number) => Promise<Uint8Array> {
  const inFlight = new Map<number, Promise<Uint8Array>>();
  const start = (k: number) => {
    if (k >= plan.bundles.length || inFlight.has(k)) return;
    const p = fetchNotaryBundle(http, url, plan.bundles[k]!);
    p.catch(() => undefined); // abandoned when an earlier bundle fails; awaited otherwise
    inFlight.set(k, p);
  };
  return (k) => {
    for (let j = k; j <= k + FETCH_AHEAD; j++) start(j);
    const p = inFlight.get(k)!;
    inFlight.delete(k);
    return p;
  };
}

interface Stopwatch {
  <T>(activity: string, fn: () => T): T;
  wait<T>(activity: string, p: Promise<T>): Promise<T>;
}

function stopwatch(timings: Record<string, number>): Stopwatch {
  const add = (activity: string, t0: number) =>
    void (timings[activity] = (timings[activity] ?? 0) + performance.now() - t0);
  const clock = <T>(activity: string, fn: () => T): T => {
    const t0 = performance.now();
    try {
      return fn();
    } finally {
      add(activity, t0);
    }
  };
  clock.wait = async <T>(activity: string, p: Promise<T>): Promise<T> => {
    const t0 = performance.now();
    try {
      return await p;
    } finally {
      add(activity, t0);
    }
  };
  return clock;
}
