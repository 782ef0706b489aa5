/**
 * Binding a notary to a port: the only I/O `serve` adds on top of createNotary. Keeps
 * connections alive (clients and the bench reuse them) and shuts down in order: stop
 * accepting, let the sequencer commit what it acknowledged to nobody yet, close the db.
 */
import { createServer, type Server } from 'node:http';
import { ed25519Engine, type Ed25519Engine } from '@vet/core';
import type { AddressInfo } from 'node:net';
import { acquireSequencerLock, openDataDir, paths } from './datadir.js';
import { readNotaryConfig, type NotaryConfig } from './config.js';
import { readNotaryKeys } from './keys.js';
import { openPgNotary } from './pg/open.js';
import { createRequestHandler } from './http/app.js';
import { createWebPages } from './web/router.js';
import { createReleaseWatch } from './watch/from-notary.js';
import type { ReleaseWatch } from './watch/watcher.js';
import { createNotary, workerVerifier, type Notary } from './notary.js';
import { serverUrlFile } from './operator.js';
import { writeFileAtomicSync } from '@vet/core/node';
import { workerCommitter } from './log/commit.js';
import { archiveDir } from './archive/store.js';
import { sqliteStorage, type NotaryStorage } from './db/storage.js';
import { staticTargetOf } from './log/static-config.js';

/**
 * Admission's Ed25519 engine: libsodium where `sodium-native` loads (~80–100 µs a check
 * here, vs ~150–170 µs for Node's OpenSSL), else OpenSSL; `VET_NOTARY_ED25519=openssl`
 * forces OpenSSL (A/B measurements, a platform where the addon misbehaves).
 */
export function serverEd25519Engine(): Ed25519Engine {
  return ed25519Engine(process.env.VET_NOTARY_ED25519 === 'openssl' ? 'openssl' : undefined);
}

export interface RunningNotary {
  url: string;
  notary: Notary;
  server: Server;
  /** The release watch, when `watch` is configured. */
  watch?: ReleaseWatch;
  close(): Promise<void>;
}

export interface ServeOptions {
  host?: string;
  port?: number;
  log?: (e: Record<string, unknown>) => void;
  /** postgres://… — overrides `database.url` in the config; absent (both): SQLite. */
  database?: string;
}

interface Opened {
  notary: Notary;
  storage: NotaryStorage;
  config: NotaryConfig;
  close(): Promise<void>;
}

/** SQLite: the data dir's notary.db, this process the only sequencer. */
async function openSqlite(dataDir: string, opts: ServeOptions): Promise<Opened> {
  const { db, config, keys, paths } = openDataDir(dataDir);
  const committer = workerCommitter(paths.db);
  const verifier = workerVerifier(serverEd25519Engine());
  try {
    const notary = createNotary({
      db,
      config,
      keys,
      committer,
      verifier,
      staticTarget: staticTargetOf(config.static, paths.static),
      archiveDir: archiveDir(dataDir),
      ...(opts.log && { log: opts.log }),
    });
    return {
      notary,
      storage: sqliteStorage(db),
      config,
      close: async () => {
        await notary.close();
        db.close();
      },
    };
  } catch (e) {
    // The worker threads would keep a process that cannot start alive: stop them.
    await Promise.allSettled([committer.close(), verifier.close()]);
    db.close();
    throw e;
  }
}

/** PostgreSQL: one of possibly several instances on the database (pg/cluster.ts). */
async function openPostgres(dataDir: string, url: string, config: NotaryConfig, opts: ServeOptions): Promise<Opened> {
  const keys = readNotaryKeys(dataDir);
  const verifier = workerVerifier(serverEd25519Engine());
  try {
    const pgn = await openPgNotary(url, {
      config,
      keys,
      verifier,
      staticTarget: staticTargetOf(config.static, paths(dataDir).static),
      archiveDir: archiveDir(dataDir),
      ...(opts.log && { log: opts.log }),
    });
    return { notary: pgn.notary, storage: pgn.storage, config, close: () => pgn.close() };
  } catch (e) {
    await verifier.close();
    throw e;
  }
}

export async function serveNotary(dataDir: string, opts: ServeOptions = {}): Promise<RunningNotary> {
  const release = acquireSequencerLock(dataDir);
  let opened: Opened;
  try {
    const cfg = readNotaryConfig(paths(dataDir).config);
    const url = opts.database ?? cfg.database?.url;
    opened = url === undefined ? await openSqlite(dataDir, opts) : await openPostgres(dataDir, url, cfg, opts);
  } catch (e) {
    release();
    throw e;
  }
  const { notary, storage, config } = opened;
  const watch = createReleaseWatch(notary);
  if (watch) notary.setReleaseTimes((eco, name, version) => watch.publishedAt(eco, name, version));
  const server = createServer(
    { keepAlive: true, keepAliveTimeout: 30_000, requestTimeout: 30_000 },
    createRequestHandler(notary, createWebPages(notary, storage, watch)),
  );
  server.maxRequestsPerSocket = 0;
  const host = opts.host ?? config.listen.host;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? config.listen.port, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  watch?.start();
  // Lets operator commands reach this process (e.g. to log an auditor change). Atomic: a
  // reader polling for the file must never see it created but still empty.
  writeFileAtomicSync(serverUrlFile(dataDir), url + '\n');
  let closing: Promise<void> | undefined;
  return {
    url,
    notary,
    server,
    ...(watch && { watch }),
    close() {
      closing ??= (async () => {
        await new Promise<void>((r) => {
          server.close(() => r());
          server.closeIdleConnections();
        });
        await watch?.stop();
        await opened.close();
        release();
      })();
      return closing;
    },
  };
}
