/**
 * imports.lock (spec/cargo-vet-format.md §5): unpublished rows, registry publisher facts,
 * and the reduced copy of each peer's audits (already mapped to local criteria), plus vet's
 * `[notary-checkpoints]` and `[[revoked.<import>.<package>]]` extensions. An empty file is a
 * valid, empty lock.
 */
import type { ImportsLockFile, PublisherEntry, RevokedAuditEntry, UnpublishedEntry } from './model.js';
import { readAuditsTable, readLockAuditEntry } from './parse-audits.js';
import {
  EntryReader,
  FileContext,
  arrayOfTables,
  isTable,
  parseTomlText,
  tableOf,
  type ParseOptions,
} from './parse-common.js';
import { dict } from '../dict.js';

const TOP_KEYS = ['unpublished', 'publisher', 'audits', 'notary-checkpoints', 'revoked'] as const;
const PUBLISHER_KEYS = ['version', 'when', 'user-id', 'user-login', 'user-name', 'trusted-publisher'] as const;
const UNPUBLISHED_KEYS = ['version', 'audited_as'] as const;

export function parseImportsLock(text: string, fileName: string, opts: ParseOptions = {}): ImportsLockFile {
  const ctx = new FileContext(fileName, text, opts);
  const doc = parseTomlText(text, fileName);
  new EntryReader(ctx, doc, [], undefined, 'imports lock').unknownKeys(TOP_KEYS, 'record');
  const lock: ImportsLockFile = {
    unpublished: readRows(ctx, doc['unpublished'], 'unpublished', readUnpublished),
    publisher: readRows(ctx, doc['publisher'], 'publisher', readPublisher),
    audits: dict(),
  };
  for (const [name, v] of Object.entries(tableOf(ctx, doc['audits'], ['audits']) ?? {})) {
    if (!isTable(v)) {
      ctx.problem(`\`audits.${name}\` must be a table`, ctx.loc.table(['audits', name]));
      continue;
    }
    if (v['audits'] === undefined)
      ctx.problem(`[audits.${name}]: missing field \`audits\``, ctx.loc.table(['audits', name]));
    lock.audits[name] = readAuditsTable(ctx, v, ['audits', name], false);
  }
  const checkpoints = readCheckpoints(ctx, doc['notary-checkpoints']);
  if (checkpoints !== undefined) lock.notaryCheckpoints = checkpoints;
  const revoked = readRevoked(ctx, doc['revoked']);
  if (revoked !== undefined) lock.revoked = revoked;
  ctx.finish();
  return lock;
}

function readRows<T extends object>(
  ctx: FileContext,
  v: unknown,
  path: string | string[],
  readOne: (r: EntryReader) => T,
): Record<string, T[]> {
  const base = typeof path === 'string' ? [path] : path;
  const out = dict<T[]>();
  for (const [crate, list] of Object.entries(tableOf(ctx, v, base) ?? {})) {
    const readers = arrayOfTables(ctx, list, [...base, crate], `${base.join('.')} row for \`${crate}\``);
    if (readers === undefined) continue;
    out[crate] = [];
    for (const r of readers) {
      const row = readOne(r);
      if (r.flush(false)) {
        r.remember(row);
        out[crate].push(row);
      }
    }
  }
  return out;
}

function readUnpublished(r: EntryReader): UnpublishedEntry {
  const row = { version: r.str('version', true) ?? '', auditedAs: r.str('audited_as', true) ?? '' };
  r.unknownKeys(UNPUBLISHED_KEYS, 'record');
  return row;
}

function readPublisher(r: EntryReader): PublisherEntry {
  const row: PublisherEntry = {
    version: r.str('version', true) ?? '',
    when: r.date('when'),
    identity: r.identity() ?? { kind: 'user-id', userId: 0 },
  };
  const login = r.str('user-login');
  const name = r.str('user-name');
  if (row.identity.kind === 'user-id' && login === undefined)
    r.fail('missing field `user-login` (required with `user-id`)');
  if (row.identity.kind === 'trusted-publisher' && (login !== undefined || name !== undefined)) {
    r.fail('`user-login`/`user-name` cannot be combined with `trusted-publisher`');
  }
  if (login !== undefined) row.userLogin = login;
  if (name !== undefined) row.userName = name;
  r.unknownKeys(PUBLISHER_KEYS, 'record');
  return row;
}

function readCheckpoints(ctx: FileContext, v: unknown): Record<string, string> | undefined {
  if (v === undefined) return undefined;
  const r = new EntryReader(ctx, isTable(v) ? v : {}, ['notary-checkpoints'], undefined, '[notary-checkpoints]');
  if (!isTable(v)) r.fail('must be a table');
  const out = dict<string>();
  for (const name of Object.keys(r.obj)) {
    const text = r.str(name);
    if (text !== undefined) out[name] = text;
  }
  return r.flush(false) ? out : undefined;
}

/** `[[revoked.<import>.<package>]]`: an audit entry plus `revoked-by` (the revocation's log index). */
function readRevoked(ctx: FileContext, v: unknown): Record<string, Record<string, RevokedAuditEntry[]>> | undefined {
  if (v === undefined) return undefined;
  const out = dict<Record<string, RevokedAuditEntry[]>>();
  for (const [name, t] of Object.entries(tableOf(ctx, v, ['revoked']) ?? {})) {
    out[name] = readRows(ctx, t, ['revoked', name], (r) => {
      const e = readLockAuditEntry(r, ['revoked-by']);
      return { ...e, revokedBy: r.int('revoked-by', true) ?? 0 };
    });
  }
  return out;
}
