/**
 * Several `vet-notary serve` processes on one PostgreSQL database (issue 16). Exactly one
 * sequences at a time: the one holding the session-level advisory lock SEQUENCER_LOCK on its
 * dedicated connection. Elected, it bumps the leader epoch (`sequencer_lease`), which every
 * commit re-checks under FOR UPDATE (pg/commit.ts): a paused ex-leader whose session the
 * server dropped (idle_session_timeout, TCP keepalives) cannot publish after it wakes.
 * The others follow the log (LISTEN vet_log + polling), serve reads from what they followed,
 * and hand submissions to the sequencer through the `queue` table; the sequencer takes them
 * with FOR UPDATE SKIP LOCKED, runs the same admission, and marks them done in the commit
 * transaction. The accepting instance answers only once its entry is committed and followed.
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { NotaryError, isNotaryError, type NotaryApiCode } from '../errors.js';
import type { TokenGrant } from '../log/commit.js';
import type { NotaryCluster, NotaryCore } from '../notary.js';
import type { TokenInfo, TokenRole } from '../tokens.js';
import { checkEpoch, type FencedError } from './commit.js';
import { inTransaction, makeClient } from './connect.js';
import type { PgMirror } from './mirror.js';
import { SEQUENCER_LOCK } from './schema.js';

export interface PgClusterOptions {
  url: string;
  pool: pg.Pool;
  mirror: PgMirror;
  sessionTimeoutMs: number;
  maxPending: number;
  batchMaxEntries: number;
  log(event: Record<string, unknown>): void;
}

interface Waiter {
  resolve(index: number): void;
  reject(e: unknown): void;
  timer: NodeJS.Timeout;
}

interface QueueRow {
  id: number;
  body: Buffer;
  subject: string;
  role: TokenRole;
  token_id: string;
  grant_hash: string | null;
  grant_label: string | null;
  grant_expires: number | null;
}

const TICK_MS = 200;
const ELECT_MS = 250;
const WAIT_MS = 60_000;

export class PgCluster implements NotaryCluster {
  readonly id = randomUUID();
  #o: PgClusterOptions;
  #core: NotaryCore | undefined;
  #session: pg.Client | undefined;
  #epoch: number | undefined;
  #waiters = new Map<number, Waiter>();
  #serial: Promise<void> = Promise.resolve();
  #timers: NodeJS.Timeout[] = [];
  #problem: string | undefined;
  #closed = false;
  #draining = false;
  /** A fenced instance stands again only after this (ms since epoch): the others go first. */
  #standAfter = 0;

  constructor(o: PgClusterOptions) {
    this.#o = o;
  }

  /** The notary this cluster drives; starts following, electing and draining. */
  async start(core: NotaryCore): Promise<void> {
    this.#core = core;
    await this.#connectSession();
    this.#timers.push(
      setInterval(() => this.#poke(), TICK_MS),
      setInterval(() => void this.#elect(), ELECT_MS),
      setInterval(() => void this.#ping(), Math.max(200, Math.floor(this.#o.sessionTimeoutMs / 4))),
    );
    await this.#elect();
  }

  isLeader(): boolean {
    return this.#epoch !== undefined;
  }

  /** The epoch this instance sequences under (undefined: not the sequencer). */
  epoch = (): number | undefined => this.#epoch;

  problems(): string[] {
    return this.#problem === undefined ? [] : [`database: ${this.#problem}`];
  }

  async enqueue(body: Uint8Array, who: TokenInfo, grant: TokenGrant | undefined): Promise<number> {
    if (this.#waiters.size >= this.#o.maxPending)
      throw new NotaryError('OVERLOADED', 'too many submissions waiting for the sequencer; retry shortly', {
        retryAfter: 1,
      });
    const { rows } = await this.#o.pool
      .query<{ id: number }>(
        `INSERT INTO queue (body, subject, role, token_id, grant_hash, grant_label, grant_expires)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
        [Buffer.from(body), who.subject, who.role, who.id, grant?.hash, grant?.label, grant?.expiresAt],
      )
      .catch((e: unknown) => {
        throw new NotaryError('UNAVAILABLE', 'the database refused the submission; it was not logged', {
          cause: e,
          retryAfter: 1,
        });
      });
    const id = rows[0]!.id;
    return new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(id);
        reject(
          new NotaryError('UNAVAILABLE', 'no sequencer committed the submission in time; retry (DUPLICATE = logged)', {
            retryAfter: 1,
          }),
        );
      }, WAIT_MS);
      this.#waiters.set(id, { resolve, reject, timer });
      this.#poke();
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const t of this.#timers) clearInterval(t);
    await this.#serial;
    for (const [, w] of this.#waiters) {
      clearTimeout(w.timer);
      w.reject(new NotaryError('UNAVAILABLE', 'the notary is shutting down', { retryAfter: 1 }));
    }
    this.#waiters.clear();
    this.#epoch = undefined;
    await this.#session?.end().catch(() => {});
    this.#session = undefined;
  }

  /** A commit was fenced: someone else sequences now. */
  fenced(e: FencedError): void {
    if (this.#epoch === undefined) return;
    this.#o.log({ event: 'sequencer_fenced', error: e.message });
    this.#standAfter = Date.now() + this.#o.sessionTimeoutMs;
    this.#stepDown();
    void this.#session?.query('SELECT pg_advisory_unlock_all()').catch(() => {});
  }

  #stepDown(): void {
    if (this.#epoch !== undefined) this.#o.log({ event: 'sequencer_stepped_down', epoch: this.#epoch });
    this.#epoch = undefined;
  }

  async #connectSession(): Promise<void> {
    const s = makeClient(this.#o.url);
    s.on('error', (e) => this.#lostSession(s, e));
    s.on('end', () => this.#lostSession(s, new Error('connection ended')));
    s.on('notification', (n) => {
      if (n.channel === 'vet_queue' && this.isLeader()) void this.#drain();
      else this.#poke();
    });
    await s.connect();
    // The server drops a session that stops pinging (a paused or partitioned sequencer),
    // which releases its advisory lock: another instance takes over within seconds.
    const secs = Math.max(1, Math.round(this.#o.sessionTimeoutMs / 1000));
    await s.query(
      `SET idle_session_timeout = ${this.#o.sessionTimeoutMs}; SET tcp_keepalives_idle = ${secs};
       SET tcp_keepalives_interval = 1; SET tcp_keepalives_count = 3; LISTEN vet_log; LISTEN vet_queue`,
    );
    this.#session = s;
    this.#problem = undefined;
  }

  #lostSession(s: pg.Client, e: unknown): void {
    if (this.#session !== s) return;
    this.#session = undefined;
    if (this.#closed) return;
    this.#problem = `lost the connection to the database (${e instanceof Error ? e.message : String(e)})`;
    this.#o.log({ event: 'database_session_lost', error: this.#problem });
    this.#stepDown();
  }

  async #ping(): Promise<void> {
    if (this.#closed) return;
    if (this.#session === undefined) {
      await this.#connectSession().catch((e: unknown) => {
        this.#problem = `cannot reach the database (${e instanceof Error ? e.message : String(e)})`;
      });
      return;
    }
    await this.#session.query('SELECT 1').catch(() => {});
  }

  /** Tries for the sequencer lock; on success becomes the sequencer. */
  async #elect(): Promise<void> {
    const s = this.#session;
    if (this.#closed || s === undefined || this.isLeader() || Date.now() < this.#standAfter) return;
    let got: boolean;
    try {
      const { rows } = await s.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [SEQUENCER_LOCK]);
      got = rows[0]?.ok === true;
    } catch {
      return;
    }
    if (!got) return;
    await this.#run(() => this.#lead(s));
    // Taking over failed (the error is logged and reported on /readyz): let another try.
    if (!this.isLeader()) await s.query('SELECT pg_advisory_unlock_all()').catch(() => {});
  }

  async #lead(s: pg.Client): Promise<void> {
    const core = this.#core!;
    const epoch = await inTransaction(this.#o.pool, async (c) => {
      const { rows } = await c.query<{ epoch: number }>(
        'UPDATE sequencer_lease SET epoch = epoch + 1, holder = $1, since = now() WHERE id = 1 RETURNING epoch',
        [this.id],
      );
      return rows[0]!.epoch;
    });
    // Any commit of the previous sequencer is now either in the database or fenced: catch up.
    while (!core.idle()) await new Promise((r) => setTimeout(r, 5));
    await this.#follow(true);
    const head = this.#o.mirror.latest!;
    const resigned = core.signCheckpoint(head.size, core.rootAt(head.size));
    if (resigned !== head.note) {
      await inTransaction(this.#o.pool, async (c) => {
        await checkEpoch(c, epoch);
        await c.query('UPDATE checkpoints SET note = $1 WHERE size = $2', [resigned, head.size]);
        await c.query('UPDATE latest SET note = $1 WHERE id = 1 AND size = $2', [resigned, head.size]);
      });
      this.#o.mirror.latest = { size: head.size, note: resigned };
    }
    await this.#o.pool.query("UPDATE queue SET state = 'pending', taken_epoch = NULL WHERE state = 'taken'");
    if (this.#session !== s) return; // lost the lock while catching up
    core.lead(this.#o.mirror.latest!);
    this.#epoch = epoch;
    this.#o.log({ event: 'sequencer_elected', epoch, size: head.size, instance: this.id });
    void this.#drain();
  }

  /** Serialises everything that reads the database into the mirror and the notary. */
  #run(fn: () => Promise<void>): Promise<void> {
    const next = this.#serial.then(fn).catch((e: unknown) => {
      this.#problem = e instanceof Error ? e.message : String(e);
      this.#o.log({ event: 'database_error', error: this.#problem });
    });
    this.#serial = next;
    return next;
  }

  #tickQueued = false;
  #poke(): void {
    if (this.#closed || this.#tickQueued) return;
    this.#tickQueued = true;
    void this.#run(async () => {
      this.#tickQueued = false;
      await this.#tick();
    });
  }

  async #tick(): Promise<void> {
    await this.#follow(false);
    await this.#answerWaiters();
    this.#problem = this.#session === undefined ? this.#problem : undefined;
    if (this.isLeader()) void this.#drain();
  }

  /** Reads what other sequencers committed (and token changes) into the mirror and the notary. */
  async #follow(all: boolean): Promise<void> {
    const { mirror, pool } = this.#o;
    const head = await mirror.readHead(pool);
    if (head === undefined) throw new Error('the database holds no checkpoint');
    if (head.tokens !== mirror.tokenEpoch) await mirror.reloadTokens(pool);
    if (this.isLeader() && !all) return; // the sequencer's mirror moves with its own commits
    const core = this.#core!;
    if (!core.idle()) return;
    if (head.size > mirror.size || head.note !== mirror.latest?.note) {
      const entries = await mirror.fetch(pool, head.size);
      mirror.latest = { size: head.size, note: head.note };
      core.follow(entries, mirror.latest);
    }
  }

  async #answerWaiters(): Promise<void> {
    if (this.#waiters.size === 0) return;
    const { rows } = await this.#o.pool.query<{
      id: number;
      state: string;
      idx: number | null;
      code: string | null;
      message: string | null;
      retry_after: number | null;
      rule: string | null;
    }>(
      "SELECT id, state, idx, code, message, retry_after, rule FROM queue WHERE id = ANY($1) AND state IN ('done', 'refused')",
      [[...this.#waiters.keys()]],
    );
    const finished: number[] = [];
    for (const r of rows) {
      const w = this.#waiters.get(r.id);
      if (w === undefined) continue;
      if (r.state === 'done' && r.idx !== null && r.idx >= this.#core!.treeSize) continue; // not followed yet
      this.#waiters.delete(r.id);
      clearTimeout(w.timer);
      finished.push(r.id);
      if (r.state === 'done') w.resolve(r.idx!);
      else
        w.reject(
          new NotaryError((r.code ?? 'UNAVAILABLE') as NotaryApiCode, r.message ?? 'refused by the sequencer', {
            ...(r.retry_after !== null && { retryAfter: r.retry_after }),
            ...(r.rule !== null && { rule: r.rule }),
          }),
        );
    }
    if (finished.length > 0) await this.#o.pool.query('DELETE FROM queue WHERE id = ANY($1)', [finished]);
  }

  /** The sequencer takes queued submissions (SKIP LOCKED) and runs them through admission. */
  async #drain(): Promise<void> {
    const epoch = this.#epoch;
    const core = this.#core!;
    if (epoch === undefined || this.#draining || this.#closed) return;
    this.#draining = true;
    try {
      const room = Math.min(this.#o.batchMaxEntries, this.#o.maxPending - core.notary.sequencer.pending);
      if (room <= 0) return;
      const { rows } = await this.#o.pool.query<QueueRow>(
        `UPDATE queue SET state = 'taken', taken_epoch = $1
         WHERE id IN (SELECT id FROM queue WHERE state = 'pending' ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED)
         RETURNING id, body, subject, role, token_id, grant_hash, grant_label, grant_expires`,
        [epoch, room],
      );
      rows.sort((a, b) => a.id - b.id);
      for (const r of rows) {
        const who: TokenInfo = { subject: r.subject, role: r.role, id: r.token_id };
        const grant: TokenGrant | undefined =
          r.grant_hash === null
            ? undefined
            : { hash: r.grant_hash, subject: r.subject, label: r.grant_label ?? '', expiresAt: r.grant_expires };
        void core.sequenceQueued(r.body, who, grant, r.id).catch((e: unknown) => this.#settleRefused(r.id, epoch, e));
      }
      if (rows.length === room) setImmediate(() => void this.#drain());
    } catch (e) {
      this.#o.log({ event: 'queue_error', error: e instanceof Error ? e.message : String(e) });
    } finally {
      this.#draining = false;
    }
  }

  /** A refusal goes back to the waiting instance; a storage failure puts the row back. */
  async #settleRefused(id: number, epoch: number, e: unknown): Promise<void> {
    const pool = this.#o.pool;
    const ne = isNotaryError(e) ? e : new NotaryError('INTERNAL', 'the sequencer failed on this submission');
    if (!isNotaryError(e)) this.#o.log({ event: 'queue_internal_error', id, error: String(e) });
    const retry = ne.apiCode === 'UNAVAILABLE' || ne.apiCode === 'OVERLOADED';
    try {
      if (retry)
        await pool.query("UPDATE queue SET state = 'pending', taken_epoch = NULL WHERE id = $1 AND taken_epoch = $2", [
          id,
          epoch,
        ]);
      else {
        await pool.query(
          `UPDATE queue SET state = 'refused', code = $3, message = $4, retry_after = $5, rule = $6
           WHERE id = $1 AND taken_epoch = $2`,
          [id, epoch, ne.apiCode, ne.message, ne.retryAfter ?? null, ne.rule ?? null],
        );
        await pool.query("SELECT pg_notify('vet_log', '')");
      }
    } catch (err) {
      this.#o.log({ event: 'queue_error', error: err instanceof Error ? err.message : String(err) });
    }
  }
}
