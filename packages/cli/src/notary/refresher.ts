/**
 * The notary half of refreshing imports (`vet import`, unlocked `vet check`): fetch the
 * checkpoint, plan (rollback/fork checks against the user state dir and imports.lock),
 * fetch, hash, verify and replay the entry bundles (pipeline.ts: bundle by bundle, the
 * checks in @vet/core over the exact bytes, signatures on worker threads), then put the effective audits, translated to local criteria, and the
 * verified checkpoint into the given store copy. The mirror state is saved only after
 * everything verified; a failing refresh writes nothing.
 */
import {
  CriteriaIndex,
  VetError,
  escapeText,
  notaryAuditsFile,
  notaryRevokedAudits,
  planNotaryUpdate,
  type RevokedAuditEntry,
  translateImport,
  type DependencyGraph,
  type ImportConfig,
  type NotaryMirrorState,
  type Store,
} from '@vet/core';
import type { NotaryRefresher } from '../imports/refresh.js';
import type { CommandIO } from '../io.js';
import type { HttpClient } from '../registry/index.js';
import { fetchNotaryAdminKeys, fetchNotaryCheckpoint } from './fetch.js';
import { fetchVerifyReplay } from './pipeline.js';
import { notaryStateDir, notaryStateRoot, readNotaryMirror, writeNotaryMirror } from './state-dir.js';

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
    for (const w of shown) opts.io.err(`warning: ${escapeText(w)}\n`);
    if (result.warnings.length > shown.length)
      opts.io.err(
        `warning: … and ${result.warnings.length - shown.length} more about notary import '${escapeText(name)}'\n`,
      );
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
  if (Object.keys(plan.adminKeys).length === 0 && plan.to > plan.from)
    plan = { ...plan, adminKeys: await fetchNotaryAdminKeys(opts.http, n.url) };
  lap('checkpoint');
  const applied = await fetchVerifyReplay(opts.http, n.url, plan, timings);
  lap('pipeline');
  const packages = new Set(graph.nodes.filter((x) => !x.firstParty).map((x) => x.name));
  const translated = translateImport(
    notaryAuditsFile(applied.state, graph.ecosystem, packages),
    config,
    new CriteriaIndex(store.audits.criteria),
    {
      importName: name,
      packages,
    },
  );
  store.importsLock.audits[name] = translated.audits;
  setRevoked(store, name, revokedApprovals(applied.state, config, store, graph, packages));
  store.importsLock.notaryCheckpoints = { ...store.importsLock.notaryCheckpoints, [name]: note };
  lap('translate');
  const wrote = await writeNotaryMirror(dir, applied.state, saved.saved, applied.claimLines);
  lap('saveState');
  return {
    state: applied.state,
    newEntries: applied.newEntries,
    warnings: [...(saved.warning ? [saved.warning] : []), ...applied.warnings, ...translated.warnings],
    saved: wrote,
    timings,
  };
}

/** The log's revoked approvals of lockfile packages, in local criteria (imports.lock `[[revoked…]]`). */
function revokedApprovals(
  state: NotaryMirrorState,
  config: ImportConfig,
  store: Store,
  graph: DependencyGraph,
  packages: ReadonlySet<string>,
): Record<string, RevokedAuditEntry[]> {
  const foreign = notaryRevokedAudits(state, graph.ecosystem, packages);
  const local = new CriteriaIndex(store.audits.criteria);
  const { audits } = translateImport(foreign, config, local, { importName: 'revoked', packages });
  // Only versions the lockfile has: a revocation matters where it could explain a failure.
  const inUse = new Set(graph.nodes.map((n) => `${n.name}\u0000${n.version}`));
  const out: Record<string, RevokedAuditEntry[]> = Object.create(null) as Record<string, RevokedAuditEntry[]>;
  for (const [pkg, list] of Object.entries(audits.audits as Record<string, RevokedAuditEntry[]>)) {
    const kept = list.filter((e) => inUse.has(`${pkg}\u0000${e.kind === 'delta' ? e.delta?.to : e.version}`));
    if (kept.length > 0) out[pkg] = kept;
  }
  return out;
}

function setRevoked(store: Store, name: string, revoked: Record<string, RevokedAuditEntry[]>): void {
  const all = { ...store.importsLock.revoked };
  if (Object.keys(revoked).length > 0) all[name] = revoked;
  else delete all[name];
  if (Object.keys(all).length > 0) store.importsLock.revoked = all;
  else delete store.importsLock.revoked;
}
