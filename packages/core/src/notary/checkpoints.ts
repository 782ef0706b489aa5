/**
 * The consumer's checkpoint rules (notary.md §9 "Consumer" steps 1–2, §1.7, §5): a fresh
 * checkpoint must verify under the pinned log key (origin = the key's name), meet the
 * witness quorum when witnesses are configured, and be no older than `maxAgeSeconds`.
 * Checkpoints carry no time of their own (notary.md §11), so age is the newest fresh
 * witness cosignature time: a max age therefore needs witnesses.
 * Rollback and fork errors carry both signed checkpoints as self-contained evidence.
 */
import { VetError } from '../errors.js';
import { encodeBase64 } from '../sig/bytes.js';
import { verifyCheckpoint, verifyWitnessQuorum, type VerifiedCheckpoint } from '../tlog/checkpoint.js';
import type { NotaryImportConfig } from '../store/model.js';

export interface NotaryCheckpoint {
  /** The signed note exactly as received. */
  note: string;
  checkpoint: VerifiedCheckpoint;
  /** Newest fresh witness cosignature time (POSIX seconds), when witnesses are configured. */
  witnessTime?: number;
}

/** Verifies a freshly fetched checkpoint against the import's trust settings. `now` in POSIX seconds. */
export function verifyNotaryCheckpoint(
  note: string,
  config: NotaryImportConfig,
  opts: { importName: string; now: number },
): NotaryCheckpoint {
  const where = `notary import '${opts.importName}'`;
  const witnesses = config.witnesses ?? [];
  if (witnesses.length === 0) {
    if (config.maxAgeSeconds !== undefined) {
      throw new VetError(
        'INVALID_ARGUMENT',
        `${where}: max-age-seconds needs witnesses: a checkpoint carries no time of its own`,
        {
          hint: 'add witness verifier keys (witnesses = [...], witness-quorum = k) under [imports.NAME.notary], or remove max-age-seconds',
        },
      );
    }
    return {
      note,
      checkpoint: withHint(
        () => verifyCheckpoint(note, config.key, { fileName: `${config.url}/checkpoint` }),
        where,
        config,
      ),
    };
  }
  const quorum = config.witnessQuorum ?? witnesses.length;
  const r = withHint(
    () =>
      verifyWitnessQuorum(note, {
        logKey: config.key,
        witnesses,
        quorum,
        now: opts.now,
        ...(config.maxAgeSeconds !== undefined ? { maxAgeSeconds: config.maxAgeSeconds } : {}),
        fileName: `${config.url}/checkpoint`,
      }),
    where,
    config,
  );
  const times = r.witnesses.map((w) => w.timestamp);
  return { note, checkpoint: r.checkpoint, ...(times.length > 0 ? { witnessTime: Math.max(...times) } : {}) };
}

/** A checkpoint we stored earlier: only the log signature is re-checked (it was fresh when stored). */
export function verifyStoredCheckpoint(note: string, config: NotaryImportConfig, fileName: string): VerifiedCheckpoint {
  return verifyCheckpoint(note, config.key, { fileName });
}

function withHint<T>(fn: () => T, where: string, config: NotaryImportConfig): T {
  try {
    return fn();
  } catch (e) {
    if (!(e instanceof VetError)) throw e;
    const hint =
      e.code === 'SIGNATURE_INVALID'
        ? `the checkpoint at ${config.url} is not signed by ${config.key.split('+')[0] ?? 'the configured key'} as configured; check the notary URL and key, or the notary is not who it claims to be`
        : e.code === 'CHECKPOINT_STALE'
          ? 'the notary has not been witnessed recently: it may be frozen or withholding new entries; try again later or contact its operator'
          : e.hint;
    throw new VetError(e.code, `${where}: ${e.message}`, {
      cause: e,
      file: e.file,
      hint,
      details: { ...e.details, checkpoint: config.url },
    });
  }
}

/** Same size, different root — or a larger tree that does not extend the trusted one. */
export function forkError(
  importName: string,
  trusted: { note: string; source: string },
  received: { note: string; source: string },
  why: string,
): VetError {
  return new VetError('LOG_INCONSISTENT', `notary import '${importName}' forked: ${why}`, {
    hint: 'the notary showed two views of its log that cannot both be true; nothing was written. Report both checkpoints (in the JSON output) to the notary operator and its witnesses',
    details: {
      kind: 'fork',
      trusted: trusted.note,
      trustedSource: trusted.source,
      received: received.note,
      receivedSource: received.source,
    },
  });
}

export function rollbackError(
  importName: string,
  trusted: { note: string; size: number; source: string },
  received: { note: string; size: number; source: string },
): VetError {
  return new VetError(
    'LOG_INCONSISTENT',
    `notary import '${importName}' rolled back: it now serves a tree of ${received.size} entries, but a checkpoint of ${trusted.size} entries was verified before (${trusted.source})`,
    {
      hint: 'a log never shrinks; someone is serving stale data (replay) or the notary lost entries. Nothing was written',
      details: {
        kind: 'rollback',
        trusted: trusted.note,
        trustedSource: trusted.source,
        received: received.note,
        receivedSource: received.source,
      },
    },
  );
}

export function rootB64(cp: { rootHash: Uint8Array }): string {
  return encodeBase64(cp.rootHash);
}
