/**
 * The notary's side of c2sp.org/tlog-witness: after a checkpoint is committed, ask every
 * configured witness to cosign it (POST <url>/add-checkpoint with a consistency proof from
 * the witness's last size), in parallel, each bounded by its timeout. A 409 names the
 * witness's size: retry once more from it (a witness seen for the first time is asked from
 * `old 0`, which the spec allows for exactly that). Answers are checked with core's
 * readCosignatureResponse. A witness that fails just does not cosign this round: witnessing
 * never blocks sequencing or receipts (the caller runs rounds off the commit path).
 */
import {
  TLOG_SIZE_CONTENT_TYPE,
  appendNoteSignatures,
  formatAddCheckpointRequest,
  parseNote,
  parseTlogSize,
  readCosignatureResponse,
  verifyCosignature,
} from '@vet/core';
import type { NotaryWitnessConfig } from './config.js';

export interface CheckpointToWitness {
  size: number;
  /** The log-signed note. */
  note: string;
}

export interface WitnessClientDeps {
  witnesses: readonly NotaryWitnessConfig[];
  /** RFC 6962 consistency proof between two sizes of this log. */
  proof(from: number, to: number): Uint8Array[];
  log(event: Record<string, unknown>): void;
}

/** 409 answers followed per request: one to learn the size, a few more if the log races. */
const MAX_CONFLICTS = 3;

export class WitnessClient {
  readonly #deps: WitnessClientDeps;
  /** Last size each witness reported or cosigned (by key); absent = ask from 0. */
  readonly #sizes = new Map<string, number>();
  /** Last failure per witness, so a down witness is logged once, not every round. */
  readonly #failing = new Map<string, string>();
  /** Aborts every request in flight when the notary shuts down. */
  readonly #closing = new AbortController();

  constructor(deps: WitnessClientDeps) {
    this.#deps = deps;
  }

  /** The checkpoint with every cosignature that came back (possibly none). */
  async cosign(cp: CheckpointToWitness): Promise<string> {
    const text = parseNote(cp.note).text;
    const answers = await Promise.all(this.#deps.witnesses.map((w) => this.#ask(w, cp, text)));
    return appendNoteSignatures(cp.note, answers.flat());
  }

  async #ask(w: NotaryWitnessConfig, cp: CheckpointToWitness, text: string): Promise<string[]> {
    const signal = AbortSignal.any([AbortSignal.timeout(w.timeoutMs), this.#closing.signal]);
    try {
      for (let conflicts = 0; ; conflicts++) {
        const old = this.#sizes.get(w.key) ?? 0;
        if (old > cp.size) throw new Error(`the witness has cosigned size ${old}, above this log's ${cp.size}`);
        const body = formatAddCheckpointRequest({
          oldSize: old,
          proof: old === 0 || old === cp.size ? [] : this.#deps.proof(old, cp.size),
          note: cp.note,
        });
        const res = await fetch(`${w.url}/add-checkpoint`, { method: 'POST', body, signal });
        const answer = await res.text();
        if (res.status === 200) {
          const lines = readCosignatureResponse(text, answer, w.key);
          this.#sizes.set(w.key, cp.size);
          this.#recovered(w);
          return lines;
        }
        if (res.status !== 409 || conflicts >= MAX_CONFLICTS) throw new Error(refusal(res.status, answer));
        const type = res.headers.get('content-type') ?? '';
        if (!type.startsWith(TLOG_SIZE_CONTENT_TYPE)) throw new Error(refusal(409, answer));
        const theirs = parseTlogSize(answer);
        if (theirs === old)
          throw new Error(`the witness cosigned a different tree of size ${old}: this log forked, or the witness did`);
        this.#sizes.set(w.key, theirs);
      }
    } catch (e) {
      this.#failed(w, e, cp.size);
      return [];
    }
  }

  /** Ends the requests in flight (shutdown): their witnesses do not cosign this round. */
  abort(): void {
    this.#closing.abort(new Error('the notary is shutting down'));
  }

  #failed(w: NotaryWitnessConfig, e: unknown, size: number): void {
    if (this.#closing.signal.aborted) return;
    const why =
      e instanceof Error ? (e.name === 'TimeoutError' ? `no answer in ${w.timeoutMs} ms` : e.message) : String(e);
    if (this.#failing.get(w.key) !== why) this.#deps.log({ event: 'witness_failed', witness: w.url, size, error: why });
    this.#failing.set(w.key, why);
  }

  #recovered(w: NotaryWitnessConfig): void {
    if (this.#failing.delete(w.key)) this.#deps.log({ event: 'witness_recovered', witness: w.url });
  }
}

/**
 * Keeps the cosignatures `previous` holds for the same checkpoint by witnesses that `note`
 * has none from: at start-up (the static copy's `checkpoint`: a restart does not serve an
 * uncosigned checkpoint until a round ends, or while the witnesses are down) and after a
 * refresh round some witness did not answer. A witness that answered is represented by its
 * new line only, so an idle log's note does not grow. Only lines that verify as
 * cosignatures of the checkpoint by a configured witness are kept.
 */
export function carryCosignatures(note: string, previous: string | undefined, witnessKeys: readonly string[]): string {
  if (previous === undefined || previous === note) return note;
  try {
    const text = parseNote(note).text;
    const prev = parseNote(previous);
    if (prev.text !== text) return note;
    const have = new Set(parseNote(note).signatures.map((s) => `${s.name} ${toHex(s.keyId)}`));
    const carried = prev.signatures
      .filter((s) => !have.has(`${s.name} ${toHex(s.keyId)}`))
      .map((s) => s.line)
      .filter((line) => witnessKeys.some((k) => verifies(text, line, k)));
    return carried.length === 0 ? note : appendNoteSignatures(note, carried);
  } catch {
    return note; // a damaged file: start from the log-signed note
  }
}

function verifies(text: string, line: string, key: string): boolean {
  try {
    verifyCosignature(text, line, key);
    return true;
  } catch {
    return false;
  }
}

const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

function refusal(status: number, body: string): string {
  return `add-checkpoint answered ${status}: ${JSON.stringify(body.slice(0, 200))}`;
}

/**
 * Runs witnessing rounds one at a time, always for the newest checkpoint offered: a round
 * that is running is never interrupted, checkpoints offered meanwhile collapse into one.
 */
export class WitnessRounds<C extends CheckpointToWitness = CheckpointToWitness> {
  readonly #client: WitnessClient;
  readonly #done: (cp: C, cosigned: string) => void;
  #next: C | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;

  constructor(client: WitnessClient, done: (cp: C, cosigned: string) => void) {
    this.#client = client;
    this.#done = done;
  }

  offer(cp: C): void {
    if (this.#stopped) return;
    this.#next = cp;
    this.#running ??= this.#loop();
  }

  async #loop(): Promise<void> {
    while (this.#next !== undefined) {
      const cp = this.#next;
      this.#next = undefined;
      let cosigned = cp.note;
      try {
        cosigned = await this.#client.cosign(cp);
      } catch {
        // Each witness's failure is caught and logged by the client; nothing else should throw.
      }
      this.#done(cp, cosigned);
    }
    this.#running = undefined;
  }

  /** Takes no new checkpoints, ends the requests in flight and waits for the round to end. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#next = undefined;
    this.#client.abort();
    await this.#running;
  }
}
