/**
 * createNotary: the whole notary as a function of its dependencies (database, keys, clock,
 * config) — no port, no globals (hono's "server is a function of its dependencies").
 * `main`/`serve` only binds the returned handler to a socket.
 */
import { makeCheckpointSigner } from './log/checkpoint-signer.js';
import type { NotaryConfig } from './config.js';
import type { NotaryDb } from './db/open.js';
import { NotaryError } from './errors.js';
import { Ed25519VerifyPool, ed25519Engine, ed25519Verifier, type Ed25519Engine } from '@vet/core';
import { admitDecoded, checkSubmission, type CheckedSubmission } from './entries/admit.js';
import type { EntryProblem } from './entries/model.js';
import type { ReleaseTimeFn, Submitter } from './entries/state.js';
import { Metrics } from './http/metrics.js';
import { createRateLimiter } from './http/rate-limit.js';
import type { NotaryKeys } from './keys.js';
import { loadLog, replayStored } from './log/load.js';
import { makeReceipt, ProofMemo, rootAt, type Receipt } from './log/proofs.js';
import type { StoredEntry } from './log/read.js';
import { makeStaticPublisher } from './log/static-publisher.js';
import { fileDescriptorProblem } from './fd-headroom.js';
import { Sequencer } from './log/sequencer.js';
import { createNotaryReads, type NotaryReads } from './reads.js';
import type { BatchCommitter, TokenGrant } from './log/commit.js';
import { replayState } from './log/load.js';
import { StorageHealth } from './log/storage-health.js';
import type { EntryClaim } from './entries/model.js';
import { sqliteStorage, type NotaryStorage } from './db/storage.js';
import { makeTokenChecker, type TokenInfo } from './tokens.js';
import { Archiver, type Release } from './archive/archiver.js';
import { registryFetcher } from './archive/registry-fetch.js';
import { ArtifactStore, type ArtifactMeta } from './archive/store.js';
import type { ArtifactAddress } from '@vet/core';
import type { ViewContext } from './views/approved.js';

export interface NotaryDeps {
  /** The SQLite database; or pass `storage` (PostgreSQL, or any NotaryStorage). */
  db?: NotaryDb;
  storage?: NotaryStorage;
  /** Several instances on one database: who sequences, and the queue to it (pg/cluster.ts). */
  cluster?: NotaryCluster;
  keys: NotaryKeys;
  config: NotaryConfig;
  /** ms since epoch. */
  now?: () => number;
  /** Commits batches; default: inline on `db`. The server passes a worker-thread committer. */
  committer?: BatchCommitter;
  /** Checks envelope signatures; default: inline. The server passes a worker-thread pool. */
  verifier?: SignatureVerifier;
  /** Where static tlog-tiles files go; undefined = do not write any. */
  staticDir?: string;
  /** Structured log sink (one JSON object per event). */
  log?: (event: Record<string, unknown>) => void;
  /** Where archived artifacts go; undefined = no archive (uploads and artifact reads answer 404). */
  archiveDir?: string;
}

/** Where admission's Ed25519 checks run (core's Ed25519VerifyPool, or inline). */
export interface SignatureVerifier {
  verify(publicKey: Uint8Array, msg: Uint8Array, sig: Uint8Array): Promise<boolean>;
  close(): Promise<void>;
}

export function inlineVerifier(engine?: Ed25519Engine): SignatureVerifier {
  const check = ed25519Verifier(ed25519Engine(engine));
  return { verify: (pk, msg, sig) => Promise.resolve(check(sig, msg, pk)), close: async () => {} };
}

export function workerVerifier(engine?: Ed25519Engine): SignatureVerifier {
  return new Ed25519VerifyPool({ threads: 1, ...(engine && { engine }) });
}

export interface Notary {
  readonly config: NotaryConfig;
  readonly sequencer: Sequencer;
  readonly metrics: Metrics;
  readonly now: () => number;
  /** Everything a front end may read (checkpoint, tiles, bundles, lookup, proofs, feeds, keys). */
  readonly reads: NotaryReads;
  latest(): { size: number; note: string; rootHash: Uint8Array };
  /** Whether the notary should receive traffic, and why not (GET /readyz). */
  readiness(): Readiness;
  authenticate(authorization: string | undefined): TokenInfo;
  /** Counts one submission outcome (the HTTP layer also counts refusals before submit). */
  recordSubmission(result: string): void;
  /**
   * Admits, sequences and durably commits one envelope; resolves with its receipt. With a
   * grant (admin, auditor-add entries only) the token is stored in the entry's transaction.
   */
  submit(body: Uint8Array, who: TokenInfo, grant?: TokenGrant): Promise<Receipt>;
  /** The archive (undefined when the notary runs without one). */
  readonly archiver: Archiver | undefined;
  /** An auditor's upload of an approved artifact: verified, then stored durably. */
  uploadArtifact(
    release: Release,
    fileName: string | undefined,
    bytes: Uint8Array,
    who: TokenInfo,
  ): Promise<ArtifactMeta>;
  /** The vetted-only registry views (undefined without an archive). */
  readonly views: ViewContext | undefined;
  /** An archived artifact and the path of its bytes. */
  artifact(address: ArtifactAddress): { meta: ArtifactMeta; path: string } | undefined;
  logEvent(event: Record<string, unknown>): void;
  /** Where the cooldown reads a release's publish time first (the release watch); else the auditor's claim. */
  setReleaseTimes(fn: ReleaseTimeFn): void;
  /** Commits what is pending, writes the static files, stops timers. Does not close the db. */
  close(): Promise<void>;
}

/**
 * What createNotary asks of a cluster of instances sharing one database. Only the leader
 * sequences; the others admit a submission (same core admission) and hand it to the leader.
 */
export interface NotaryCluster {
  isLeader(): boolean;
  /**
   * Queues a pre-admitted submission for the leader; resolves with its index once it is
   * committed AND this instance has followed the log past it. Refusals reject with NotaryError.
   */
  enqueue(body: Uint8Array, who: TokenInfo, grant: TokenGrant | undefined): Promise<number>;
  /** Why this instance should not receive traffic (e.g. database unreachable). */
  problems(): string[];
}

/** What a cluster drives inside a notary (followers follow; the elected one leads). */
export interface NotaryCore {
  readonly notary: Notary;
  readonly treeSize: number;
  /** Nothing pending and no commit running: the tree may be extended from outside. */
  idle(): boolean;
  /** Entries another instance sequenced, in order from treeSize, and the checkpoint that covers them. */
  follow(entries: (StoredEntry & { dedupe: Buffer })[], latest: { size: number; note: string }): void;
  /** This instance was elected: sequence from the latest checkpoint on (the tree must be caught up). */
  lead(latest: { size: number; note: string }): void;
  /** A submission another instance queued: the same admission (no rate limit), then sequenced. */
  sequenceQueued(body: Uint8Array, who: TokenInfo, grant: TokenGrant | undefined, queueId: number): Promise<void>;
  signCheckpoint(size: number, rootHash: Uint8Array): string;
  rootAt(size: number): Uint8Array;
}

export interface Readiness {
  ok: boolean;
  size: number;
  /** Why not ready, one line each (storage failure, static publishing, file descriptors). */
  reasons: string[];
  /** Stored entries the state machine refuses (index, rule, reason): the log is served, not ready. */
  entries: readonly EntryProblem[];
}

export function createNotary(deps: NotaryDeps): Notary {
  return createNotaryCore(deps).notary;
}

export function createNotaryCore(deps: NotaryDeps): NotaryCore {
  const { keys, config, cluster } = deps;
  const db = deps.storage ?? (deps.db !== undefined ? sqliteStorage(deps.db) : undefined);
  if (db === undefined) throw new Error('createNotary needs a database (db or storage)');
  const now = deps.now ?? Date.now;
  const logEvent = deps.log ?? (() => {});
  const origin = config.origin;
  const adminKeys = new Map([[keys.admin.keyid, keys.admin.publicKey]]);
  const signCheckpoint = makeCheckpointSigner(origin, keys.logSigners);
  const loaded = loadLog(db, { origin, adminKeys, rootAt, signCheckpoint, resign: cluster === undefined });
  const tree = loaded.tree;
  // Replaced (rebuilt from the database) when a commit fails: see onRollback.
  let { state, dedupe } = loaded;
  const storage = new StorageHealth(() => db.probe(now()), STORAGE_PROBE_MS, logEvent);
  let latest = { ...loaded.latest, rootHash: rootAt(tree, loaded.latest.size) };
  const metrics = new Metrics();
  const m = notaryMetrics(
    metrics,
    () => latest.size,
    () => sequencer.pending,
  );
  const readLeaves = (start: number, end: number) => db.readLeaves(start, end);
  const checkToken = makeTokenChecker(db.tokens());
  const limiter = createRateLimiter(config.limits.ratePerSecond, config.limits.burst, now);
  const publisher = makeStaticPublisher(
    deps.staticDir,
    config.sequencer.publishIntervalMs,
    { tree, readLeaves },
    () => latest,
    logEvent,
  );

  const committer = deps.committer ?? db.defaultCommitter();
  const sequencer = new Sequencer(
    {
      committer,
      tree,
      rootAt: (size) => rootAt(tree, size),
      signCheckpoint,
      now,
      batchDelayMs: config.sequencer.batchDelayMs,
      batchMaxEntries: config.sequencer.batchMaxEntries,
      onCommit(_entries, batch) {
        latest = { size: batch.size, note: batch.checkpoint, rootHash: batch.rootHash };
        publisher.dirty();
      },
      onRollback(size, cause) {
        logEvent({ event: 'commit_failed', error: errorText(cause), rolledBackTo: size });
        if (db.readLatest()?.size !== size)
          throw new Error(`after a failed commit the database no longer ends at ${size}: another writer?`);
        ({ state, dedupe } = replayState(db, { origin, adminKeys }));
        // Fenced (another instance sequences now) is not a storage failure: nothing to probe.
        if ((cause as { fenced?: unknown } | undefined)?.fenced !== true) storage.failed(cause);
      },
      onBatchTimed(ms, n) {
        m.batchSeconds(ms / 1000);
        m.batchSize(n);
      },
    },
    loaded.latest.size,
  );
  const verifier = deps.verifier ?? inlineVerifier();
  const store = deps.archiveDir === undefined ? undefined : new ArtifactStore(deps.archiveDir);
  const archiver =
    store &&
    new Archiver({
      store,
      state,
      config: config.archive,
      fetcher: registryFetcher(config.archive.registries, config.archive.maxArtifactBytes),
      now,
      logEvent,
    });
  const proofMemo = new ProofMemo();
  const checkWritable = () => {
    if (sequencer.failed !== undefined)
      throw new NotaryError(
        'UNAVAILABLE',
        'the log is not accepting entries (storage failure); the operator must restart it',
      );
    if (storage.error !== undefined)
      throw new NotaryError('UNAVAILABLE', 'storage refuses writes (disk full?); nothing was logged, retry later', {
        retryAfter: 1,
      });
  };
  /** Submissions whose signature is being checked: they count against maxPending too. */
  let admitting = 0;
  let releaseTime: ReleaseTimeFn | undefined;

  const reads = createNotaryReads({
    config,
    keys,
    tree,
    get state() {
      return state;
    },
    latest: () => latest,
    readLeaves,
    ...(archiver !== undefined && { archive: archiver }),
  });

  /**
   * Everything admission decides, judged against the state as it is now: the signature check
   * is the only await, so with `apply` the state, dedupe and the sequencer's pool stay in step
   * (the entry is applied at once; the next submission sees it).
   */
  async function admit(body: Uint8Array, who: TokenInfo, grant: TokenGrant | undefined, apply: boolean) {
    checkWritable();
    if (sequencer.pending + admitting >= config.limits.maxPending)
      throw new NotaryError('OVERLOADED', 'too many submissions waiting; retry shortly', { retryAfter: 1 });
    admitting += 1;
    let checked: CheckedSubmission;
    try {
      checked = await checkSubmission(body, state.log, verifier);
    } finally {
      admitting -= 1;
    }
    checkWritable();
    const admitted = admitDecoded(body, checked.entry, state.log, checked.verified);
    const submitter: Submitter = { subject: who.subject, role: who.role };
    state.checkPolicy(admitted, submitter, config.policy, now(), releaseTime);
    const boundGrant = grant === undefined ? undefined : bindGrant(grant, admitted.claim, who);
    if (dedupe.has(admitted.dedupe)) throw new NotaryError('DUPLICATE', 'this statement is already in the log');
    if (apply) {
      dedupe.add(admitted.dedupe);
      state.apply(admitted);
    }
    return { admitted, boundGrant };
  }

  /** Admits and sequences on this instance; resolves once the batch is committed. */
  async function sequence(body: Uint8Array, who: TokenInfo, grant: TokenGrant | undefined, queueId?: number) {
    const { admitted, boundGrant } = await admit(body, who, grant, true);
    let done: Awaited<ReturnType<Sequencer['submit']>>;
    try {
      const { leaf, leafHashBytes, dedupe: key, signer } = admitted;
      done = await sequencer.submit({
        leaf,
        leafHash: leafHashBytes,
        dedupe: key,
        signer,
        kind: admitted.claim.type,
        submittedBy: who.subject,
        ...(boundGrant && { grant: boundGrant }),
        ...(queueId !== undefined && { queueId }),
      });
    } catch (e) {
      throw new NotaryError('UNAVAILABLE', 'the entry could not be stored; it was not logged', {
        cause: e,
        retryAfter: 1,
      });
    }
    if (admitted.claim.type === 'audit') archiver?.schedule(admitted.claim, admitted.signer);
    return { admitted, done };
  }

  async function sequenceLocal(body: Uint8Array, who: TokenInfo, grant: TokenGrant | undefined) {
    const { admitted, done } = await sequence(body, who, grant);
    return makeReceipt(tree, done.index, admitted.leafHashBytes, done.batch.size, done.batch.checkpoint, proofMemo);
  }

  /** A follower: admit here (refusals answered at once), sequence at the leader. */
  async function submitToLeader(body: Uint8Array, who: TokenInfo, grant: TokenGrant | undefined) {
    const { admitted } = await admit(body, who, grant, false);
    const index = await cluster!.enqueue(body, who, grant);
    return makeReceipt(tree, index, admitted.leafHashBytes, latest.size, latest.note, proofMemo);
  }

  const notary: Notary = {
    config,
    sequencer,
    metrics,
    now,
    logEvent,
    reads,
    latest: () => latest,
    readiness() {
      const reasons: string[] = [];
      if (sequencer.failed !== undefined)
        reasons.push(`storage: a failed commit could not be rolled back; restart (${errorText(sequencer.failed)})`);
      if (storage.error !== undefined)
        reasons.push(`storage: the last commit failed and storage still refuses writes (${errorText(storage.error)})`);
      if (publisher.error !== undefined)
        reasons.push(`static: publishing the tiles failed; retrying (${errorText(publisher.error)})`);
      if (cluster !== undefined) reasons.push(...cluster.problems());
      const fds = fileDescriptorProblem();
      if (fds !== undefined) reasons.push(`file descriptors: ${fds}`);
      const entries = state.problems;
      return { ok: reasons.length === 0 && entries.length === 0, size: latest.size, reasons, entries };
    },
    recordSubmission: (result) => m.submissions({ result }),
    setReleaseTimes(fn) {
      releaseTime = fn;
    },
    archiver,
    views: archiver && { state, archiver, quorum: config.policy.quorum, path: (meta) => store.path(meta) },
    uploadArtifact(release, fileName, bytes, who) {
      if (archiver === undefined) throw new NotaryError('NOT_FOUND', 'this notary keeps no archive');
      return archiver.upload(release, fileName, bytes, who);
    },
    artifact(address) {
      const meta = store?.get(address);
      return meta && { meta, path: store!.path(meta) };
    },
    authenticate(authorization) {
      const m = authorization === undefined ? undefined : /^Bearer\s+(\S+)$/i.exec(authorization.trim());
      const info = m?.[1] === undefined ? undefined : checkToken(m[1], now());
      if (info === undefined)
        throw new NotaryError('UNAUTHENTICATED', 'a valid bearer token is required (Authorization: Bearer vetn_…)');
      return info;
    },
    async submit(body, who, grant) {
      const started = performance.now();
      const wait = limiter.take(who.id);
      if (wait > 0)
        throw new NotaryError(
          'RATE_LIMITED',
          `rate limit of ${config.limits.ratePerSecond}/s for this token exceeded`,
          {
            retryAfter: wait,
          },
        );
      const receipt =
        cluster === undefined || cluster.isLeader()
          ? await sequenceLocal(body, who, grant)
          : await submitToLeader(body, who, grant);
      m.receiptSeconds((performance.now() - started) / 1000);
      return receipt;
    },
    async close() {
      await archiver?.settled();
      storage.stop();
      await sequencer.close();
      await committer.close();
      await verifier.close();
      await publisher.stop();
    },
  };

  return {
    notary,
    get treeSize() {
      return tree.size;
    },
    idle: () => sequencer.idle,
    follow(entries, head) {
      for (const e of entries) {
        if (e.idx !== tree.size) throw new Error(`following: expected entry ${tree.size}, got ${e.idx}`);
        tree.append(e.leaf_hash);
        replayStored(state, e);
        dedupe.add(e.dedupe.toString('hex'));
      }
      if (head.size !== tree.size) throw new Error(`following: checkpoint ${head.size} but tree ${tree.size}`);
      latest = { size: head.size, note: head.note, rootHash: rootAt(tree, head.size) };
      publisher.dirty();
    },
    lead(head) {
      if (head.size !== tree.size) throw new Error(`leading: checkpoint ${head.size} but tree ${tree.size}`);
      latest = { size: head.size, note: head.note, rootHash: rootAt(tree, head.size) };
      sequencer.resync(head.size);
    },
    async sequenceQueued(body, who, grant, queueId) {
      await sequence(body, who, grant, queueId);
    },
    signCheckpoint,
    rootAt: (size) => rootAt(tree, size),
  };
}

function notaryMetrics(metrics: Metrics, size: () => number, pending: () => number) {
  metrics.gauge('vet_notary_tree_size', 'Entries in the log (latest checkpoint).', size);
  metrics.gauge('vet_notary_pending_submissions', 'Submissions waiting for the sequencer.', pending);
  return {
    submissions: metrics.counter('vet_notary_submissions_total', 'Submissions by result code.'),
    receiptSeconds: metrics.histogram(
      'vet_notary_time_to_receipt_seconds',
      'From request body read to receipt.',
      [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    ),
    batchSeconds: metrics.histogram(
      'vet_notary_batch_commit_seconds',
      'Sequencing one batch: append, sign, commit.',
      [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25],
    ),
    batchSize: metrics.histogram(
      'vet_notary_batch_entries',
      'Entries per committed batch.',
      [1, 4, 16, 64, 256, 1024, 4096],
    ),
  };
}

const STORAGE_PROBE_MS = 1000;

/** A token may only come with an admin's auditor-add entry, and acts for the added key id. */
function bindGrant(grant: TokenGrant, claim: EntryClaim, who: TokenInfo): TokenGrant {
  if (who.role !== 'admin' || claim.type !== 'auditor-add')
    throw new NotaryError('FORBIDDEN', 'a token can only be issued with an admin-signed auditor add entry');
  if (!/^[0-9a-f]{64}$/.test(grant.hash)) throw new NotaryError('MALFORMED', 'a token grant is a SHA-256 in hex');
  return { ...grant, subject: claim.keyid };
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : typeof e === 'string' ? e : 'unknown error';
}
