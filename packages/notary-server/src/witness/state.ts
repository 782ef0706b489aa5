/**
 * A witness's memory: per origin, the last checkpoint it cosigned (size, root, and the
 * cosigned note for monitors), in `<dir>/state.json`, rewritten through core's durable
 * writer before any cosignature leaves (c2sp.org/tlog-witness: "MUST persist the new
 * checkpoint before responding"). Updates are serialised (`exclusive`), so check-and-update
 * is atomic: the spec's race where a slower request rolls the state back cannot happen.
 * One process per directory (the server holds a lock file).
 */
import { readFileSync } from 'node:fs';
import { isWitnessLogState, VetError, type WitnessLogState } from '@vet/core';
import { writeFileAtomic } from '@vet/core/node';

export interface StoredLogState extends WitnessLogState {
  /** The checkpoint as cosigned: the log's note plus this witness's cosignature line. */
  note: string;
}

export class WitnessStateStore {
  readonly #path: string;
  readonly #logs = new Map<string, StoredLogState>();
  #queue: Promise<unknown> = Promise.resolve();

  constructor(path: string) {
    this.#path = path;
    for (const [origin, s] of readStateFile(path)) this.#logs.set(origin, s);
  }

  get(origin: string): StoredLogState | undefined {
    return this.#logs.get(origin);
  }

  /** Runs `fn` after every earlier call has finished: judge, sign and `put` inside it. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn, fn);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** Records and durably writes the new state of `origin`; only call inside `exclusive`. */
  async put(origin: string, s: StoredLogState): Promise<void> {
    const next = new Map(this.#logs).set(origin, s);
    await writeFileAtomic(this.#path, formatState(next), { mode: 0o600 });
    this.#logs.set(origin, s);
  }
}

function formatState(logs: ReadonlyMap<string, StoredLogState>): string {
  const out: Record<string, unknown> = {};
  for (const [origin, s] of [...logs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    out[origin] = { size: s.size, rootHash: Buffer.from(s.rootHash).toString('base64'), note: s.note };
  return JSON.stringify({ logs: out }, null, 2) + '\n';
}

function readStateFile(path: string): Map<string, StoredLogState> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw e;
  }
  const bad = (why: string) =>
    new VetError('PARSE_ERROR', `${path}: ${why}`, {
      file: path,
      hint: 'the witness state is damaged; restore it from a backup (a witness that forgets its state can be made to cosign a fork)',
    });
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw bad('not valid JSON');
  }
  const logs = (raw as { logs?: unknown })?.logs;
  if (typeof logs !== 'object' || logs === null) throw bad('no "logs" object');
  const out = new Map<string, StoredLogState>();
  for (const [origin, v] of Object.entries(logs)) {
    const s = v as { size?: unknown; rootHash?: unknown; note?: unknown };
    const state = {
      size: s.size,
      rootHash: typeof s.rootHash === 'string' ? new Uint8Array(Buffer.from(s.rootHash, 'base64')) : undefined,
    };
    if (!isWitnessLogState(state) || typeof s.note !== 'string') throw bad(`bad state for ${JSON.stringify(origin)}`);
    out.set(origin, { ...state, note: s.note });
  }
  return out;
}
