/**
 * `vet-notary witness`: a C2SP tlog-witness (c2sp.org/tlog-witness) for the logs it is
 * configured to follow. The rules are core's (judgeAddCheckpoint, cosignAddCheckpoint); this
 * module adds the state (state.ts), the clock, and what a witness MAY do: keep refused but
 * validly signed checkpoints as evidence (logged as `witness_refused` with the note).
 */
import {
  TLOG_SIZE_CONTENT_TYPE,
  appendNoteSignatures,
  cosignAddCheckpoint,
  formatTlogSize,
  judgeAddCheckpoint,
  parseSignerKey,
  type WitnessedLog,
} from '@vet/core';
import { createHash } from 'node:crypto';
import type { WitnessStateStore } from './state.js';

export interface WitnessDeps {
  logs: readonly WitnessedLog[];
  /** `PRIVATE+KEY+<name>+<id>+…` of type 0x04. */
  signerKey: string;
  state: WitnessStateStore;
  /** ms since epoch. */
  now?: () => number;
  log?: (event: Record<string, unknown>) => void;
}

export interface WitnessAnswer {
  status: number;
  contentType: string;
  body: string;
}

export interface Witness {
  /** The witness's verifier key (what logs and clients configure). */
  readonly vkey: string;
  addCheckpoint(body: string): Promise<WitnessAnswer>;
  /** Monitor read path: the last cosigned checkpoint of the origin whose SHA-256 is `originHash`. */
  latest(originHash: string): string | undefined;
}

const TEXT = 'text/plain; charset=utf-8';

export function createWitness(deps: WitnessDeps): Witness {
  const signer = parseSignerKey(deps.signerKey);
  const logs = new Map(deps.logs.map((l) => [l.origin, l]));
  const byHash = new Map(deps.logs.map((l) => [createHash('sha256').update(l.origin).digest('hex'), l.origin]));
  const now = deps.now ?? Date.now;
  const logEvent = deps.log ?? (() => {});
  const { state } = deps;
  return {
    vkey: signer.vkey,
    addCheckpoint: (body) =>
      state.exclusive(async () => {
        const v = judgeAddCheckpoint(body, logs, (o) => state.get(o));
        if (!v.ok) {
          if (v.status === 409 || v.status === 422)
            logEvent({ event: 'witness_refused', origin: v.origin, status: v.status, why: v.message, request: body });
          if (v.status === 409 && v.size !== undefined)
            return { status: 409, contentType: TLOG_SIZE_CONTENT_TYPE, body: formatTlogSize(v.size) };
          return { status: v.status, contentType: TEXT, body: `${v.message}\n` };
        }
        const lines = cosignAddCheckpoint(v.text, [deps.signerKey], Math.max(1, Math.floor(now() / 1000)));
        await state.put(v.origin, { ...v.next, note: appendNoteSignatures(v.note, [lines]) });
        logEvent({ event: 'witness_cosigned', origin: v.origin, size: v.next.size });
        return { status: 200, contentType: TEXT, body: lines };
      }),
    latest(originHash) {
      const origin = byHash.get(originHash);
      return origin === undefined ? undefined : state.get(origin)?.note;
    },
  };
}
