/**
 * The notary half of refreshing imports (`vet import`, unlocked `vet check`): fetch the
 * checkpoint, plan (rollback/fork checks against the user state dir and imports.lock),
 * fetch the entry bundles, verify and replay (all in @vet/core, synchronously over the
 * exact bytes), then put the effective audits, translated to local criteria, and the
 * verified checkpoint into the given store copy. The mirror state is saved only after
 * everything verified; a failing refresh writes nothing.
 */
import {
  CriteriaIndex,
  VetError,
  notaryAuditsFile,
  notarySignatureJobs,
  planNotaryUpdate,
  replayNotaryEntries,
  verifyNotaryEntries,
  translateImport,
  type DependencyGraph,
  type ImportConfig,
  type NotaryMirrorState,
  type NotarySignatureLookup,
  type NotaryVerifiedEntries,
  type Store,
} from '@vet/core';
import type { NotaryRefresher } from '../imports/refresh.js';
import type { CommandIO } from '../io.js';
import type { HttpClient } from '../registry/index.js';
import { fetchNotaryAdminKeys, fetchNotaryBundles, fetchNotaryCheckpoint } from './fetch.js';
import { notaryStateDir, notaryStateRoot, readNotaryMirror, writeNotaryMirror } from './state-dir.js';
import { MIN_PARALLEL_ENTRIES, VerifyPool } from './verify-pool.js';

export interface NotaryRefresherOptions {
  http: HttpClient;
  io: CommandIO;
  storeDir: string;
  /** Root of vet's user state (default $XDG_STATE_HOME/vet). */
  stateDir?: string;
}

const MAX_WARNINGS_SHOWN = 5;

export function notaryRefresher(opts: NotaryRefresherOptions): NotaryRefresher {
  return async (name, config, store, graph) => {
    const result = await refreshNotaryImport(opts, name, config, store, graph);
    const shown = result.warnings.slice(0, MAX_WARNINGS_SHOWN);
    for (const w of shown) opts.io.err(`warning: ${w}\n`);
    if (result.warnings.length > shown.length) opts.io.err(`warning: … and ${result.warnings.length - shown.length} more about notary import '${name}'\n`);
  };
}

export interface NotaryRefreshResult {
  state: NotaryMirrorState;
  newEntries: number;
  warnings: string[];
  /** Whether the user state dir was updated (false when it already held a larger checkpoint). */
  saved: boolean;
  /** Wall milliseconds per phase (for the bench). */
  timings: Record<string, number>;
}

/** The working half, also called directly by tests and the bench. Mutates `store`. */
export async function refreshNotaryImport(
  opts: NotaryRefresherOptions,
  name: string,
  config: ImportConfig,
  store: Store,
  graph: DependencyGraph,
): Promise<NotaryRefreshResult> {
  const n = config.notary;
  if (n === undefined) throw new VetError('INTERNAL', `import '${name}' is not a notary import`);
  const origin = n.key.split('+')[0] ?? '';
  const dir = notaryStateDir(notaryStateRoot(opts.io.env, opts.stateDir), origin);
  const timings: Record<string, number> = {};
  let t = performance.now();
  const lap = (phase: string) => {
    const now = performance.now();
    timings[phase] = (timings[phase] ?? 0) + now - t;
    t = now;
  };
  const saved = await readNotaryMirror(dir);
  lap('readState');
  const note = await fetchNotaryCheckpoint(opts.http, n.url);
  const lockCheckpoint = store.importsLock.notaryCheckpoints?.[name];
  let plan = planNotaryUpdate({
    importName: name,
    config: n,
    now: Math.floor(opts.io.now().getTime() / 1000),
    checkpoint: note,
    ...(saved.state ? { state: saved.state } : {}),
    ...(lockCheckpoint !== undefined ? { lockCheckpoint } : {}),
  });
  // No admin key pinned yet (first use, or the log was empty until now): pin it.
  if (Object.keys(plan.adminKeys).length === 0 && plan.to > plan.from) plan = { ...plan, adminKeys: await fetchNotaryAdminKeys(opts.http, n.url) };
  lap('checkpoint');
  const bundles = await fetchNotaryBundles(opts.http, n.url, plan.bundles);
  lap('fetch');
  const entries = verifyNotaryEntries(plan, bundles);
  lap('tree');
  const { parsed, verified } = await parseAndVerify(entries, { adminKeys: plan.adminKeys, auditors: plan.base?.auditors ?? {} });
  lap('signatures');
  const applied = replayNotaryEntries(plan, entries, { parsed, ...(verified ? { verified } : {}) });
  lap('replay');
  const packages = new Set(graph.nodes.filter((x) => !x.firstParty).map((x) => x.name));
  const translated = translateImport(notaryAuditsFile(applied.state, graph.ecosystem, packages), config, new CriteriaIndex(store.audits.criteria), {
    importName: name,
    packages,
  });
  store.importsLock.audits[name] = translated.audits;
  store.importsLock.notaryCheckpoints = { ...store.importsLock.notaryCheckpoints, [name]: note };
  lap('translate');
  const wrote = await writeNotaryMirror(dir, applied.state, saved.saved);
  lap('saveState');
  return {
    state: applied.state,
    newEntries: applied.newEntries,
    warnings: [...(saved.warning ? [saved.warning] : []), ...applied.warnings, ...translated.warnings],
    saved: wrote,
    timings,
  };
}

const PARSE_CHUNK = 2_000;

/**
 * Parses the new entries in slices and hands each slice's signatures to the worker pool at
 * once, so parsing and verifying overlap. Small batches skip the pool (the replay verifies).
 */
async function parseAndVerify(
  v: NotaryVerifiedEntries,
  keyring: Pick<NotaryMirrorState, 'adminKeys' | 'auditors'>,
): Promise<{ parsed: ReturnType<typeof notarySignatureJobs>['parsed']; verified?: NotarySignatureLookup }> {
  if (v.entries.length < MIN_PARALLEL_ENTRIES) return { parsed: notarySignatureJobs(v, keyring).parsed };
  const pool = new VerifyPool();
  try {
    const carry = new Map<string, Set<string>>();
    const parsed: ReturnType<typeof notarySignatureJobs>['parsed'] = [];
    for (let at = 0; at < v.entries.length; at += PARSE_CHUNK) {
      const work = notarySignatureJobs({ from: v.from + at, entries: v.entries.slice(at, at + PARSE_CHUNK) }, keyring, carry);
      pool.submit(work.jobs);
      for (const p of work.parsed) parsed.push(p);
    }
    return { parsed, verified: await pool.lookup() };
  } finally {
    await pool.close();
  }
}
