/**
 * `vet certify … --submit <notary>`: sign the audit as a DSSE envelope with the auditor's own
 * key (in-toto Statement, subjects bound to the lockfile's artifact digests and the
 * statement bound to this notary's origin), submit it, and verify the receipt before
 * keeping it: the leaf hash is our exact bytes, the checkpoint is signed by the notary key
 * we import with, and the inclusion proof leads to that checkpoint's root.
 */
import { request } from 'undici';
import path from 'node:path';
import {
  IN_TOTO_PAYLOAD_TYPE,
  VetError,
  escapeText,
  hashLeaf,
  integritySri,
  makeAuditStatement,
  parseTlogProof,
  signDsse,
  verifyCheckpoint,
  verifyInclusion,
  type AuditEntry,
  type AuditStatementInput,
  type DependencyGraph,
  type NotaryImportConfig,
  type NotaryReceipt,
} from '@vet/core';
import { readStore, writeFileAtomic } from '@vet/core/node';
import type { CommandIO } from '../io.js';
import { readAuditorKey } from './auditor-key.js';
import { notaryUrl } from './fetch.js';
import { notaryStateDir, notaryStateRoot, STATE_FILE } from './state-dir.js';
import { uploadArtifacts, type ArtifactGetter } from './upload-artifact.js';

export interface SubmitToNotaryOptions {
  /** The audit as certify recorded it (local criteria names). */
  audit: AuditEntry;
  /** Package name. */
  pkg: string;
  storeDir: string;
  graph: DependencyGraph;
  /** A notary import's name, or its URL. */
  notaryUrl: string;
  keyFile: string;
  /** The notary's bearer token for this auditor. */
  token: string;
  io: CommandIO;
  /** Root of vet's user state (receipts go under it); default $XDG_STATE_HOME/vet. */
  stateDir?: string;
  /** The audited artifact of a version (bytes matching the digest): uploaded to the notary's archive. */
  artifact?: ArtifactGetter;
}

export type { NotaryReceipt };

export interface SubmitResult {
  receipt: NotaryReceipt;
  receiptFile: string;
  importName: string;
}

const MAX_RESPONSE_BYTES = 1024 * 1024;

export async function submitToNotary(o: SubmitToNotaryOptions): Promise<SubmitResult> {
  const store = await readStore(o.storeDir);
  const [importName, notary] = findNotary(store.config.imports, o.notaryUrl);
  const key = await readAuditorKey(o.keyFile);
  const origin = notary.key.split('+')[0]!;
  const input = statementInput(o.audit, o.pkg, o.graph, origin, o.io.now());
  const envelope = signDsse(makeAuditStatement(input), IN_TOTO_PAYLOAD_TYPE, {
    keyid: key.keyid,
    secretKey: key.secretKey,
  });
  const body = Buffer.from(JSON.stringify(envelope));
  const { receipt, receiptFile } = await submitSignedEntry(notary, body, o.token, o.io, o.stateDir);
  o.io.err(
    `Submitted to notary '${escapeText(importName)}': log entry ${receipt.index} (receipt verified, saved to ${escapeText(receiptFile)}).\n`,
  );
  if (o.artifact !== undefined && input.kind === 'audit') {
    const n = await uploadArtifacts(
      { notaryUrl: notary.url, ecosystem: input.ecosystem, pkg: o.pkg, digests: input.digests, token: o.token },
      o.artifact,
      o.io,
    );
    if (n > 0) o.io.err(`Uploaded ${n} audited artifact(s) to the notary's archive.\n`);
  }
  return { receipt, receiptFile, importName };
}

/**
 * Submit one signed envelope (an audit, a violation, a revocation) and keep its receipt only
 * after verifying it: our exact bytes, included under a checkpoint the pinned key signed.
 */
export async function submitSignedEntry(
  notary: NotaryImportConfig,
  body: Buffer,
  token: string,
  io: CommandIO,
  stateDir?: string,
): Promise<{ receipt: NotaryReceipt; receiptFile: string }> {
  const receipt = await post(notaryUrl(notary.url, 'v1/submit'), body, token);
  verifyReceipt(receipt, body, notary);
  const dir = notaryStateDir(notaryStateRoot(io.env, stateDir), notary.key.split('+')[0]!);
  const receiptFile = path.join(dir, 'receipts', `${receipt.index}.tlog-proof`);
  await writeFileAtomic(receiptFile, receipt.tlogProof, STATE_FILE);
  return { receipt, receiptFile };
}

export function findNotary(
  imports: Record<string, { notary?: NotaryImportConfig }>,
  nameOrUrl: string,
): [string, NotaryImportConfig] {
  const trim = (u: string) => u.replace(/\/+$/, '');
  for (const [name, imp] of Object.entries(imports)) {
    if (imp.notary && (name === nameOrUrl || trim(imp.notary.url) === trim(nameOrUrl))) return [name, imp.notary];
  }
  throw new VetError('INVALID_ARGUMENT', `no notary import named or at ${nameOrUrl}`, {
    hint: 'add it first with `vet import NAME --notary URL --key KEY`: its key is needed to verify the receipt',
  });
}

/** Digests come from the lockfile: an auditor attests to the bytes the project locks. */
function statementInput(
  a: AuditEntry,
  pkg: string,
  graph: DependencyGraph,
  origin: string,
  now: Date,
): AuditStatementInput {
  const base = {
    ecosystem: graph.ecosystem,
    package: pkg,
    criteria: a.criteria,
    who: a.who.join(', '),
    ...(a.notes !== undefined ? { notes: a.notes } : {}),
  };
  const auditedAt = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  if (a.kind === 'violation')
    return {
      ...base,
      kind: 'violation',
      violation: a.violation ?? '',
      digests: {},
      auditedAt,
      extra: { notary: origin },
    };
  const versions = a.kind === 'delta' && a.delta ? [a.delta.from, a.delta.to] : [a.version ?? ''];
  const digests: Record<string, string> = {};
  for (const v of versions) digests[v] = lockfileDigest(graph, pkg, v);
  const what =
    a.kind === 'delta' && a.delta ? { delta: { from: a.delta.from, to: a.delta.to } } : { version: a.version ?? '' };
  return { ...base, kind: 'audit', ...what, digests, auditedAt, extra: { notary: origin } };
}

function lockfileDigest(graph: DependencyGraph, pkg: string, version: string): string {
  const node = graph.nodes.find((n) => !n.firstParty && n.name === pkg && n.version === version);
  const preferred = ['sha512', 'sha384', 'sha256'];
  const integrity = node?.integrity
    .filter((i) => preferred.includes(i.algo) && i.covers !== 'git-commit' && i.covers !== 'yarn-zip')
    .sort((x, y) => preferred.indexOf(x.algo) - preferred.indexOf(y.algo))[0];
  if (integrity === undefined) {
    throw new VetError('INVALID_ARGUMENT', `${pkg}@${version} has no sha256/384/512 artifact digest in the lockfile`, {
      hint: 'a notary approval binds to the artifact digest; audit a version the lockfile pins with its integrity',
    });
  }
  return integritySri(integrity);
}

async function post(url: string, body: Buffer, token: string): Promise<NotaryReceipt> {
  let res;
  try {
    res = await request(url, {
      method: 'POST',
      body,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      headersTimeout: 60_000,
      bodyTimeout: 60_000,
    });
  } catch (cause) {
    throw new VetError('NETWORK_ERROR', `could not reach the notary at ${url}: ${(cause as Error).message}`, { cause });
  }
  let total = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of res.body as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > MAX_RESPONSE_BYTES) {
      res.body.destroy();
      throw new VetError('HTTP_ERROR', `the notary's answer from ${url} is too large`);
    }
    chunks.push(chunk);
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    json = undefined;
  }
  if (res.statusCode !== 200) {
    const err = (json as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new VetError(
      'HTTP_ERROR',
      `the notary refused the audit (HTTP ${res.statusCode} ${err?.code ?? ''}): ${err?.message ?? 'no details'}`,
      {
        details: { status: res.statusCode, ...(err?.code ? { notaryCode: err.code } : {}) },
        hint:
          res.statusCode === 401 || res.statusCode === 403
            ? 'check the token the notary operator issued to you'
            : undefined,
      },
    );
  }
  const r = json as Partial<NotaryReceipt> | undefined;
  if (
    r === undefined ||
    !Number.isSafeInteger(r.index) ||
    typeof r.leafHash !== 'string' ||
    !Number.isSafeInteger(r.treeSize) ||
    typeof r.checkpoint !== 'string' ||
    !Array.isArray(r.inclusionProof) ||
    typeof r.tlogProof !== 'string'
  ) {
    throw new VetError('PARSE_ERROR', `the notary at ${url} answered without a receipt`);
  }
  return r as NotaryReceipt;
}

/** Throws SIGNATURE_INVALID / LOG_INCONSISTENT when the receipt does not prove our entry. */
export function verifyReceipt(r: NotaryReceipt, body: Uint8Array, notary: NotaryImportConfig): void {
  const leaf = hashLeaf(body);
  if (Buffer.from(leaf).toString('hex') !== r.leafHash) {
    throw new VetError(
      'LOG_INCONSISTENT',
      `the receipt names leaf ${r.leafHash}, but the submitted envelope hashes to ${Buffer.from(leaf).toString('hex')}`,
    );
  }
  const cp = verifyCheckpoint(r.checkpoint, notary.key, { fileName: 'receipt checkpoint' });
  const proof = r.inclusionProof.map((h) => new Uint8Array(Buffer.from(String(h), 'base64')));
  if (cp.size !== r.treeSize || !verifyInclusion(leaf, r.index, cp.size, proof, cp.rootHash)) {
    throw new VetError(
      'LOG_INCONSISTENT',
      `the receipt's inclusion proof for entry ${r.index} does not lead to the signed root of size ${cp.size}`,
    );
  }
  const tp = parseTlogProof(r.tlogProof, 'receipt');
  if (tp.index !== r.index || tp.note !== r.checkpoint)
    throw new VetError('LOG_INCONSISTENT', 'the receipt tlog-proof text disagrees with the receipt');
}
