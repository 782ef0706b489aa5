/**
 * `vet-notary verify` (an fsck, spec/notary.md §8): recompute everything from the stored
 * entry bytes and compare — leaf hashes, every stored checkpoint's root (so every published
 * size is a prefix of today's tree: consistency by construction), the latest checkpoint's
 * signature, and every entry's DSSE signature against the auditor registry as it stood at
 * that index. Reads only; safe while the server runs (WAL snapshot).
 * Every archived artifact is re-hashed against its addresses (archive/verify.ts).
 * Signatures are re-checked with OpenSSL whatever engine admitted them (libsodium by default):
 * a second, independent implementation, as every consumer's `vet` is.
 */
import {
  admitNotaryEntry,
  decodeNotaryEntry,
  hashLeaf,
  isRuleRefusal,
  parseCheckpoint,
  verifyCheckpoint,
} from '@vet/core';
import { openDataDir } from './datadir.js';
import { NotaryState } from './entries/state.js';
import type { StoredEntry } from './log/read.js';
import { rootAt } from './log/proofs.js';
import { forEachEntry, readLatest } from './log/read.js';
import { MerkleLevels } from './log/tree.js';
import { verifyArchive } from './archive/verify.js';
import { archiveDir } from './archive/store.js';

export interface VerifyReport {
  ok: boolean;
  entries: number;
  checkpointsChecked: number;
  latestSize: number;
  /** Archived artifacts re-hashed. */
  artifacts: number;
  problems: string[];
}

export function verifyNotaryLog(dataDir: string): VerifyReport {
  const { db, config, keys } = openDataDir(dataDir);
  const problems: string[] = [];
  const tree = new MerkleLevels();
  const state = new NotaryState(config.origin, new Map([[keys.admin.keyid, keys.admin.publicKey]]));
  try {
    const snapshot = db.transaction(() => {
      const entries = forEachEntry(db, (e) => {
        const h = hashLeaf(e.leaf);
        if (!Buffer.from(h).equals(e.leaf_hash))
          problems.push(`entry ${e.idx}: stored leaf hash does not match its bytes`);
        tree.append(h);
        const problem = checkEntry(state, e, Buffer.from(h).toString('hex'));
        if (problem !== undefined) problems.push(`entry ${e.idx}: ${problem}`);
      });
      const cps = db.prepare('SELECT size, note FROM checkpoints ORDER BY size').all() as {
        size: number;
        note: string;
      }[];
      return { entries, cps, latest: readLatest(db) };
    })();
    let checked = 0;
    for (const cp of snapshot.cps) {
      if (cp.size > tree.size) {
        problems.push(`checkpoint ${cp.size} is beyond the ${tree.size} stored entries`);
        continue;
      }
      const parsed = parseCheckpoint(cp.note.slice(0, cp.note.lastIndexOf('\n\n') + 1));
      if (!Buffer.from(parsed.rootHash).equals(Buffer.from(rootAt(tree, cp.size))))
        problems.push(`checkpoint ${cp.size}: root does not match the entries`);
      checked += 1;
    }
    const latest = snapshot.latest;
    if (latest === undefined) problems.push('no latest checkpoint');
    else {
      if (latest.size !== tree.size) problems.push(`latest checkpoint size ${latest.size} ≠ ${tree.size} entries`);
      if (!keys.logVerifiers.some((vk) => tryVerify(latest.note, vk, config.origin)))
        problems.push('latest checkpoint is not signed by a current log key');
    }
    const archive = verifyArchive(archiveDir(dataDir));
    problems.push(...archive.problems);
    return {
      ok: problems.length === 0,
      artifacts: archive.artifacts,
      entries: snapshot.entries,
      checkpointsChecked: checked,
      latestSize: latest?.size ?? 0,
      problems,
    };
  } finally {
    db.close();
  }
}

/**
 * The entry through the state machine every client runs, its signature checked with
 * OpenSSL (core's default engine, as every client's). A refusal is a problem; the entry
 * then keeps its index and changes nothing, as at the server's start-up.
 */
function checkEntry(state: NotaryState, e: StoredEntry, leafHash: string): string | undefined {
  try {
    const a = admitNotaryEntry(decodeNotaryEntry(e.leaf), state.log, { leafHash });
    state.apply(a);
    return a.signer === e.signer ? undefined : `signed by ${a.signer}, but stored as signed by ${e.signer}`;
  } catch (err) {
    if (!isRuleRefusal(err)) throw err;
    state.skip({ index: e.idx, rule: err.rule, reason: err.message });
    return `${err.rule}: ${err.message}`;
  }
}

function tryVerify(note: string, vkey: string, origin: string): boolean {
  try {
    verifyCheckpoint(note, vkey, { origin });
    return true;
  } catch {
    return false;
  }
}
