/**
 * What each page shows, as plain data: the JSON answer of a page is exactly this object,
 * and the HTML renderers (render.ts) print nothing else. Built from the notary's replayed
 * state (the same indexes lookups and feeds use) and the entries' receive times.
 */
import { parseNote } from '@vet/core';
import type { AuditClaim, Ecosystem, EntryClaim, LogEntryInfo } from '../entries/model.js';
import { NotaryState } from '../entries/state.js';
import { NotaryError } from '../errors.js';
import { packageRows } from '../feed/approvals.js';
import { proveInclusion } from '../log/proofs.js';
import type { Notary } from '../notary.js';
import { perDay, type EntryTimes } from './entry-times.js';
import type { PendingRelease, ReleaseWatch } from '../watch/watcher.js';

export interface WebContext {
  notary: Notary;
  times: EntryTimes;
  now: number;
  /** The release watch, when configured. */
  watch?: ReleaseWatch;
}

const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');
const iso = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : new Date(ms).toISOString());

export function homeData(ctx: WebContext) {
  const { notary, times, now } = ctx;
  const latest = notary.latest();
  const logNames = new Set(notary.reads.source.keys.logVerifiers.map((k) => k.split('+')[0]));
  const sigs = parseNote(latest.note).signatures;
  const lastAt = latest.size > 0 ? times.at(latest.size - 1) : undefined;
  return {
    page: 'home' as const,
    origin: notary.config.origin,
    verifierKeys: notary.reads.source.keys.logVerifiers,
    treeSize: latest.size,
    checkpoint: {
      note: latest.note,
      latestEntryAt: iso(lastAt),
      ageSeconds: lastAt === undefined ? undefined : Math.round((now - lastAt) / 1000),
    },
    witnesses: sigs.filter((s) => !logNames.has(s.name)).map((s) => ({ name: s.name })),
    submissionsPerDay: perDay(times, now, 30).map((d) => ({ day: iso(d.day)?.slice(0, 10) ?? '', count: d.count })),
    auditors: [...notary.reads.source.state.log.auditors.values()]
      .map((a) => ({ keyid: a.keyid, name: a.name, active: a.active }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    criteria: notary.config.policy.criteria,
    policy: { quorum: notary.config.policy.quorum, cooldownDays: notary.config.policy.cooldownDays },
    watch: ctx.watch?.health().map((h) => ({
      ecosystem: h.ecosystem,
      stale: h.stale,
      lastOk: iso(h.lastOk),
      lastError: h.lastError === undefined ? undefined : { at: iso(h.lastError.at), message: h.lastError.message },
      failures: h.failures,
    })),
  };
}

function entryIndexes(ctx: WebContext, eco: Ecosystem, name: string): number[] {
  const size = ctx.notary.latest().size;
  const all = ctx.notary.reads.source.state.byPackage.get(NotaryState.packageKey(eco, name)) ?? [];
  return all.filter((i) => i < size);
}

function approvalRow(ctx: WebContext, info: LogEntryInfo, c: AuditClaim, published: Set<number>) {
  const state = ctx.notary.reads.source.state;
  return {
    index: info.index,
    kind: c.auditKind,
    ...(c.from !== undefined && { from: c.from }),
    version: c.version,
    criteria: c.criteria,
    auditor: state.auditorName(info.signer),
    signer: info.signer,
    date: iso(ctx.times.at(info.index)),
    digest: c.digests[c.version],
    ...(c.releasedAt !== undefined && { releasedAt: iso(c.releasedAt) }),
    ...(c.notes !== undefined && { notes: c.notes }),
    counted: published.has(info.index),
    revokedBy: state.revoked.get(info.index),
  };
}

export type ApprovalRow = ReturnType<typeof approvalRow>;

export function packageData(ctx: WebContext, eco: Ecosystem, name: string) {
  const state = ctx.notary.reads.source.state;
  const indexes = entryIndexes(ctx, eco, name);
  const pending = ctx.watch?.pendingFor(eco, name) ?? [];
  if (indexes.length === 0 && pending.length === 0)
    throw new NotaryError('NOT_FOUND', `the log has no entry for ${eco} package ${name}`);
  const published = new Set(packageRows(state, indexes, ctx.notary.config.policy.quorum).flatMap((r) => r.entries));
  const versions = new Map<string, ApprovalRow[]>();
  const violations = [];
  for (const i of indexes) {
    const info = state.entries[i];
    const c = info?.claim;
    if (info === undefined || c === undefined) continue;
    if (c.type === 'audit') {
      const row = approvalRow(ctx, info, c, published);
      versions.set(c.version, [...(versions.get(c.version) ?? []), row]);
    } else if (c.type === 'violation') {
      violations.push({
        index: i,
        range: c.violation,
        criteria: c.criteria,
        auditor: state.auditorName(info.signer),
        date: iso(ctx.times.at(i)),
        revokedBy: state.revoked.get(i),
      });
    }
  }
  const sorted = [...versions.entries()].sort(([a], [b]) => b.localeCompare(a, 'en', { numeric: true }));
  return {
    page: 'package' as const,
    ecosystem: eco,
    name,
    versions: sorted.map(([version, approvals]) => ({ version, approvals })),
    violations,
    revocations: [...versions.values()]
      .flat()
      .filter((r) => r.revokedBy !== undefined)
      .map((r) => ({ index: r.index, version: r.version, revokedBy: r.revokedBy })),
    watched: ctx.watch !== undefined,
    pending: pending.map(pendingJson),
  };
}

export function versionData(ctx: WebContext, eco: Ecosystem, name: string, version: string) {
  const pkg = packageData(ctx, eco, name);
  const v = pkg.versions.find((x) => x.version === version);
  if (v === undefined) throw new NotaryError('NOT_FOUND', `the log has no approval of ${eco} ${name} ${version}`);
  return { page: 'version' as const, ecosystem: eco, name, version, approvals: v.approvals };
}

function claimJson(c: EntryClaim) {
  if (c.type === 'auditor-add' || c.type === 'auditor-remove') return { ...c, publicKey: b64(c.publicKey) };
  return c;
}

function statementOf(envelope: Buffer): unknown {
  try {
    const env = JSON.parse(envelope.toString('utf8')) as { payload?: unknown };
    if (typeof env.payload !== 'string') return undefined;
    return JSON.parse(Buffer.from(env.payload, 'base64').toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** The admin entry that added an auditor key (the latest add before `before`). */
function addedBy(ctx: WebContext, keyid: string, before: number): number | undefined {
  const entries = ctx.notary.reads.source.state.entries;
  for (let i = Math.min(before, entries.length) - 1; i >= 0; i--) {
    const c = entries[i]?.claim;
    if (c?.type === 'auditor-add' && c.keyid === keyid) return i;
  }
  return undefined;
}

export function entryData(ctx: WebContext, index: number) {
  const { notary } = ctx;
  const latest = notary.latest();
  const info = notary.reads.source.state.entries[index];
  if (index >= latest.size || info === undefined)
    throw new NotaryError('NOT_FOUND', `no entry ${index} in the log (tree size ${latest.size})`);
  const bytes = notary.reads.source.readLeaves(index, index + 1)[0] ?? Buffer.alloc(0);
  const auditor = notary.reads.source.state.log.auditors.get(info.signer);
  return {
    page: 'entry' as const,
    origin: notary.config.origin,
    index,
    leafHash: info.leafHash,
    receivedAt: iso(ctx.times.at(index)),
    claim: claimJson(info.claim),
    revokedBy: notary.reads.source.state.revoked.get(index),
    signer: {
      keyid: info.signer,
      admin: notary.reads.source.state.log.isAdmin(info.signer),
      name: auditor?.name,
      publicKey:
        auditor?.publicKeyB64 ??
        (info.signer === notary.reads.source.keys.admin.keyid
          ? b64(notary.reads.source.keys.admin.publicKey)
          : undefined),
      addedAt: auditor === undefined ? undefined : addedBy(ctx, info.signer, index),
    },
    envelope: bytes.toString('base64'),
    statement: statementOf(bytes),
    checkpoint: latest.note,
    treeSize: latest.size,
    inclusionProof: proveInclusion(notary.reads.source.tree, index, latest.size).map(b64),
    verifierKeys: notary.reads.source.keys.logVerifiers,
  };
}

export type EntryData = ReturnType<typeof entryData>;

export function auditorData(ctx: WebContext, keyid: string) {
  const state = ctx.notary.reads.source.state;
  const a = state.log.auditors.get(keyid);
  if (a === undefined) throw new NotaryError('NOT_FOUND', `no auditor with key id ${keyid}`);
  const size = ctx.notary.latest().size;
  const changes = [];
  const approvals = [];
  const revocations = [];
  for (let i = 0; i < Math.min(size, state.entries.length); i++) {
    const info = state.entries[i];
    const c = info?.claim;
    if (info === undefined || c === undefined) continue;
    const date = iso(ctx.times.at(i));
    if ((c.type === 'auditor-add' || c.type === 'auditor-remove') && c.keyid === keyid)
      changes.push({ index: i, change: c.type === 'auditor-add' ? 'added' : 'removed', date });
    if (info.signer !== keyid) continue;
    if (c.type === 'audit' || c.type === 'violation')
      approvals.push({
        index: i,
        date,
        ecosystem: c.ecosystem,
        package: c.package,
        version: c.type === 'audit' ? c.version : undefined,
        violation: c.type === 'violation' ? c.violation : undefined,
        criteria: c.criteria,
        revokedBy: state.revoked.get(i),
      });
    if (c.type === 'revocation') revocations.push({ index: i, date, revokes: state.byLeafHash.get(c.revokes) });
  }
  return {
    page: 'auditor' as const,
    keyid,
    name: a.name,
    publicKey: a.publicKeyB64,
    active: a.active,
    changes,
    approvals: approvals.reverse(),
    revocations,
  };
}

export interface SearchQuery {
  prefix: string;
  auditor: string;
  from?: number;
  to?: number;
}

const SEARCH_LIMIT = 200;

export function searchData(ctx: WebContext, q: SearchQuery) {
  const state = ctx.notary.reads.source.state;
  const size = Math.min(ctx.notary.latest().size, state.entries.length);
  const results = [];
  let more = false;
  for (let i = size - 1; i >= 0; i--) {
    const info = state.entries[i];
    const c = info?.claim;
    if (info === undefined || c === undefined || (c.type !== 'audit' && c.type !== 'violation')) continue;
    if (q.prefix !== '' && !c.package.startsWith(q.prefix)) continue;
    const auditor = state.auditorName(info.signer);
    if (q.auditor !== '' && q.auditor !== info.signer && q.auditor !== auditor) continue;
    const t = ctx.times.at(i);
    if (q.from !== undefined && (t === undefined || t < q.from)) continue;
    if (q.to !== undefined && (t === undefined || t >= q.to)) continue;
    if (results.length === SEARCH_LIMIT) {
      more = true;
      break;
    }
    results.push({
      index: i,
      date: iso(t),
      ecosystem: c.ecosystem,
      package: c.package,
      version: c.type === 'audit' ? c.version : undefined,
      violation: c.type === 'violation' ? c.violation : undefined,
      criteria: c.criteria,
      auditor,
      signer: info.signer,
      revokedBy: state.revoked.get(i),
    });
  }
  return {
    page: 'search' as const,
    query: {
      prefix: q.prefix,
      auditor: q.auditor,
      from: iso(q.from)?.slice(0, 10),
      to: q.to === undefined ? undefined : iso(q.to - 86_400_000)?.slice(0, 10),
    },
    results,
    more,
  };
}

export function pendingJson(p: PendingRelease) {
  return {
    ecosystem: p.ecosystem,
    package: p.package,
    version: p.version,
    publishedAt: iso(p.publishedAt),
    seenAt: iso(p.seenAt),
    suggestedFrom: p.suggestedFrom,
  };
}

export function pendingData(ctx: WebContext) {
  return {
    page: 'pending' as const,
    watched: ctx.watch !== undefined,
    registries: homeData(ctx).watch,
    pending: (ctx.watch?.pending() ?? []).map(pendingJson),
  };
}
