/**
 * One refresh of a mirrored notary log, in two pure halves around the fetching
 * (STYLE §9 "fetch first, then verify synchronously over exact bytes"):
 *
 *  planNotaryUpdate   verify the fetched checkpoint; compare it with every checkpoint we
 *                     verified before (the user state dir's and imports.lock's): smaller =
 *                     rollback, same size with another root = fork; list the entry bundles
 *                     to fetch.
 *  applyNotaryBundles append every fetched leaf hash to the stored compact range, check the
 *                     roots of older checkpoints on the way and the new root at the end
 *                     (tampered entries or an inconsistent larger tree fail here), then
 *                     replay the new entries. Returns the next state; nothing is written.
 *
 * The CLI runs the second half bundle by bundle (NotaryTreeVerifier, NotaryReplaySession)
 * so hashing, parsing, signature checks and replay overlap; the order of checks is kept.
 */
import { VetError } from '../errors.js';
import { bytesEqual } from '../sig/bytes.js';
import { CompactRange } from '../tlog/compact-range.js';
import type { VerifiedCheckpoint } from '../tlog/checkpoint.js';
import { MERKLE_HASH_BYTES, rootOf } from '../tlog/merkle.js';
import { TILE_WIDTH, entriesTilePath } from '../tlog/tiles.js';
import type { NotaryImportConfig } from '../store/model.js';
import { forkError, rollbackError, verifyNotaryCheckpoint, verifyStoredCheckpoint } from './checkpoints.js';
import { NotaryTreeVerifier } from './tree.js';
import type { DecodedDsse } from '../sig/dsse.js';
import { NotaryReplayer, type SignatureLookup } from './replay.js';
import { NOTARY_MIRROR_FORMAT, type NotaryMirrorState } from './state.js';
import { cloneData } from '../dict.js';

export interface NotaryUpdateInput {
  importName: string;
  config: NotaryImportConfig;
  /** POSIX seconds (the caller's clock). */
  now: number;
  /** The fetched /checkpoint body. */
  checkpoint: string;
  /** Mirror state from the user state dir, if any. */
  state?: NotaryMirrorState;
  /** Checkpoint recorded in imports.lock, if any. */
  lockCheckpoint?: string;
  /** Admin keys (keyid → base64) to pin when there is no state yet (first use). */
  adminKeys?: Record<string, string>;
}

export interface NotaryBundleRef {
  index: number;
  width: number;
  /** Path relative to the log prefix: `tile/entries/…`. */
  path: string;
}

interface TrustedCheckpoint {
  note: string;
  source: string;
  cp: VerifiedCheckpoint;
}

export interface NotaryUpdatePlan {
  importName: string;
  config: NotaryImportConfig;
  received: { note: string; cp: VerifiedCheckpoint };
  /** State to extend (undefined: mirror from scratch). */
  base: NotaryMirrorState | undefined;
  adminKeys: Record<string, string>;
  from: number;
  to: number;
  bundles: NotaryBundleRef[];
  /** Older verified checkpoints beyond `from`, checked while extending. */
  checks: TrustedCheckpoint[];
  warnings: string[];
}

export function planNotaryUpdate(input: NotaryUpdateInput): NotaryUpdatePlan {
  const { importName, config } = input;
  const received = verifyNotaryCheckpoint(input.checkpoint, config, { importName, now: input.now });
  const cp = received.checkpoint;
  const warnings: string[] = [];
  const trusted: TrustedCheckpoint[] = [];
  let base = input.state;
  if (base && (base.origin !== cp.origin || base.logKey !== config.key)) {
    warnings.push(
      `notary import '${importName}': the saved mirror is for another origin or key; mirroring again from the start`,
    );
    base = undefined;
  }
  if (base) {
    const stored = verifyStoredCheckpoint(base.checkpoint, config, 'notary mirror state');
    if (stored.size !== base.range.size || !bytesEqual(CompactRange.fromJSON(base.range).root(), stored.rootHash)) {
      warnings.push(
        `notary import '${importName}': the saved mirror does not match its own checkpoint; mirroring again from the start`,
      );
      base = undefined;
    }
    // Its checkpoint verified under the pinned key, so it still guards against rollback.
    trusted.push({ note: input.state!.checkpoint, source: 'user state directory', cp: stored });
  }
  if (input.lockCheckpoint !== undefined) {
    const lock = tryVerify(input.lockCheckpoint, config, warnings, importName);
    if (lock) trusted.push({ note: input.lockCheckpoint, source: 'imports.lock', cp: lock });
  }
  const recv = { note: input.checkpoint, size: cp.size, source: `${config.url}/checkpoint` };
  for (const t of trusted) {
    if (t.cp.size > cp.size) throw rollbackError(importName, { note: t.note, size: t.cp.size, source: t.source }, recv);
    if (t.cp.size === cp.size && !bytesEqual(t.cp.rootHash, cp.rootHash)) {
      throw forkError(importName, t, recv, `two checkpoints of size ${cp.size} with different roots`);
    }
  }
  const from = base?.range.size ?? 0;
  const checks: TrustedCheckpoint[] = [];
  for (const t of trusted) {
    if (t.cp.size > from) checks.push(t);
    else if (base && t.source !== 'user state directory') checkPrefix(base, t, importName);
  }
  checks.sort((a, b) => a.cp.size - b.cp.size);
  const adminKeys = base?.adminKeys ?? input.adminKeys ?? {};
  return {
    importName,
    config,
    received: { note: input.checkpoint, cp },
    base,
    adminKeys,
    from,
    to: cp.size,
    bundles: bundlesBetween(from, cp.size),
    checks,
    warnings,
  };
}

/** Entry bundles covering [from, to): full ones, and the partial last one the checkpoint implies. */
export function bundlesBetween(from: number, to: number): NotaryBundleRef[] {
  const out: NotaryBundleRef[] = [];
  if (from >= to) return out;
  for (let n = Math.floor(from / TILE_WIDTH); n * TILE_WIDTH < to; n++) {
    const width = Math.min(TILE_WIDTH, to - n * TILE_WIDTH);
    out.push({ index: n, width, path: entriesTilePath(n, width === TILE_WIDTH ? undefined : width) });
  }
  return out;
}

export interface NotaryUpdateResult {
  state: NotaryMirrorState;
  newEntries: number;
  warnings: string[];
}

/** Entries that hashed to the signed root: new ones from index `from` on. */
export interface NotaryVerifiedEntries {
  range: CompactRange;
  leafHashes: Uint8Array;
  from: number;
  entries: Uint8Array[];
}

/** `bundles[i]` = the bytes fetched for `plan.bundles[i]`. Checks the tree, then replays. */
export function applyNotaryBundles(
  plan: NotaryUpdatePlan,
  bundles: readonly Uint8Array[],
  opts: ReplayOptions = {},
): NotaryUpdateResult {
  return replayNotaryEntries(plan, verifyNotaryEntries(plan, bundles), opts);
}

export interface ReplayOptions {
  /** Signature results computed earlier over the same bytes (e.g. in parallel): see NotaryReplayer. */
  verified?: SignatureLookup;
  /** The new entries already parsed (notarySignatureJobs), by position. */
  parsed?: readonly (DecodedDsse | undefined)[];
}

/** Step 3 over all bundles at once (the CLI uses NotaryTreeVerifier bundle by bundle). */
export function verifyNotaryEntries(plan: NotaryUpdatePlan, bundles: readonly Uint8Array[]): NotaryVerifiedEntries {
  if (bundles.length !== plan.bundles.length)
    throw new VetError('INTERNAL', 'one fetched bundle per planned bundle expected');
  const tree = new NotaryTreeVerifier(plan);
  const fresh: Uint8Array[] = [];
  bundles.forEach((bytes, k) => {
    for (const entry of tree.add(k, bytes).entries) fresh.push(entry);
  });
  tree.finish();
  return { range: tree.range, leafHashes: tree.leafHashes, from: plan.from, entries: fresh };
}

/** Step 4: replay the new entries on a copy of the base state. */
export function replayNotaryEntries(
  plan: NotaryUpdatePlan,
  v: NotaryVerifiedEntries,
  opts: ReplayOptions = {},
): NotaryUpdateResult {
  const replay = new NotaryReplaySession(plan, opts.verified);
  replay.apply(v.from, v.entries, v.leafHashes, opts.parsed);
  return replay.finish(v.range, v.leafHashes);
}

/**
 * Step 4 in slices: entries are applied in index order as their signatures come back from
 * the verifiers, on a copy of the base state. The result is only usable once the tree that
 * produced the entries passed NotaryTreeVerifier.finish().
 */
export class NotaryReplaySession {
  readonly state: NotaryMirrorState;
  readonly #plan: NotaryUpdatePlan;
  readonly #replayer: NotaryReplayer;
  #next: number;

  constructor(plan: NotaryUpdatePlan, verified?: SignatureLookup) {
    const base = plan.base;
    this.#plan = plan;
    this.#next = plan.from;
    this.state = {
      format: NOTARY_MIRROR_FORMAT,
      origin: plan.received.cp.origin,
      logKey: plan.config.key,
      checkpoint: plan.received.note,
      range: base?.range ?? new CompactRange().toJSON(),
      leafHashes: base?.leafHashes ?? new Uint8Array(0),
      adminKeys: { ...plan.adminKeys },
      auditors: cloneData(base?.auditors ?? {}),
      // Shallow: the replay copies a record before changing it (revocation).
      claims: [...(base?.claims ?? [])],
    };
    this.#replayer = new NotaryReplayer(this.state, plan.from, verified);
  }

  /** Entries from index `from` on, continuing where the last call stopped; `parsed[i]` optional. */
  apply(
    from: number,
    entries: readonly Uint8Array[],
    leafHashes: Uint8Array,
    parsed?: readonly (DecodedDsse | undefined)[],
  ): void {
    if (from !== this.#next) throw new VetError('INTERNAL', `replay continues at ${this.#next}, not ${from}`);
    entries.forEach((entry, i) => {
      const idx = from + i;
      this.#replayer.apply(
        idx,
        entry,
        leafHashes.subarray(idx * MERKLE_HASH_BYTES, (idx + 1) * MERKLE_HASH_BYTES),
        parsed?.[i],
      );
    });
    this.#next += entries.length;
  }

  /** The next state, with the verified tree's range and leaf hashes. */
  finish(range: CompactRange, leafHashes: Uint8Array): NotaryUpdateResult {
    const plan = this.#plan;
    if (this.#next !== plan.to) throw new VetError('INTERNAL', `replay stopped at ${this.#next} of ${plan.to}`);
    this.state.range = range.toJSON();
    this.state.leafHashes = leafHashes;
    return {
      state: this.state,
      newEntries: plan.to - plan.from,
      warnings: [...plan.warnings, ...this.#replayer.warnings.map((w) => `notary import '${plan.importName}': ${w}`)],
    };
  }
}

/** An older checkpoint within the mirrored range must match the root of that prefix. */
function checkPrefix(base: NotaryMirrorState, t: TrustedCheckpoint, importName: string): void {
  const size = t.cp.size;
  // Same size as the mirror: its root is the compact range's, checked against its checkpoint.
  if (size === base.range.size) {
    if (bytesEqual(CompactRange.fromJSON(base.range).root(), t.cp.rootHash)) return;
    throw forkError(
      importName,
      t,
      { note: base.checkpoint, source: 'user state directory' },
      `two checkpoints of size ${size} with different roots`,
    );
  }
  const hashes: Uint8Array[] = [];
  for (let i = 0; i < size; i++)
    hashes.push(base.leafHashes.subarray(i * MERKLE_HASH_BYTES, (i + 1) * MERKLE_HASH_BYTES));
  if (!bytesEqual(rootOf(hashes), t.cp.rootHash)) {
    throw forkError(
      importName,
      t,
      { note: base.checkpoint, source: 'user state directory' },
      `the ${base.range.size}-entry tree mirrored before does not extend the ${size}-entry tree in ${t.source}`,
    );
  }
}

function tryVerify(
  note: string,
  config: NotaryImportConfig,
  warnings: string[],
  importName: string,
): VerifiedCheckpoint | undefined {
  try {
    return verifyStoredCheckpoint(note, config, 'imports.lock');
  } catch (e) {
    if (!(e instanceof VetError)) throw e;
    warnings.push(
      `notary import '${importName}': the checkpoint in imports.lock does not verify with the configured key (${e.message}); ignoring it`,
    );
    return undefined;
  }
}
