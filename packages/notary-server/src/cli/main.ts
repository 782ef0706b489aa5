/**
 * `vet-notary`, the operator CLI. Commands parse arguments and call the library; errors
 * are mapped to a message and exit code in exactly one place (runCli), and commands never
 * call process.exit themselves.
 *   init <dir> --origin <o> [--host h] [--port p] [--database postgres://…]   create keys, config, empty log
 *   serve <dir> [--origin o] [--host h] [--port p] [--database postgres://…]  run the notary
 *   auditor add <dir> --name <n> --public-key <b64> [--keyid k] [--expires-days d]
 *   auditor remove <dir> --name <n> --public-key <b64> [--keyid k]
 *   token issue|revoke <dir> --name <n> | --keyid <id> [--expires-days d]
 *   rotate-key <dir> [--finish]    verify <dir>    backup <dir> <dest> [--include-keys]
 *   status <dir> [--json]          what the home page shows (asks the running server)
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isVetError, VetError } from '@vet/core';
import { backupNotary } from '../backup.js';
import { initDataDir, initPgDataDir } from '../datadir.js';
import { addAuditor, issueAuditorToken, removeAuditor, resolveAuditorKeyid, revokeAuditorTokens } from '../operator.js';
import { rotateLogKey } from '../rotate.js';
import { serveNotary, serverEd25519Engine } from '../server.js';
import { EXIT_STORAGE, formatStorageProblem, storageProblem } from '../storage-errors.js';
import { isNotaryError } from '../errors.js';
import { verifyNotaryLog } from '../verify.js';
import { fetchStatus, formatStatus } from '../web/status.js';

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /** Resolves when the process should shut down (serve). */
  untilSignal(): Promise<void>;
}

const OPTIONS = {
  origin: { type: 'string' },
  host: { type: 'string' },
  port: { type: 'string' },
  name: { type: 'string' },
  'public-key': { type: 'string' },
  keyid: { type: 'string' },
  'expires-days': { type: 'string' },
  finish: { type: 'boolean' },
  'include-keys': { type: 'boolean' },
  json: { type: 'boolean' },
  database: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (e) {
    const storage = storageProblem(e);
    if (storage !== undefined) {
      io.err(formatStorageProblem(storage, dataDirArg(argv)));
      return EXIT_STORAGE;
    }
    if (isVetError(e)) {
      const rule = isNotaryError(e) && e.rule !== undefined ? ` (rule ${e.rule}, docs/notary.md)` : '';
      io.err(`error[${e.code}]: ${e.message}${rule}${e.hint ? `\n  hint: ${e.hint}` : ''}`);
      for (const p of (e as { problems?: { message: string }[] }).problems ?? []) io.err(`  - ${p.message}`);
      return e.code === 'INVALID_ARGUMENT' ? 2 : 1;
    }
    io.err(
      `internal error: ${(e as Error)?.stack ?? String(e)}\nThis is a bug in vet-notary; please report it with the output above.`,
    );
    return 70;
  }
}

async function dispatch(argv: string[], io: CliIo): Promise<number> {
  const { values: o, positionals: pos } = parseOperatorArgs(argv);
  const [cmd, ...rest] = o.help ? ['help'] : pos;
  const need = (v: string | undefined, what: string): string => {
    if (v === undefined || v === '')
      throw new VetError('INVALID_ARGUMENT', `missing ${what}`, { hint: 'run `vet-notary help`' });
    return v;
  };
  const port = o.port === undefined ? undefined : int(o.port, '--port');
  const expiresAt =
    o['expires-days'] === undefined ? undefined : Date.now() + int(o['expires-days'], '--expires-days') * 86_400_000;
  const print = (human: string, json: unknown) => io.out(o.json ? JSON.stringify(json, null, 2) : human);
  switch (cmd) {
    case 'init': {
      const dir = need(rest[0], 'data directory');
      const listen = { host: o.host ?? '127.0.0.1', port: port ?? 8480 };
      const origin = need(o.origin, '--origin');
      const r =
        o.database === undefined
          ? initDataDir(dir, origin, { listen })
          : await initPgDataDir(dir, origin, o.database, { listen });
      print(
        `initialised ${dir}\nlog key (publish this): ${r.logVerifierKey}\nadmin key id: ${r.adminKeyId}\nadmin token written to ${dir}/keys/admin.token`,
        r,
      );
      return 0;
    }
    case 'serve': {
      const dir = need(rest[0], 'data directory');
      // One command for a fresh notary: `serve <dir> --origin <o>` initialises an empty dir.
      if (o.origin !== undefined && !existsSync(join(dir, 'notary.json'))) {
        const listen = { host: o.host ?? '127.0.0.1', port: port ?? 8480 };
        const r =
          o.database === undefined
            ? initDataDir(dir, o.origin, { listen })
            : await initPgDataDir(dir, o.origin, o.database, { listen });
        io.out(`initialised ${dir}; log key (publish this): ${r.logVerifierKey}`);
      }
      const running = await serveNotary(dir, {
        ...(o.host && { host: o.host }),
        ...(port !== undefined && { port }),
        ...(o.database !== undefined && { database: o.database }),
        log: (e) => io.err(JSON.stringify({ time: new Date().toISOString(), ...e })),
      });
      io.out(
        `vet-notary serving ${running.notary.config.origin} at ${running.url} (Ed25519 checks: ${serverEd25519Engine()})`,
      );
      await io.untilSignal();
      await running.close();
      return 0;
    }
    case 'auditor': {
      const [sub, dir] = rest;
      const name = need(o.name, '--name');
      const publicKey = key(need(o['public-key'], '--public-key'));
      if (sub === 'add') {
        const r = await addAuditor(need(dir, 'data directory'), {
          name,
          publicKey,
          ...(o.keyid && { keyid: o.keyid }),
          ...(expiresAt !== undefined && { tokenExpiresAt: expiresAt }),
        });
        print(
          `added auditor ${name} (keyid ${r.keyid}) at log index ${r.receipt.index}\ntoken (shown once): ${r.token}`,
          { keyid: r.keyid, token: r.token, index: r.receipt.index },
        );
        return 0;
      }
      if (sub === 'remove') {
        const r = await removeAuditor(need(dir, 'data directory'), {
          name,
          publicKey,
          ...(o.keyid && { keyid: o.keyid }),
        });
        print(`removed auditor ${name} at log index ${r.receipt.index}; ${r.tokensRevoked} token(s) revoked`, {
          index: r.receipt.index,
          tokensRevoked: r.tokensRevoked,
        });
        return 0;
      }
      throw new VetError('INVALID_ARGUMENT', `unknown auditor command ${String(sub)} (add, remove)`);
    }
    case 'token': {
      const [sub, dir] = rest;
      const dataDir = need(dir, 'data directory');
      if (o.keyid === undefined) need(o.name, '--name or --keyid');
      const keyid = await resolveAuditorKeyid(dataDir, {
        ...(o.keyid && { keyid: o.keyid }),
        ...(o.name && { name: o.name }),
      });
      if (sub === 'issue') {
        const token = await issueAuditorToken(dataDir, keyid, {
          now: Date.now(),
          ...(expiresAt !== undefined && { expiresAt }),
        });
        print(`token for auditor key ${keyid} (shown once): ${token}`, { keyid, token });
        return 0;
      }
      if (sub === 'revoke') {
        const n = await revokeAuditorTokens(dataDir, keyid);
        print(`revoked ${n} token(s) of auditor key ${keyid}`, { keyid, revoked: n });
        return 0;
      }
      throw new VetError('INVALID_ARGUMENT', `unknown token command ${String(sub)} (issue, revoke)`);
    }
    case 'rotate-key': {
      const r = rotateLogKey(need(rest[0], 'data directory'), { finish: o.finish ?? false });
      print(
        r.added
          ? `added log key ${r.added}; checkpoints are now signed by ${r.active.length} keys (restart serve)`
          : `retired ${r.retired?.length ?? 0} key(s); active: ${r.active.join(', ')} (restart serve)`,
        r,
      );
      return 0;
    }
    case 'verify': {
      const r = await verifyNotaryLog(need(rest[0], 'data directory'));
      print(
        r.ok
          ? `ok: ${r.entries} entries, ${r.checkpointsChecked} checkpoints consistent, latest size ${r.latestSize}, ${r.artifacts} archived artifacts re-hashed`
          : `FAILED:\n${r.problems.map((p) => `  - ${p}`).join('\n')}`,
        r,
      );
      return r.ok ? 0 : 1;
    }
    case 'backup': {
      const r = await backupNotary(need(rest[0], 'data directory'), need(rest[1], 'backup destination'), {
        includeKeys: o['include-keys'] ?? false,
      });
      print(`backed up ${r.files.join(', ')} to ${rest[1]}`, r);
      return 0;
    }
    case 'status': {
      const d = await fetchStatus(need(rest[0], 'data directory'));
      print(formatStatus(d), d);
      return 0;
    }
    case undefined:
    case 'help':
      io.out(HELP);
      return 0;
    default:
      throw new VetError('INVALID_ARGUMENT', `unknown command ${cmd}`, { hint: 'run `vet-notary help`' });
  }
}

/** The data directory a command names (its first positional after the command words). */
function dataDirArg(argv: string[]): string | undefined {
  const pos = argv.filter((a) => !a.startsWith('-'));
  return ['auditor', 'token'].includes(pos[0] ?? '') ? pos[2] : pos[1];
}

const HELP = `vet-notary <command>
  init <dir> --origin <origin> [--host h] [--port p] [--database postgres://…]
  serve <dir> [--origin <origin>] [--host h] [--port p] [--database postgres://…]
        (--origin on an empty dir: init, then serve; --database: the log is kept in PostgreSQL,
         shared by every instance serving it — default: SQLite in <dir>/notary.db)
  status <dir> [--json]   what the home page shows, from the running server
  auditor add|remove <dir> --name <name> --public-key <base64> [--keyid id] [--expires-days d]
  token issue|revoke <dir> --name <name> | --keyid <id> [--expires-days d]
  rotate-key <dir> [--finish]
  verify <dir>
  backup <dir> <dest> [--include-keys]
  (--json for machine-readable output)`;

/** node's parseArgs throws plain TypeErrors for unknown options: make them usage errors. */
function parseOperatorArgs(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    throw new VetError('INVALID_ARGUMENT', (e as Error).message.split('.')[0] ?? 'bad arguments', {
      hint: 'run `vet-notary help`',
      cause: e,
    });
  }
}

function int(v: string, what: string): number {
  if (!/^\d{1,9}$/.test(v)) throw new VetError('INVALID_ARGUMENT', `${what} must be a non-negative integer`);
  return Number(v);
}

function key(b64: string): Uint8Array {
  const bytes = Buffer.from(b64, 'base64');
  if (bytes.length !== 32 || bytes.toString('base64') !== b64)
    throw new VetError('INVALID_ARGUMENT', '--public-key must be a base64 32-byte Ed25519 public key');
  return new Uint8Array(bytes);
}
