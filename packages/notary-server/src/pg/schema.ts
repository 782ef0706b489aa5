/**
 * The notary's PostgreSQL schema, as numbered migrations the server applies itself at
 * start: each in the same transaction as its row in `schema_migrations`, all of them under
 * a transaction-scoped advisory lock, so two instances starting together apply each step
 * once. The tables mirror SQLite's (db/open.ts) plus what several instances need:
 *   sequencer_lease  the leader epoch every commit checks under FOR UPDATE (fencing)
 *   queue            submissions accepted by any instance, waiting for the sequencer
 * Triggers NOTIFY `vet_log` when the latest checkpoint moves and `vet_queue` on a new
 * submission, so followers and the sequencer wake without polling (they poll as well).
 */
import type pg from 'pg';
import { VetError } from '@vet/core';
import { inTransaction } from './connect.js';

/** Advisory-lock keys (arbitrary constants, "vet" in ASCII plus a suffix). */
export const MIGRATION_LOCK = 0x76657401;
export const SEQUENCER_LOCK = 0x76657402;

const MIGRATIONS: readonly string[] = [
  // 1: the log, tokens, the lease and the queue.
  `
CREATE TABLE meta (key text PRIMARY KEY, value text NOT NULL);
CREATE TABLE entries (
  idx bigint PRIMARY KEY,
  leaf bytea NOT NULL,
  leaf_hash bytea NOT NULL,
  dedupe bytea NOT NULL UNIQUE,
  kind text NOT NULL,
  signer text NOT NULL,
  submitted_by text NOT NULL,
  received_at bigint NOT NULL
);
CREATE TABLE checkpoints (size bigint PRIMARY KEY, note text NOT NULL);
CREATE TABLE latest (id int PRIMARY KEY CHECK (id = 1), size bigint NOT NULL, note text NOT NULL);
CREATE TABLE tokens (
  hash bytea PRIMARY KEY,
  subject text NOT NULL,
  role text NOT NULL CHECK (role IN ('auditor', 'admin')),
  label text NOT NULL,
  created_at bigint NOT NULL,
  expires_at bigint,
  revoked_at bigint
);
CREATE TABLE token_epoch (id int PRIMARY KEY CHECK (id = 1), n bigint NOT NULL);
INSERT INTO token_epoch (id, n) VALUES (1, 0);
CREATE FUNCTION vet_bump_token_epoch() RETURNS trigger LANGUAGE plpgsql AS
  $$ BEGIN UPDATE token_epoch SET n = n + 1 WHERE id = 1; RETURN NULL; END $$;
CREATE TRIGGER tokens_epoch AFTER INSERT OR UPDATE OR DELETE ON tokens
  FOR EACH STATEMENT EXECUTE FUNCTION vet_bump_token_epoch();
CREATE TABLE sequencer_lease (
  id int PRIMARY KEY CHECK (id = 1),
  epoch bigint NOT NULL,
  holder text NOT NULL,
  since timestamptz NOT NULL
);
INSERT INTO sequencer_lease (id, epoch, holder, since) VALUES (1, 0, '', now());
CREATE TABLE queue (
  id bigserial PRIMARY KEY,
  body bytea NOT NULL,
  subject text NOT NULL,
  role text NOT NULL,
  token_id text NOT NULL,
  grant_hash text,
  grant_label text,
  grant_expires bigint,
  state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'taken', 'done', 'refused')),
  taken_epoch bigint,
  idx bigint,
  code text,
  message text,
  retry_after int,
  rule text,
  enqueued_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX queue_pending ON queue (id) WHERE state = 'pending';
CREATE FUNCTION vet_notify_queue() RETURNS trigger LANGUAGE plpgsql AS
  $$ BEGIN PERFORM pg_notify('vet_queue', ''); RETURN NULL; END $$;
CREATE TRIGGER queue_notify AFTER INSERT ON queue FOR EACH STATEMENT EXECUTE FUNCTION vet_notify_queue();
CREATE FUNCTION vet_notify_log() RETURNS trigger LANGUAGE plpgsql AS
  $$ BEGIN PERFORM pg_notify('vet_log', ''); RETURN NULL; END $$;
CREATE TRIGGER latest_notify AFTER INSERT OR UPDATE ON latest FOR EACH STATEMENT EXECUTE FUNCTION vet_notify_log();
`,
];

export const PG_SCHEMA_VERSION = MIGRATIONS.length;

/** Applies the migrations this database lacks; refuses a database newer than this build. */
export async function migratePg(pool: pg.Pool): Promise<number> {
  return inTransaction(pool, async (c) => {
    await c.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await c.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const { rows } = await c.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations');
    const have = rows[0]?.v ?? 0;
    if (have > MIGRATIONS.length)
      throw new VetError('INVALID_ARGUMENT', `the notary database has schema ${have}, newer than this build's`, {
        hint: 'upgrade vet-notary on this host',
      });
    for (let v = have + 1; v <= MIGRATIONS.length; v++) {
      await c.query(MIGRATIONS[v - 1]!);
      await c.query('INSERT INTO schema_migrations (version) VALUES ($1)', [v]);
    }
    return MIGRATIONS.length - have;
  });
}
