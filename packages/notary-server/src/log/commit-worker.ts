/**
 * The commit worker thread (workerCommitter): its own connection to the notary database,
 * committing one packed batch per message with the same makeCommitFn the inline committer
 * runs, and answering {ok} or {ok: false, error}.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { makeCommitFn, type PackedBatch } from './commit.js';

const db = new Database((workerData as { path: string }).path);
db.pragma('busy_timeout = 5000');
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
const run = makeCommitFn(db);
parentPort!.on('message', (m: PackedBatch | 'close') => {
  if (m === 'close') {
    db.close();
    parentPort!.close();
    return;
  }
  try {
    run(m);
    parentPort!.postMessage({ ok: true });
  } catch (e) {
    parentPort!.postMessage({ ok: false, error: String((e as Error)?.message ?? e) });
  }
});
