/**
 * Start-up: rebuild the in-memory tree and state from the database and refuse to serve a
 * log whose entries do not hash to the latest stored checkpoint (spec/notary.md §8: never
 * sign a different tree at an already-published size). A brand-new log gets its signed
 * size-0 checkpoint here, in the same CAS-guarded table the sequencer uses.
 */
import { VetError, decodeNotaryEntry, admitNotaryEntry, isRuleRefusal, parseCheckpoint } from '@vet/core';
import type { NotaryStorage } from '../db/storage.js';
import { NotaryState } from '../entries/state.js';
import { MerkleLevels } from './tree.js';
import type { StoredEntry } from './read.js';

export interface LoadedLog {
  tree: MerkleLevels;
  state: NotaryState;
  dedupe: Set<string>;
  latest: { size: number; note: string };
}

export function loadLog(
  db: NotaryStorage,
  opts: {
    origin: string;
    adminKeys: Map<string, Uint8Array>;
    rootAt(tree: MerkleLevels, size: number): Uint8Array;
    signCheckpoint(size: number, rootHash: Uint8Array): string;
    /** false: leave a differently-signed head as stored (a PostgreSQL follower: the leader re-signs). */
    resign?: boolean;
  },
): LoadedLog {
  const tree = new MerkleLevels();
  const { state, dedupe } = replayState(db, opts, (e) => tree.append(e.leaf_hash));
  let latest = db.readLatest();
  if (latest === undefined) {
    if (tree.size !== 0) throw new VetError('LOG_INCONSISTENT', 'entries exist but no checkpoint was ever stored');
    const note = opts.signCheckpoint(0, opts.rootAt(tree, 0));
    db.initLatest(note);
    latest = { size: 0, note };
  }
  const size = latest.size;
  checkLatest(tree, latest, opts);
  // After a key rotation the same tree head is re-signed by the current keys. Ed25519 is
  // deterministic, so an unchanged key set gives the identical note and nothing is written.
  const resigned = opts.signCheckpoint(size, opts.rootAt(tree, size));
  if (resigned !== latest.note && opts.resign !== false) {
    db.resignLatest(size, resigned);
    latest = { size, note: resigned };
  }
  return { tree, state, dedupe, latest };
}

/**
 * The notary's state and dedupe keys from the stored entries, replayed in order (at start,
 * and after a failed commit: the database is the truth).
 */
export function replayState(
  db: NotaryStorage,
  opts: { origin: string; adminKeys: Map<string, Uint8Array> },
  each: (e: StoredEntry) => void = () => {},
): { state: NotaryState; dedupe: Set<string> } {
  const state = new NotaryState(opts.origin, opts.adminKeys);
  db.forEachEntry((e) => {
    each(e);
    replayStored(state, e);
  });
  return { state, dedupe: new Set(db.dedupeKeys()) };
}

/**
 * One stored entry through the state machine every client runs. Its signature was checked
 * when it was admitted (and `vet-notary verify` checks it again), so the stored signer is
 * taken as the one that verified. An entry the state machine refuses does not stop the
 * server: it keeps its index, changes nothing, and is reported on /readyz and by verify.
 */
export function replayStored(state: NotaryState, e: StoredEntry): void {
  const leafHash = e.leaf_hash.toString('hex');
  try {
    const entry = decodeNotaryEntry(e.leaf);
    state.apply(admitNotaryEntry(entry, state.log, { leafHash, verified: (_i, key) => key.keyid === e.signer }));
  } catch (err) {
    if (!isRuleRefusal(err)) throw err;
    state.skip({ index: e.idx, rule: err.rule, reason: err.message });
  }
}

export function checkLatest(
  tree: MerkleLevels,
  latest: { size: number; note: string },
  opts: { origin: string; rootAt(tree: MerkleLevels, size: number): Uint8Array },
): void {
  const text = latest.note.slice(0, latest.note.lastIndexOf('\n\n') + 1);
  const cp = parseCheckpoint(text);
  if (cp.origin !== opts.origin)
    throw new VetError(
      'LOG_INCONSISTENT',
      `stored checkpoint is for origin "${cp.origin}", config says "${opts.origin}"`,
    );
  if (Number(cp.size) !== latest.size || latest.size !== tree.size) {
    throw new VetError(
      'LOG_INCONSISTENT',
      `latest checkpoint has size ${String(cp.size)} but the database holds ${tree.size} entries`,
    );
  }
  const root = Buffer.from(opts.rootAt(tree, tree.size));
  if (!root.equals(Buffer.from(cp.rootHash))) {
    throw new VetError(
      'LOG_INCONSISTENT',
      `entries hash to ${root.toString('base64')} but the latest checkpoint says ${Buffer.from(cp.rootHash).toString('base64')}`,
    );
  }
}
