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
import { openDataDir, paths } from './datadir.js';
import { readNotaryConfig } from './config.js';
import { readNotaryKeys } from './keys.js';
import { connectPg } from './pg/open.js';
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

interface Snapshot {
  entries: number;
  cps: { size: number; note: string }[];
  latest: { size: number; note: string } | undefined;
}

export async function verifyNotaryLog(dataDir: string): Promise<VerifyReport> {
  const config = readNotaryConfig(paths(dataDir).config);
  const keys = readNotaryKeys(dataDir);
  const problems: string[] = [];
  const tree = new MerkleLevels();
  const state = new NotaryState(config.origin, new Map([[keys.admin.keyid, keys.admin.publicKey]]));
  const each = (e: StoredEntry) => {
    const h = hashLeaf(e.leaf);
    if (!Buffer.from(h).equals(e.leaf_hash)) problems.push(`entry ${e.idx}: stored leaf hash does not match its bytes`);
    tree.append(h);
    const problem = checkEntry(state, e, Buffer.from(h).toString('hex'));
    if (problem !== undefined) problems.push(`entry ${e.idx}: ${problem}`);
  };
  const snapshot =
    config.database === undefined ? sqliteSnapshot(dataDir, each) : await pgSnapshot(config.database.url, each);
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
}

/** One read transaction: safe while the server runs (WAL snapshot). */
function sqliteSnapshot(dataDir: string, each: (e: StoredEntry) => void): Snapshot {
  const { db } = openDataDir(dataDir);
  try {
    return db.transaction(() => {
      const entries = forEachEntry(db, each);
      const cps = db.prepare('SELECT size, note FROM checkpoints ORDER BY size').all() as Snapshot['cps'];
      return { entries, cps, latest: readLatest(db) };
    })();
  } finally {
    db.close();
  }
}

/** One REPEATABLE READ transaction: a consistent snapshot while instances keep sequencing. */
async function pgSnapshot(url: string, each: (e: StoredEntry) => void): Promise<Snapshot> {
  const pool = await connectPg(url);
  try {
    const c = await pool.connect();
    try {
      await c.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      let n = 0;
      for (;;) {
        const { rows } = await c.query<StoredEntry>(
          'SELECT idx, leaf, leaf_hash, signer FROM entries WHERE idx >= $1 ORDER BY idx LIMIT 5000',
          [n],
        );
        if (rows.length === 0) break;
        for (const e of rows) {
          if (e.idx !== n) throw new Error(`entries table has a gap: expected index ${n}, found ${e.idx}`);
          each(e);
          n += 1;
        }
      }
      const cps = (await c.query<Snapshot['cps'][number]>('SELECT size, note FROM checkpoints ORDER BY size')).rows;
      const latest = (await c.query<{ size: number; note: string }>('SELECT size, note FROM latest WHERE id = 1'))
        .rows[0];
      await c.query('COMMIT');
      return { entries: n, cps, latest };
    } finally {
      c.release();
    }
  } finally {
    await pool.end();
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
