/**
 * `vet revoke <package> <version> --notary <name>`: an auditor withdraws their own approval.
 * The notary's log is refreshed and verified first (the same client an unlocked check uses),
 * every unrevoked approval of that version signed with the auditor's key is found, and a
 * revocation naming its leaf hash is signed with the same key, submitted, and its receipt
 * verified and kept. The next unlocked `vet check` of any consumer fails, naming it.
 */
import type { Command } from 'commander';
import {
  cloneData,
  IN_TOTO_PAYLOAD_TYPE,
  VetError,
  escapeText,
  makeAuditStatement,
  signDsse,
  toSafeJson,
  type NotaryClaimRecord,
  type NotaryImportConfig,
} from '@vet/core';
import type { GlobalOptions, LoadedProject } from '../context.js';
import { EXIT_OK } from '../exit-codes.js';
import type { CommandIO } from '../io.js';

type RunWrapper = (fn: (g: GlobalOptions, cmd: Command) => Promise<number>) => (this: Command) => Promise<void>;

export interface RevokeOptions {
  pkg: string;
  version: string;
  /** The notary: an import name or its URL. */
  notary: string;
  keyFile?: string;
  token?: string;
  /** Why (the revocation's notes). */
  reason?: string;
}

export function registerRevokeCommand(program: Command, io: CommandIO, run: RunWrapper): void {
  program
    .command('revoke')
    .description('withdraw your own approval of a package version from a notary (signed with your auditor key)')
    .argument('<package>')
    .argument('<version>')
    .requiredOption('--notary <name>', 'the notary (import name or URL) that holds your approval')
    .option('--reason <text>', 'why the approval is withdrawn (recorded in the log)')
    .option('--key-file <path>', 'your auditor signing key (default: the one `vet auditor keygen` wrote)')
    .option('--token <token>', 'your bearer token for the notary (default: $VET_NOTARY_TOKEN)')
    .action(
      run((g, c) => {
        const [pkg, version] = c.args as [string, string];
        const o = c.opts<{ notary: string; reason?: string; keyFile?: string; token?: string }>();
        return runRevoke(g, io, { pkg, version, ...o });
      }),
    );
}

interface Revoked {
  claim: NotaryClaimRecord;
  index: number;
  receiptFile: string;
}

export async function runRevoke(g: GlobalOptions, io: CommandIO, o: RevokeOptions): Promise<number> {
  const token = o.token ?? io.env['VET_NOTARY_TOKEN'];
  if (!token) {
    throw new VetError('INVALID_ARGUMENT', 'revoke needs the bearer token the notary operator issued you', {
      hint: 'pass --token TOKEN or set VET_NOTARY_TOKEN',
    });
  }
  const p = await (await import('../context.js')).loadProject(g, io);
  const notary = await import('../notary/index.js');
  const [importName, config] = notary.findNotary(p.store.config.imports, o.notary);
  const key = await notary.readAuditorKey(o.keyFile ?? notary.defaultAuditorKeyPath(io.env));
  const claims = (await mirroredClaims(io, p, importName)).filter((c) => isMine(c, key.keyid, o));
  if (claims.length === 0) throw nothingToRevoke(o, importName, key.keyid);
  const done: Revoked[] = [];
  for (const claim of claims) {
    const body = revocationEnvelope(claim, config, key, o.reason, io.now());
    const { receipt, receiptFile } = await notary.submitSignedEntry(config, body, token, io);
    done.push({ claim, index: receipt.index, receiptFile });
  }
  io.out(g.outputFormat === 'json' ? toSafeJson({ revoked: done.map(revokedJson) }) : revokedText(done, importName));
  return EXIT_OK;
}

/** The notary's log as of now, verified (and the user's mirror of it brought up to date). */
async function mirroredClaims(io: CommandIO, p: LoadedProject, importName: string): Promise<NotaryClaimRecord[]> {
  // Loaded on use: registering the command must not cost every other command the HTTP client.
  const { refreshNotaryImport } = await import('../notary/index.js');
  const { IMPORT_HINTS } = await import('../imports/fetch-audits.js');
  const http = (await import('../registry/index.js')).createHttpClient({ hints: IMPORT_HINTS });
  try {
    const store = cloneData(p.store);
    const config = store.config.imports[importName]!;
    const r = await refreshNotaryImport({ http, io, storeDir: p.ref.storeDir }, importName, config, store, p.graph);
    return r.state.claims;
  } finally {
    await http.close();
  }
}

/** An unrevoked approval of this version (full, or a delta ending at it) signed with this key. */
function isMine(c: NotaryClaimRecord, keyid: string, o: RevokeOptions): boolean {
  if (c.signer !== keyid || c.package !== o.pkg || c.revokedBy !== undefined || c.kind === 'violation') return false;
  return c.kind === 'full' ? c.version === o.version : c.delta?.to === o.version;
}

function nothingToRevoke(o: RevokeOptions, importName: string, keyid: string): VetError {
  return new VetError(
    'INVALID_ARGUMENT',
    `notary '${importName}' holds no unrevoked approval of ${o.pkg}:${o.version} signed with your key ${keyid}`,
    { hint: 'an auditor can revoke only their own approvals; check the package, version and --key-file' },
  );
}

function revocationEnvelope(
  c: NotaryClaimRecord,
  config: NotaryImportConfig,
  key: { keyid: string; secretKey: Uint8Array },
  reason: string | undefined,
  now: Date,
): Buffer {
  const statement = makeAuditStatement({
    kind: 'revocation',
    ecosystem: c.ecosystem,
    package: c.package,
    ...(c.kind === 'full' && c.version !== undefined ? { version: c.version } : {}),
    criteria: [],
    who: c.who,
    digests: {},
    revokes: c.leafHash,
    ...(reason !== undefined ? { notes: reason } : {}),
    auditedAt: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    // Bound to this notary, as every submission is: it cannot be replayed into another log.
    extra: { notary: config.key.split('+')[0]! },
  });
  const env = signDsse(statement, IN_TOTO_PAYLOAD_TYPE, { keyid: key.keyid, secretKey: key.secretKey });
  return Buffer.from(JSON.stringify(env));
}

function approvalText(c: NotaryClaimRecord): string {
  return c.kind === 'delta' && c.delta ? `${c.delta.from} -> ${c.delta.to}` : (c.version ?? '');
}

function revokedText(done: Revoked[], importName: string): string {
  return done
    .map(
      (d) =>
        `Revoked the approval of ${escapeText(d.claim.package)}:${escapeText(approvalText(d.claim))} ${escapeText(JSON.stringify(d.claim.criteria))} (log entry ${d.claim.index}) in notary '${escapeText(importName)}': revocation is log entry ${d.index} (receipt verified, saved to ${escapeText(d.receiptFile)}).\n`,
    )
    .join('');
}

function revokedJson(d: Revoked): Record<string, unknown> {
  return {
    name: d.claim.package,
    approved: approvalText(d.claim),
    criteria: d.claim.criteria,
    entry: d.claim.index,
    revocation_entry: d.index,
    receipt_file: d.receiptFile,
  };
}
