/**
 * Test builders: a real notary in a temp data dir on 127.0.0.1, real Ed25519 auditors, and
 * real signed envelopes. No mocks: what the tests talk to is what `vet-notary serve` runs.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, notaryDbKind, type TestDatabase } from './pg-database.js';
import {
  IN_TOTO_PAYLOAD_TYPE,
  generateEd25519KeyPair,
  makeAuditStatement,
  signDsse,
  type AuditStatementInput,
  type Ed25519KeyPair,
} from '@vet/core';
import {
  addAuditor,
  formatNotaryConfig,
  initDataDir,
  initPgDataDir,
  notaryPaths as paths,
  parseNotaryConfig,
  serveNotary,
  type NotaryConfig,
  type RunningNotary,
} from '@vet/notary-server';

export const ORIGIN = 'notary.test/vet/log';

export interface TestAuditor {
  name: string;
  keyid: string;
  keys: Ed25519KeyPair;
  token: string;
}

export function tempDir(prefix = 'vet-notary-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Inits a data dir with config tweaks applied (listen on an ephemeral port). */
export function initTestDataDir(
  dir: string,
  tweak: (c: NotaryConfig) => void = () => {},
): { verifierKey: string; adminToken: string } {
  const r = initDataDir(dir, ORIGIN, { listen: { host: '127.0.0.1', port: 0 } });
  tweakTestConfig(dir, tweak);
  return { verifierKey: r.logVerifierKey, adminToken: r.adminToken };
}

/**
 * initTestDataDir with the log in a fresh PostgreSQL database (dropped by `drop`): what
 * startTestNotary does when VET_NOTARY_DB=postgres.
 */
export async function initPgTestDataDir(
  dir: string,
  tweak: (c: NotaryConfig) => void = () => {},
  database?: TestDatabase,
): Promise<{ verifierKey: string; adminToken: string; database: TestDatabase }> {
  const db = database ?? (await createTestDatabase());
  const r = await initPgDataDir(dir, ORIGIN, db.url, { listen: { host: '127.0.0.1', port: 0 } });
  tweakTestConfig(dir, tweak);
  return { verifierKey: r.logVerifierKey, adminToken: r.adminToken, database: db };
}

function tweakTestConfig(dir: string, tweak: (c: NotaryConfig) => void): void {
  const cfgPath = paths(dir).config;
  const cfg = parseNotaryConfig(readFileSync(cfgPath, 'utf8'), cfgPath);
  cfg.limits.ratePerSecond = 100_000;
  cfg.limits.burst = 100_000;
  cfg.limits.anonymousRatePerSecond = 100_000;
  cfg.limits.anonymousBurst = 100_000;
  cfg.limits.lookupRatePerSecond = 100_000;
  cfg.limits.lookupBurst = 100_000;
  tweak(cfg);
  writeFileSync(cfgPath, formatNotaryConfig(cfg));
}

export interface TestNotary {
  dir: string;
  url: string;
  verifierKey: string;
  adminToken: string;
  running: RunningNotary;
  addAuditor(name: string): Promise<TestAuditor>;
  close(): Promise<void>;
}

/**
 * A running notary in a temp data dir. VET_NOTARY_DB=postgres keeps its log in a fresh
 * PostgreSQL database (the same tests then run on both storages).
 */
export async function startTestNotary(tweak?: (c: NotaryConfig) => void): Promise<TestNotary> {
  const { dir, cleanup: rmDir } = tempDir();
  let drop = async () => {};
  let init: { verifierKey: string; adminToken: string };
  if (notaryDbKind() === 'postgres') {
    const r = await initPgTestDataDir(dir, tweak);
    drop = r.database.drop;
    init = r;
  } else init = initTestDataDir(dir, tweak);
  const { verifierKey, adminToken } = init;
  const cleanup = () => {
    rmDir();
    return drop();
  };
  let running: RunningNotary;
  try {
    running = await serveNotary(dir, { port: 0 });
  } catch (e) {
    await cleanup();
    throw e;
  }
  return {
    dir,
    url: running.url,
    verifierKey,
    adminToken,
    running,
    addAuditor: (name) => addTestAuditor(dir, name),
    async close() {
      await running.close();
      await cleanup();
    },
  };
}

export async function addTestAuditor(dir: string, name: string): Promise<TestAuditor> {
  const keys = generateEd25519KeyPair();
  const { keyid, token } = await addAuditor(dir, { name, publicKey: keys.publicKey });
  return { name, keyid, keys, token };
}

/** A fake artifact's npm integrity (sha512 SRI). */
export function integrity(label: string): string {
  return `sha512-${createHash('sha512').update(label).digest('base64')}`;
}

export function fullAudit(pkg: string, version: string, over: Partial<AuditStatementInput> = {}): AuditStatementInput {
  return {
    kind: 'audit',
    ecosystem: 'npm',
    package: pkg,
    version,
    criteria: ['safe-to-deploy'],
    who: 'Alice <alice@example.com>',
    digests: { [version]: integrity(`${pkg}@${version}`) },
    ...over,
  };
}

export function signStatement(
  a: TestAuditor | { keyid: string; keys: Ed25519KeyPair },
  input: AuditStatementInput,
): Buffer {
  const env = signDsse(makeAuditStatement(input), IN_TOTO_PAYLOAD_TYPE, {
    keyid: a.keyid,
    secretKey: a.keys.secretKey,
  });
  return Buffer.from(JSON.stringify(env));
}

/** A unique full audit per call (random version), signed by `a`. */
export function randomAuditEnvelope(a: TestAuditor, pkg = 'left-pad'): Buffer {
  const version = `1.0.${randomBytes(6).readUIntBE(0, 6)}`;
  return signStatement(a, fullAudit(pkg, version, { who: a.name }));
}

export async function post(
  url: string,
  body: Uint8Array | string,
  token?: string,
): Promise<{ status: number; json: any; headers: Headers }> {
  const res = await fetch(url, {
    method: 'POST',
    body,
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, json, headers: res.headers };
}
