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
 */
import { VetError } from '../errors.js';
import { bytesEqual, encodeBase64 } from '../sig/bytes.js';
import { CompactRange } from '../tlog/compact-range.js';
import type { VerifiedCheckpoint } from '../tlog/checkpoint.js';
import { MERKLE_HASH_BYTES, hashLeaf, rootOf } from '../tlog/merkle.js';
import { TILE_WIDTH, decodeEntryBundle, entriesTilePath } from '../tlog/tiles.js';
import type { NotaryImportConfig } from '../store/model.js';
import { forkError, rollbackError, verifyNotaryCheckpoint, verifyStoredCheckpoint } from './checkpoints.js';
import { NotaryReplayer, type ParsedEntry, type SignatureLookup } from './replay.js';
import { NOTARY_MIRROR_FORMAT, type NotaryMirrorState } from './state.js';

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
    warnings.push(`notary import '${importName}': the saved mirror is for another origin or key; mirroring again from the start`);
    base = undefined;
  }
  if (base) {
    const stored = verifyStoredCheckpoint(base.checkpoint, config, 'notary mirror state');
    if (stored.size !== base.range.size || !bytesEqual(CompactRange.fromJSON(base.range).root(), stored.rootHash)) {
      warnings.push(`notary import '${importName}': the saved mirror does not match its own checkpoint; mirroring again from the start`);
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
  return { importName, config, received: { note: input.checkpoint, cp }, base, adminKeys, from, to: cp.size, bundles: bundlesBetween(from, cp.size), checks, warnings };
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
export function applyNotaryBundles(plan: NotaryUpdatePlan, bundles: readonly Uint8Array[], opts: ReplayOptions = {}): NotaryUpdateResult {
  return replayNotaryEntries(plan, verifyNotaryEntries(plan, bundles), opts);
}

export interface ReplayOptions {
  /** Signature results computed earlier over the same bytes (e.g. in parallel): see NotaryReplayer. */
  verified?: SignatureLookup;
  /** The new entries already parsed (notarySignatureJobs), by position. */
  parsed?: readonly (ParsedEntry | undefined)[];
}

/** Step 3: every fetched leaf hash appended to the compact range; roots checked. */
export function verifyNotaryEntries(plan: NotaryUpdatePlan, bundles: readonly Uint8Array[]): NotaryVerifiedEntries {
  const { base, from, to, importName } = plan;
  if (bundles.length !== plan.bundles.length) throw new VetError('INTERNAL', 'one fetched bundle per planned bundle expected');
  const range = base ? CompactRange.fromJSON(base.range) : new CompactRange();
  const leafHashes = new Uint8Array(to * MERKLE_HASH_BYTES);
  if (base) leafHashes.set(base.leafHashes);
  const checks = [...plan.checks];
  const fresh: Uint8Array[] = [];
  plan.bundles.forEach((ref, k) => {
    let entries: Uint8Array[];
    try {
      entries = decodeEntryBundle(bundles[k]!, ref.width);
    } catch (e) {
      throw inconsistent(plan, `entry bundle ${ref.path} is malformed: ${(e as Error).message}`);
    }
    entries.forEach((entry, j) => {
      const idx = ref.index * TILE_WIDTH + j;
      const h = hashLeaf(entry);
      if (idx < from) {
        if (!bytesEqual(h, leafHashes.subarray(idx * MERKLE_HASH_BYTES, (idx + 1) * MERKLE_HASH_BYTES))) {
          throw inconsistent(plan, `entry ${idx} in ${ref.path} differs from the entry mirrored before`);
        }
        return;
      }
      range.append(h);
      leafHashes.set(h, idx * MERKLE_HASH_BYTES);
      fresh.push(entry);
      while (checks[0] !== undefined && checks[0].cp.size === range.size) {
        const t = checks.shift()!;
        if (!bytesEqual(range.root(), t.cp.rootHash)) {
          throw forkError(importName, t, { note: plan.received.note, source: `${plan.config.url}/checkpoint` }, `the entries of the ${to}-entry tree do not extend the ${t.cp.size}-entry tree verified before`);
        }
      }
    });
  });
  if (!bytesEqual(range.root(), plan.received.cp.rootHash)) {
    throw inconsistent(plan, `the served entries hash to ${encodeBase64(range.root())}, not to the signed root ${encodeBase64(plan.received.cp.rootHash)}`);
  }
  return { range, leafHashes, from, entries: fresh };
}

/** Step 4: replay the new entries on a copy of the base state. */
export function replayNotaryEntries(plan: NotaryUpdatePlan, v: NotaryVerifiedEntries, opts: ReplayOptions = {}): NotaryUpdateResult {
  const { base, importName } = plan;
  const { range, leafHashes, from, entries: fresh } = v;
  const state: NotaryMirrorState = {
    format: NOTARY_MIRROR_FORMAT,
    origin: plan.received.cp.origin,
    logKey: plan.config.key,
    checkpoint: plan.received.note,
    range: range.toJSON(),
    leafHashes,
    adminKeys: { ...plan.adminKeys },
    auditors: structuredClone(base?.auditors ?? {}),
    // Shallow: the replay copies a record before changing it (revocation).
    claims: [...(base?.claims ?? [])],
  };
  const replayer = new NotaryReplayer(state, opts.verified);
  fresh.forEach((entry, i) => {
    const idx = from + i;
    replayer.apply(idx, entry, leafHashes.subarray(idx * MERKLE_HASH_BYTES, (idx + 1) * MERKLE_HASH_BYTES), opts.parsed?.[i]);
  });
  return { state, newEntries: fresh.length, warnings: [...plan.warnings, ...replayer.warnings.map((w) => `notary import '${importName}': ${w}`)] };
}

/** Tampered entries, or a tree that does not extend the one mirrored before. */
function inconsistent(plan: NotaryUpdatePlan, why: string): VetError {
  const trusted = plan.base?.checkpoint;
  return new VetError('LOG_INCONSISTENT', `SECURITY ERROR: notary import '${plan.importName}': ${why}`, {
    hint: 'the entries served do not match the signed checkpoint: they were tampered with in transit or by a mirror, or the log forked. Nothing was written',
    details: { kind: 'entries', received: plan.received.note, ...(trusted !== undefined ? { trusted, trustedSource: 'user state directory' } : {}) },
  });
}

/** An older checkpoint within the mirrored range must match the root of that prefix. */
function checkPrefix(base: NotaryMirrorState, t: TrustedCheckpoint, importName: string): void {
  const size = t.cp.size;
  // Same size as the mirror: its root is the compact range's, checked against its checkpoint.
  if (size === base.range.size) {
    if (bytesEqual(CompactRange.fromJSON(base.range).root(), t.cp.rootHash)) return;
    throw forkError(importName, t, { note: base.checkpoint, source: 'user state directory' }, `two checkpoints of size ${size} with different roots`);
  }
  const hashes: Uint8Array[] = [];
  for (let i = 0; i < size; i++) hashes.push(base.leafHashes.subarray(i * MERKLE_HASH_BYTES, (i + 1) * MERKLE_HASH_BYTES));
  if (!bytesEqual(rootOf(hashes), t.cp.rootHash)) {
    throw forkError(importName, t, { note: base.checkpoint, source: 'user state directory' }, `the ${base.range.size}-entry tree mirrored before does not extend the ${size}-entry tree in ${t.source}`);
  }
}

function tryVerify(note: string, config: NotaryImportConfig, warnings: string[], importName: string): VerifiedCheckpoint | undefined {
  try {
    return verifyStoredCheckpoint(note, config, 'imports.lock');
  } catch (e) {
    if (!(e instanceof VetError)) throw e;
    warnings.push(`notary import '${importName}': the checkpoint in imports.lock does not verify with the configured key (${e.message}); ignoring it`);
    return undefined;
  }
}
