/**
 * Binding a witness to a port, and its directory: `<dir>/witness.json` (config.ts),
 * `<dir>/witness.key` (its cosigner key, 0600), `<dir>/state.json` (state.ts), and a lock
 * file so one process owns the state. HTTP: `POST /add-checkpoint` (c2sp.org/tlog-witness),
 * `GET /<hex SHA-256(origin)>/checkpoint` (the monitoring read of tlog-witness main),
 * `GET /` (the verifier key). The HTTP layer only routes.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NOTE_MAX_BYTES, VetError, generateNoteSigner, parseSignerKey, type WitnessedLog } from '@vet/core';
import { releaseLock, tryLock, writeFileAtomicSync } from '@vet/core/node';
import {
  formatWitnessServerConfig,
  parseWitnessServerConfig,
  readWitnessServerConfig,
  type WitnessServerConfig,
} from './config.js';
import { WitnessStateStore } from './state.js';
import { createWitness, type Witness } from './witness.js';

/** A note plus 63 proof lines and the old line: well under twice the note cap. */
const MAX_BODY = 2 * NOTE_MAX_BYTES;

export const witnessPaths = (dir: string) => ({
  config: join(dir, 'witness.json'),
  key: join(dir, 'witness.key'),
  state: join(dir, 'state.json'),
  lock: join(dir, 'witness.lock'),
});

/** Creates a witness directory with a fresh cosigner key; returns its verifier key. */
export function initWitnessDir(dir: string, name: string, listen: { host: string; port: number }): { vkey: string } {
  const p = witnessPaths(dir);
  if (existsSync(p.config) || existsSync(p.key))
    throw new VetError('INVALID_ARGUMENT', `${dir} already holds a witness`, { hint: 'choose an empty directory' });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const key = generateNoteSigner(name, 0x04);
  writeFileAtomicSync(p.key, `${key.signerKey}\n`, { mode: 0o600 });
  writeFileAtomicSync(p.config, formatWitnessServerConfig({ listen, logs: [] }));
  return { vkey: key.verifierKey };
}

/** Adds (or replaces the keys of) a log the witness follows; the running server reads it at start. */
export function addWitnessedLog(dir: string, log: WitnessedLog): WitnessServerConfig {
  const p = witnessPaths(dir);
  const config = readWitnessServerConfig(p.config);
  const logs = [...config.logs.filter((l) => l.origin !== log.origin), log];
  const next = parseWitnessServerConfig(formatWitnessServerConfig({ ...config, logs }), p.config);
  writeFileAtomicSync(p.config, formatWitnessServerConfig(next));
  return next;
}

export interface RunningWitness {
  url: string;
  vkey: string;
  server: Server;
  close(): Promise<void>;
}

export async function serveWitness(
  dir: string,
  opts: { host?: string; port?: number; now?: () => number; log?: (e: Record<string, unknown>) => void } = {},
): Promise<RunningWitness> {
  const p = witnessPaths(dir);
  const config = readWitnessServerConfig(p.config);
  const signerKey = readFileSync(p.key, 'utf8').trim();
  parseSignerKey(signerKey);
  const lock = await tryLock(p.lock);
  if (!lock.taken)
    throw new VetError('LOCK_HELD', `another witness process (pid ${lock.holder ?? '?'}) holds ${dir}`, {
      hint: 'one witness process per directory: its state must not be updated by two',
    });
  let witness: Witness;
  try {
    witness = createWitness({
      logs: config.logs,
      signerKey,
      state: new WitnessStateStore(p.state),
      ...(opts.now && { now: opts.now }),
      ...(opts.log && { log: opts.log }),
    });
  } catch (e) {
    await releaseLock(p.lock);
    throw e;
  }
  const server = createServer({ keepAlive: true, requestTimeout: 30_000 }, (req, res) => {
    handle(witness, req, res).catch((e: unknown) => {
      opts.log?.({ event: 'witness_error', error: String(e) });
      send(res, 500, 'text/plain', 'internal error\n');
    });
  });
  const host = opts.host ?? config.listen.host;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? config.listen.port, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    vkey: witness.vkey,
    server,
    async close() {
      await new Promise<void>((r) => {
        server.close(() => r());
        server.closeIdleConnections();
      });
      await releaseLock(p.lock);
    },
  };
}

async function handle(witness: Witness, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0]!;
  if (path === '/add-checkpoint') {
    if (req.method !== 'POST') return send(res, 405, 'text/plain', 'use POST\n', { allow: 'POST' });
    const body = await readBody(req);
    if (body === undefined) return send(res, 413, 'text/plain', `request body over ${MAX_BODY} bytes\n`);
    const a = await witness.addCheckpoint(body);
    return send(res, a.status, a.contentType, a.body);
  }
  const m = /^\/([0-9a-f]{64})\/checkpoint$/.exec(path);
  if (m !== null && (req.method === 'GET' || req.method === 'HEAD')) {
    const note = witness.latest(m[1]!);
    return note === undefined
      ? send(res, 404, 'text/plain', 'no cosigned checkpoint for that origin\n')
      : send(res, 200, 'text/plain; charset=utf-8', note, { 'cache-control': 'no-cache' });
  }
  if (path === '/' && req.method === 'GET') return send(res, 200, 'text/plain; charset=utf-8', `${witness.vkey}\n`);
  send(res, 404, 'text/plain', 'not found\n');
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let n = 0;
    req.on('data', (c: Buffer) => {
      n += c.length;
      if (n > MAX_BODY) {
        req.removeAllListeners('data');
        req.resume();
        resolve(undefined);
      } else chunks.push(c);
    });
    req.on('end', () => resolve(n > MAX_BODY ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}) {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}
