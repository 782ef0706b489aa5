/**
 * `vet-notary verify` (an fsck, spec/notary.md §8): recompute everything from the stored
 * entry bytes and compare — leaf hashes, every stored checkpoint's root (so every published
 * size is a prefix of today's tree: consistency by construction), the latest checkpoint's
 * signature, and every entry's DSSE signature against the auditor registry as it stood at
 * that index. Reads only; safe while the server runs (WAL snapshot).
 * Signatures are re-checked with OpenSSL whatever engine admitted them (libsodium by default):
 * a second, independent implementation, as every consumer's `vet` is.
 */
import { hashLeaf, parseCheckpoint, verifyCheckpoint } from '@vet/core';
import { openDataDir } from './datadir.js';
import { admitEntry, type KeyLookup } from './entries/admit.js';
import { ed25519VerifierSync } from './entries/verifier.js';
import { NotaryState } from './entries/state.js';
import { rootAt } from './log/proofs.js';
import { forEachEntry, readLatest } from './log/read.js';
import { MerkleLevels } from './log/tree.js';

export interface VerifyReport {
  ok: boolean;
  entries: number;
  checkpointsChecked: number;
  latestSize: number;
  problems: string[];
}

export function verifyNotaryLog(dataDir: string): VerifyReport {
  const { db, config, keys } = openDataDir(dataDir);
  const problems: string[] = [];
  const check = ed25519VerifierSync('openssl');
  const tree = new MerkleLevels();
  const state = new NotaryState(new Map([[keys.admin.keyid, keys.admin.publicKey]]));
  const lookup: KeyLookup = {
    keyFor: (keyid) => (keyid === keys.admin.keyid ? keys.admin.publicKey : state.auditors.get(keyid)?.publicKey),
    maySign: (claim, keyid) => state.maySign(claim, keyid),
  };
  try {
    const snapshot = db.transaction(() => {
      const entries = forEachEntry(db, (e) => {
        const h = hashLeaf(e.leaf);
        if (!Buffer.from(h).equals(e.leaf_hash))
          problems.push(`entry ${e.idx}: stored leaf hash does not match its bytes`);
        tree.append(h);
        try {
          const a = admitEntry(e.leaf, lookup, config.origin, check);
          state.apply({ index: e.idx, leafHash: Buffer.from(h).toString('hex'), signer: a.signer, claim: a.claim });
        } catch (err) {
          problems.push(`entry ${e.idx}: ${(err as Error).message}`);
          state.entries.push({
            index: e.idx,
            leafHash: Buffer.from(h).toString('hex'),
            signer: e.signer,
            claim: { type: 'revocation', revokes: '' },
          });
        }
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
    return {
      ok: problems.length === 0,
      entries: snapshot.entries,
      checkpointsChecked: checked,
      latestSize: latest?.size ?? 0,
      problems,
    };
  } finally {
    db.close();
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
