/**
 * Test builders for the notary client: a real notary server (from @vet/notary-server's
 * exported API) in a temp dir on 127.0.0.1, a small static tlog-tiles log server for the
 * misbehaving-notary cases (a genuine log signed with a real key, whose served bytes the
 * test controls), real Ed25519 auditors, real signed envelopes, and graph/store builders.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CompactRange,
  IN_TOTO_PAYLOAD_TYPE,
  emptyStore,
  encodeEntryBundle,
  formatCheckpoint,
  generateEd25519KeyPair,
  generateNoteSigner,
  makeAuditStatement,
  makeAuditorStatement,
  parseTilePath,
  signCosignature,
  signDsse,
  signNote,
  type AuditStatementInput,
  type DependencyGraph,
  type Ed25519KeyPair,
  type ImportConfig,
  type Store,
} from '@vet/core';
import { addAuditor, initDataDir, initPgDataDir, serveNotary, type RunningNotary } from '@vet/notary-server';
import { createTestDatabase, notaryDbKind } from './pg-database.js';
// The server's own test builders: one definition of a test audit and its fake digest.
import { fullAudit as audit, integrity } from './notary-harness.js';

export { audit, integrity };

export const ORIGIN = 'notary.test/vet/log';

export function tempDir(prefix = 'vet-notary-client-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface Auditor {
  name: string;
  keyid: string;
  keys: Ed25519KeyPair;
  token?: string;
}

export function envelope(a: { keyid: string; keys: Ed25519KeyPair }, input: AuditStatementInput): Buffer {
  const env = signDsse(makeAuditStatement(input), IN_TOTO_PAYLOAD_TYPE, {
    keyid: a.keyid,
    secretKey: a.keys.secretKey,
  });
  return Buffer.from(JSON.stringify(env));
}

// ---------------------------------------------------------------- real notary server

export interface RealNotary {
  dir: string;
  url: string;
  vkey: string;
  /** The log's signer key (read from the data dir) — for building a fork of this log. */
  signerKey: string;
  running: RunningNotary;
  addAuditor(name: string): Promise<Auditor>;
  submit(body: Uint8Array, token: string): Promise<{ status: number; json: any }>;
  close(): Promise<void>;
}

/** A real notary server; VET_NOTARY_DB=postgres keeps its log in a fresh PostgreSQL database. */
export async function startRealNotary(): Promise<RealNotary> {
  const { dir, cleanup: rmDir } = tempDir('vet-notary-srv-');
  const listen = { listen: { host: '127.0.0.1', port: 0 } };
  let drop = async (): Promise<void> => {};
  let init: { logVerifierKey: string };
  if (notaryDbKind() === 'postgres') {
    const db = await createTestDatabase();
    drop = db.drop;
    init = await initPgDataDir(dir, ORIGIN, db.url, listen);
  } else init = initDataDir(dir, ORIGIN, listen);
  const cleanup = async () => {
    rmDir();
    await drop();
  };
  const running = await serveNotary(dir, { port: 0 });
  const keyDir = join(dir, 'keys', 'log');
  const signerKey = readFileSync(
    join(keyDir, readdirSync(keyDir).filter((f) => f.endsWith('.key'))[0]!),
    'utf8',
  ).trim();
  return {
    dir,
    url: running.url,
    vkey: init.logVerifierKey,
    signerKey,
    running,
    async addAuditor(name) {
      const keys = generateEd25519KeyPair();
      const { keyid, token } = await addAuditor(dir, { name, publicKey: keys.publicKey });
      return { name, keyid, keys, token };
    },
    async submit(body, token) {
      const res = await fetch(`${running.url}/v1/submit`, {
        method: 'POST',
        body,
        headers: { authorization: `Bearer ${token}` },
      });
      return { status: res.status, json: await res.json() };
    },
    async close() {
      await running.close();
      await cleanup();
    },
  };
}

// ---------------------------------------------------------------- static log server

export interface StaticLog {
  url: string;
  origin: string;
  vkey: string;
  admin: Auditor;
  entries: Uint8Array[];
  /** Replace what GET <path> returns (e.g. "checkpoint", "tile/entries/000.p/3"). */
  overrides: Map<string, Uint8Array | string>;
  /** Witness signer keys (type 0x04) and the time each cosigns at; empty = none. */
  witnesses: { signerKey: string; timestamp: number }[];
  requests: string[];
  append(entry: Uint8Array): number;
  addAuditor(name: string): Auditor;
  /** The signed (and cosigned) checkpoint of the first `size` entries. */
  checkpoint(size?: number): string;
  close(): Promise<void>;
}

export async function startStaticLog(opts: { signerKey?: string; origin?: string } = {}): Promise<StaticLog> {
  const origin = opts.origin ?? ORIGIN;
  const keys =
    opts.signerKey === undefined ? generateNoteSigner(origin) : { signerKey: opts.signerKey, verifierKey: '' };
  const adminKeys = generateEd25519KeyPair();
  const admin: Auditor = {
    name: 'admin',
    keyid: `vet-notary-admin:${createHash('sha256').update(adminKeys.publicKey).digest('hex').slice(0, 16)}`,
    keys: adminKeys,
  };
  const log: StaticLog = {
    url: '',
    origin,
    vkey: keys.verifierKey,
    admin,
    entries: [],
    overrides: new Map(),
    witnesses: [],
    requests: [],
    append(entry) {
      log.entries.push(entry);
      return log.entries.length - 1;
    },
    addAuditor(name) {
      const k = generateEd25519KeyPair();
      const keyid = `vet-auditor:${createHash('sha256').update(k.publicKey).digest('hex').slice(0, 16)}`;
      const payload = makeAuditorStatement({ action: 'add', keyid, publicKey: k.publicKey, name });
      log.append(
        Buffer.from(
          JSON.stringify(
            signDsse(payload, IN_TOTO_PAYLOAD_TYPE, { keyid: admin.keyid, secretKey: admin.keys.secretKey }),
          ),
        ),
      );
      return { name, keyid, keys: k };
    },
    checkpoint(size = log.entries.length) {
      const range = new CompactRange();
      for (const e of log.entries.slice(0, size)) range.appendEntry(e);
      const text = formatCheckpoint({ origin, size, rootHash: range.root() });
      let note = signNote(text, keys.signerKey);
      for (const w of log.witnesses) note += signCosignature(text, w.signerKey, w.timestamp);
      return note;
    },
    close: async () => {},
  };
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').slice(1);
    log.requests.push(path);
    const send = (status: number, body: Uint8Array | string) => {
      res.writeHead(status, { 'content-type': 'application/octet-stream' });
      res.end(body);
    };
    const o = log.overrides.get(path);
    if (o !== undefined) return send(200, o);
    if (path === 'checkpoint') return send(200, log.checkpoint());
    if (path === 'v1/keys')
      return send(
        200,
        JSON.stringify({
          origin,
          admin: { keyid: admin.keyid, publicKey: Buffer.from(adminKeys.publicKey).toString('base64') },
        }),
      );
    try {
      const t = parseTilePath(path);
      if (t.kind !== 'entries' || t.index * 256 + t.width > log.entries.length) return send(404, 'not found');
      return send(200, encodeEntryBundle(log.entries.slice(t.index * 256, t.index * 256 + t.width)));
    } catch {
      return send(404, 'not found');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  log.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  if (opts.signerKey !== undefined) log.vkey = '';
  log.close = () => new Promise<void>((r) => server.close(() => r()));
  return log;
}

// ---------------------------------------------------------------- store and graph

export function notaryImport(
  url: string,
  key: string,
  over: Partial<NonNullable<ImportConfig['notary']>> = {},
): ImportConfig {
  return { url: [], exclude: [], criteriaMap: {}, notary: { url, key, ...over } };
}

export function storeWith(imports: Record<string, ImportConfig>): Store {
  const s = emptyStore();
  s.config.vet = { ecosystem: 'npm' };
  s.config.imports = imports;
  return s;
}

/** An npm graph: root → each `name@version` (integrity = integrity(label) unless given). */
export function npmGraph(pkgs: Record<string, string | { version: string; integrity: string }>): DependencyGraph {
  const nodes: DependencyGraph['nodes'] = [
    {
      id: 'root',
      name: 'root',
      version: '1.0.0',
      source: { kind: 'workspace' },
      integrity: [],
      firstParty: true,
      workspaceMember: true,
      deps: [],
    },
  ];
  for (const [name, spec] of Object.entries(pkgs)) {
    const version = typeof spec === 'string' ? spec : spec.version;
    const sri = typeof spec === 'string' ? integrity(`${name}@${version}`) : spec.integrity;
    const [algo, digest] = [sri.slice(0, sri.indexOf('-')), sri.slice(sri.indexOf('-') + 1)];
    nodes.push({
      id: `${name}@${version}`,
      name,
      version,
      source: { kind: 'registry' },
      integrity: [{ algo, digest, encoding: 'base64', covers: 'npm-tarball' }],
      firstParty: false,
      workspaceMember: false,
      deps: [],
    });
    nodes[0]!.deps.push({ to: `${name}@${version}`, kind: 'normal' });
  }
  return { ecosystem: 'npm', lockfile: 'package-lock.json', format: 'package-lock v3', nodes, warnings: [] };
}
