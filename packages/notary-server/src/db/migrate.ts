/**
 * Schema migrations, applied by the server (any writer) at open. Existing databases keep
 * working; each step runs in one transaction with the version bump.
 *   1 → 2: tokens act for an auditor's key id, not its display name. Schema-1 databases may
 *   hold auditor tokens whose `subject` is a name: a name registered by exactly one auditor
 *   is rebound to that auditor's key id; a name two auditors share (or none) cannot be
 *   resolved safely, so its tokens are revoked (the operator issues new ones with --keyid).
 */
import { decodeNotaryEntry, parseAuditorStatement } from '@vet/core';
import type Database from 'better-sqlite3';

export const CURRENT_SCHEMA = '2';

type Db = Database.Database;

export function migrate(db: Db, from: string, now: number): void {
  if (from === '1') db.transaction(() => migrateTokensToKeyids(db, now))();
}

function migrateTokensToKeyids(db: Db, now: number): void {
  const byName = auditorKeyidsByName(db);
  const keyids = new Set([...byName.values()].flatMap((s) => [...s]));
  const rows = db.prepare("SELECT hash, subject FROM tokens WHERE role = 'auditor' AND revoked_at IS NULL").all() as {
    hash: Buffer;
    subject: string;
  }[];
  const rebind = db.prepare('UPDATE tokens SET subject = ? WHERE hash = ?');
  const revoke = db.prepare('UPDATE tokens SET revoked_at = ? WHERE hash = ?');
  for (const { hash, subject } of rows) {
    if (keyids.has(subject)) continue; // already bound to a key id
    const named = byName.get(subject);
    if (named?.size === 1) rebind.run([...named][0], hash);
    else revoke.run(now, hash);
  }
  db.prepare("UPDATE meta SET value = '2' WHERE key = 'schema'").run();
}

/** Every auditor name ever added, with the key ids added under it. */
function auditorKeyidsByName(db: Db): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const leaves = db.prepare("SELECT leaf FROM entries WHERE kind = 'auditor-add' ORDER BY idx").pluck().all();
  for (const leaf of leaves as Buffer[]) {
    try {
      const a = parseAuditorStatement(decodeNotaryEntry(leaf).payload);
      const set = out.get(a.name) ?? new Set<string>();
      set.add(a.keyid);
      out.set(a.name, set);
    } catch {
      /* not interpretable: `vet-notary verify` reports it */
    }
  }
  return out;
}
