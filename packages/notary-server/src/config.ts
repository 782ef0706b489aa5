/**
 * The notary's configuration file, `<data>/notary.json` (written by `vet-notary init`).
 * parseNotaryConfig is pure and reports every problem at once (STYLE §8); readNotaryConfig
 * only reads the file. Defaults are chosen so a fresh `init` + `serve` works unchanged.
 */
import { readFileSync } from 'node:fs';
import { VetError, VetValidationError, type Problem } from '@vet/core';
import { parseWatchConfig, type WatchConfig } from './watch/config.js';

export interface NotaryPolicy {
  /** Criteria this notary offers; audits naming any other criterion are refused. */
  criteria: string[];
  /** Descriptions for offered criteria that are not cargo-vet built-ins (go into the feed). */
  criteriaDescriptions: Record<string, string>;
  /** An approval is published in feeds/lookups only once this many distinct auditors attested it. */
  quorum: number;
  /** Refuse approvals of releases younger than this many days (0 = off). */
  cooldownDays: number;
}

export interface NotaryLimits {
  /** Request body cap; one body is one log entry, so ≤ 65,535 (tlog-tiles bundle format). */
  maxBodyBytes: number;
  /** Per-token sustained submissions per second and burst size (token bucket). */
  ratePerSecond: number;
  burst: number;
  /** Submissions waiting for the sequencer before new ones get 429 + Retry-After. */
  maxPending: number;
  /** Unauthenticated requests (reads, refused tokens) per client address: per second and burst. */
  anonymousRatePerSecond: number;
  anonymousBurst: number;
  /** `/v1/lookup` per client address, on top of the anonymous bucket (a lookup costs more). */
  lookupRatePerSecond: number;
  lookupBurst: number;
  /**
   * Behind a reverse proxy: the header it sets to the client's address (e.g. `x-forwarded-for`;
   * its last value is used, the one the proxy appended). Empty: the socket's peer address.
   */
  clientAddressHeader: string;
}

export interface NotarySequencerConfig {
  /** Longest a submission waits before its batch is committed. */
  batchDelayMs: number;
  /** Most entries in one transaction / one checkpoint. */
  batchMaxEntries: number;
  /** Static files are rewritten at most this often (full tiles are written once). */
  publishIntervalMs: number;
}

/** Where the notary fetches an approved artifact nobody uploaded (per ecosystem; absent = no fetch). */
export interface NotaryRegistries {
  /** npm registry base URL (packuments at `<url>/<name>`). */
  npm?: string;
  /** PEP 503/691 simple index base URL (`<url>/<name>/`). */
  pypi?: string;
  /** Cargo sparse index URL (`<url>/config.json`), with or without `sparse+`. */
  cargo?: string;
}

export interface NotaryArchiveConfig {
  /** Largest artifact kept (an upload over it gets 413). */
  maxArtifactBytes: number;
  /** Bytes of artifacts one auditor's approvals may keep in the archive. */
  quotaBytesPerAuditor: number;
  registries: NotaryRegistries;
  /** Public base URL of this notary (views link artifacts under it); default: http://<Host header>. */
  publicUrl?: string;
}

export interface NotaryConfig {
  /** C2SP checkpoint origin, e.g. `notary.example.com/vet/log`. */
  origin: string;
  listen: { host: string; port: number };
  policy: NotaryPolicy;
  limits: NotaryLimits;
  sequencer: NotarySequencerConfig;
  /** The release watch (watch/); absent: off. */
  watch?: WatchConfig;
  archive: NotaryArchiveConfig;
  /** Absent: SQLite in the data directory (`notary.db`). */
  database?: NotaryDatabaseConfig;
}

/** PostgreSQL shared by several `serve` processes (pg/). */
export interface NotaryDatabaseConfig {
  /** `postgres://user@host:port/db` (a password may come from PGPASSWORD instead). */
  url: string;
  /**
   * A sequencer that has not pinged the database for this long loses its session, hence
   * its lock, and another instance takes over (PostgreSQL's idle_session_timeout).
   */
  sessionTimeoutMs: number;
}

export const DEFAULT_SESSION_TIMEOUT_MS = 5000;

const MIB = 1024 * 1024;

export const BUILTIN_CRITERIA = ['safe-to-run', 'safe-to-deploy'];

export function defaultNotaryConfig(origin: string): NotaryConfig {
  return {
    origin,
    listen: { host: '127.0.0.1', port: 8480 },
    policy: { criteria: [...BUILTIN_CRITERIA].sort(), criteriaDescriptions: {}, quorum: 1, cooldownDays: 0 },
    limits: {
      maxBodyBytes: 64 * 1024 - 1,
      ratePerSecond: 50,
      burst: 200,
      maxPending: 20_000,
      anonymousRatePerSecond: 100,
      anonymousBurst: 400,
      lookupRatePerSecond: 10,
      lookupBurst: 40,
      clientAddressHeader: '',
    },
    sequencer: { batchDelayMs: 0, batchMaxEntries: 1024, publishIntervalMs: 1000 },
    archive: { maxArtifactBytes: 256 * MIB, quotaBytesPerAuditor: 10 * 1024 * MIB, registries: {} },
  };
}

const ORIGIN_RE = /^[^\s+]+$/u;
const CRITERION_RE = /^[A-Za-z0-9_-]+$/;

type Json = Record<string, unknown>;

export function parseNotaryConfig(text: string, fileName: string): NotaryConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new VetError('PARSE_ERROR', `${fileName}: not valid JSON: ${(cause as Error).message}`, {
      file: fileName,
      cause,
    });
  }
  const problems: Problem[] = [];
  const bad = (message: string) => problems.push({ file: fileName, message });
  if (!isObj(raw)) throw new VetError('PARSE_ERROR', `${fileName}: expected a JSON object`, { file: fileName });
  const origin = typeof raw.origin === 'string' ? raw.origin : '';
  if (!ORIGIN_RE.test(origin)) bad('origin must be a non-empty string without spaces or "+"');
  const cfg = defaultNotaryConfig(origin);
  const listen = obj(raw.listen, 'listen', bad);
  cfg.listen.host = str(listen.host, cfg.listen.host, 'listen.host', bad);
  cfg.listen.port = int(listen.port, cfg.listen.port, 0, 65535, 'listen.port', bad);
  readPolicy(obj(raw.policy, 'policy', bad), cfg.policy, bad);
  const lim = obj(raw.limits, 'limits', bad);
  cfg.limits.maxBodyBytes = int(lim.maxBodyBytes, cfg.limits.maxBodyBytes, 256, 65535, 'limits.maxBodyBytes', bad);
  cfg.limits.ratePerSecond = int(lim.ratePerSecond, cfg.limits.ratePerSecond, 1, 1e6, 'limits.ratePerSecond', bad);
  cfg.limits.burst = int(lim.burst, cfg.limits.burst, 1, 1e7, 'limits.burst', bad);
  cfg.limits.maxPending = int(lim.maxPending, cfg.limits.maxPending, 1, 1e7, 'limits.maxPending', bad);
  readAnonymousLimits(lim, cfg.limits, bad);
  const seq = obj(raw.sequencer, 'sequencer', bad);
  cfg.sequencer.batchDelayMs = int(
    seq.batchDelayMs,
    cfg.sequencer.batchDelayMs,
    0,
    1000,
    'sequencer.batchDelayMs',
    bad,
  );
  cfg.sequencer.batchMaxEntries = int(
    seq.batchMaxEntries,
    cfg.sequencer.batchMaxEntries,
    1,
    100_000,
    'sequencer.batchMaxEntries',
    bad,
  );
  cfg.sequencer.publishIntervalMs = int(
    seq.publishIntervalMs,
    cfg.sequencer.publishIntervalMs,
    0,
    3_600_000,
    'sequencer.publishIntervalMs',
    bad,
  );
  const watch = parseWatchConfig(raw.watch, bad);
  if (watch !== undefined) cfg.watch = watch;
  readArchive(obj(raw.archive, 'archive', bad), cfg.archive, bad);
  if (raw.database !== undefined) cfg.database = readDatabase(obj(raw.database, 'database', bad), bad);
  if (problems.length > 0) throw new VetValidationError('INVALID_ARGUMENT', problems, { file: fileName });
  return cfg;
}

export function readNotaryConfig(path: string): NotaryConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new VetError('NOT_FOUND', `cannot read notary config ${path}`, {
      file: path,
      cause,
      hint: 'run `vet-notary init <data-dir>` first',
    });
  }
  return parseNotaryConfig(text, path);
}

/** Deterministic text for the config file (sorted keys come from the fixed object shape). */
export function formatNotaryConfig(cfg: NotaryConfig): string {
  return JSON.stringify(cfg, null, 2) + '\n';
}

function readDatabase(d: Json, bad: (m: string) => void): NotaryDatabaseConfig {
  const url = str(d.url, '', 'database.url', bad);
  if (!/^postgres(ql)?:\/\/\S+$/.test(url)) bad('database.url must be a postgres:// URL');
  const sessionTimeoutMs = int(
    d.sessionTimeoutMs,
    DEFAULT_SESSION_TIMEOUT_MS,
    1000,
    600_000,
    'database.sessionTimeoutMs',
    bad,
  );
  return { url, sessionTimeoutMs };
}

function readAnonymousLimits(lim: Json, out: NotaryLimits, bad: (m: string) => void): void {
  for (const k of ['anonymousRatePerSecond', 'lookupRatePerSecond'] as const) {
    const v = lim[k];
    if (v === undefined) continue;
    // A rate may be below one a second (0.01: one request per 100 s once the burst is spent).
    if (typeof v === 'number' && Number.isFinite(v) && v >= 0.001 && v <= 1e7) out[k] = v;
    else bad(`limits.${k} must be a number in [0.001, 10000000]`);
  }
  out.anonymousBurst = int(lim.anonymousBurst, out.anonymousBurst, 1, 1e7, 'limits.anonymousBurst', bad);
  out.lookupBurst = int(lim.lookupBurst, out.lookupBurst, 1, 1e7, 'limits.lookupBurst', bad);
  const h = lim.clientAddressHeader;
  if (h === undefined) return;
  if (typeof h === 'string' && /^[a-z0-9-]{0,64}$/.test(h)) out.clientAddressHeader = h;
  else bad('limits.clientAddressHeader must be a lowercase header name (or "")');
}

function readPolicy(p: Json, out: NotaryPolicy, bad: (m: string) => void): void {
  if (p.criteria !== undefined) {
    if (
      !Array.isArray(p.criteria) ||
      p.criteria.length === 0 ||
      !p.criteria.every((c) => typeof c === 'string' && CRITERION_RE.test(c))
    ) {
      bad('policy.criteria must be a non-empty list of criteria names ([A-Za-z0-9_-]+)');
    } else out.criteria = [...new Set(p.criteria as string[])].sort();
  }
  const desc = obj(p.criteriaDescriptions, 'policy.criteriaDescriptions', bad);
  for (const [k, v] of Object.entries(desc)) {
    if (typeof v !== 'string') bad(`policy.criteriaDescriptions.${k} must be a string`);
    else out.criteriaDescriptions[k] = v;
  }
  for (const c of out.criteria) {
    if (!BUILTIN_CRITERIA.includes(c) && out.criteriaDescriptions[c] === undefined) {
      bad(
        `policy.criteria: custom criterion "${c}" needs a description in policy.criteriaDescriptions (cargo-vet requires one)`,
      );
    }
  }
  out.quorum = int(p.quorum, out.quorum, 1, 1000, 'policy.quorum', bad);
  out.cooldownDays = int(p.cooldownDays, out.cooldownDays, 0, 3650, 'policy.cooldownDays', bad);
}

function readArchive(a: Json, out: NotaryArchiveConfig, bad: (m: string) => void): void {
  out.maxArtifactBytes = int(a.maxArtifactBytes, out.maxArtifactBytes, 1, 2 ** 40, 'archive.maxArtifactBytes', bad);
  out.quotaBytesPerAuditor = int(
    a.quotaBytesPerAuditor,
    out.quotaBytesPerAuditor,
    0,
    2 ** 50,
    'archive.quotaBytesPerAuditor',
    bad,
  );
  if (a.publicUrl !== undefined) {
    if (typeof a.publicUrl !== 'string' || !/^https?:\/\/[^\s]+$/.test(a.publicUrl))
      bad('archive.publicUrl must be an http(s) URL');
    else out.publicUrl = a.publicUrl.replace(/\/+$/, '');
  }
  const r = obj(a.registries, 'archive.registries', bad);
  for (const eco of ['npm', 'pypi', 'cargo'] as const) {
    if (r[eco] === undefined) continue;
    const url = typeof r[eco] === 'string' ? r[eco].replace(/^sparse\+/, '') : '';
    if (!/^https?:\/\/[^\s]+$/.test(url)) bad(`archive.registries.${eco} must be an http(s) URL`);
    else out.registries[eco] = url.replace(/\/+$/, '');
  }
}

function isObj(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function obj(v: unknown, name: string, bad: (m: string) => void): Json {
  if (v === undefined) return {};
  if (isObj(v)) return v;
  bad(`${name} must be an object`);
  return {};
}

function str(v: unknown, dflt: string, name: string, bad: (m: string) => void): string {
  if (v === undefined) return dflt;
  if (typeof v === 'string' && v.length > 0) return v;
  bad(`${name} must be a non-empty string`);
  return dflt;
}

function int(v: unknown, dflt: number, min: number, max: number, name: string, bad: (m: string) => void): number {
  if (v === undefined) return dflt;
  if (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max) return v;
  bad(`${name} must be an integer in [${min}, ${max}]`);
  return dflt;
}
