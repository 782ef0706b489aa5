/**
 * What a log entry claims, read from the in-toto Statement v1 inside a verified DSSE
 * envelope (notary.md §6, §9) with the statement parsers of sig/statement.ts, then held to
 * the field rules of entry-rules.ts and to what the notary promises consumers (§10.8): every
 * version an audit involves carries the registry's artifact digest (npm's sha512 integrity,
 * PyPI/crates sha256), and `predicate.notary`, when present, names this log. Derived only
 * from verified bytes, never re-serialised.
 */
import { isVetError, type VetValidationError } from '../errors.js';
import type { Ecosystem } from '../graph.js';
import { isUtf8Bytes } from '../sig/bytes.js';
import { ed25519PublicKeyProblem } from '../sig/ed25519.js';
import {
  VET_AUDITOR_PREDICATE_TYPE,
  VET_AUDIT_PREDICATE_TYPE,
  parseAuditStatement,
  parseAuditorStatement,
  type AuditStatement,
} from '../sig/statement.js';
import {
  checkCriteria,
  checkKeyid,
  checkLine,
  checkNotes,
  checkPackageName,
  checkVersion,
  checkVersionRange,
  refuse,
  shown,
  NOTARY_LIMITS,
} from './entry-rules.js';

export interface AuditClaim {
  type: 'audit';
  ecosystem: Ecosystem;
  package: string;
  /** 'full': `version` audited; 'delta': the diff `from` → `version` audited. */
  auditKind: 'full' | 'delta';
  version: string;
  from?: string;
  /** version → artifact digest as SRI (`sha512-<base64>`), for every version involved (null prototype). */
  digests: Record<string, string>;
  criteria: string[];
  /** The registered name of the auditor who signed (set at `auditor add`), not the statement's. */
  who: string;
  notes?: string;
  /** Release time the auditor claims (ms since epoch), used by the cooldown policy. */
  releasedAt?: number;
}

export interface ViolationClaim {
  type: 'violation';
  ecosystem: Ecosystem;
  package: string;
  /** A version range in the ecosystem's scheme, e.g. ">=2.0, <2.3". */
  violation: string;
  criteria: string[];
  who: string;
  notes?: string;
}

export interface RevocationClaim {
  type: 'revocation';
  /** Lowercase hex leaf hash of the revoked entry: its id (as Rekor's entry UUID). */
  revokes: string;
  reason?: string;
}

export interface AuditorClaim {
  type: 'auditor-add' | 'auditor-remove';
  name: string;
  keyid: string;
  /** 32-byte Ed25519 public key. */
  publicKey: Uint8Array;
}

export type EntryClaim = AuditClaim | ViolationClaim | RevocationClaim | AuditorClaim;

const AUDITOR_MARKER = Buffer.from(VET_AUDITOR_PREDICATE_TYPE);

/** The claim of a verified payload; throws RuleRefusal (STATEMENT_INVALID or a field rule). */
export function readClaim(payload: Uint8Array, origin: string): EntryClaim {
  if (!isUtf8Bytes(payload)) throw refuse('STATEMENT_INVALID', 'the statement is not UTF-8');
  // Only a payload that mentions the auditor predicate can be one (saves a parse per audit).
  const auditor = Buffer.from(payload.buffer, payload.byteOffset, payload.length).includes(AUDITOR_MARKER);
  if (auditor && predicateTypeOf(payload) === VET_AUDITOR_PREDICATE_TYPE) return auditorClaim(payload);
  return auditClaim(
    statement(() => parseAuditStatement(payload)),
    origin,
  );
}

function predicateTypeOf(payload: Uint8Array): unknown {
  try {
    return (JSON.parse(Buffer.from(payload).toString('utf8')) as { predicateType?: unknown } | null)?.predicateType;
  } catch {
    return undefined;
  }
}

function statement<T>(parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (!isVetError(e)) throw e;
    const problems = (e as VetValidationError).problems?.map((p) => p.message) ?? [e.message];
    throw refuse(
      'STATEMENT_INVALID',
      `not a ${VET_AUDIT_PREDICATE_TYPE} or ${VET_AUDITOR_PREDICATE_TYPE} statement: ${problems.join('; ')}`,
    );
  }
}

function auditorClaim(payload: Uint8Array): AuditorClaim {
  const a = statement(() => parseAuditorStatement(payload));
  checkKeyid(a.keyid);
  checkLine('the auditor name', a.name, NOTARY_LIMITS.auditorNameChars);
  const keyProblem = a.action === 'add' ? ed25519PublicKeyProblem(a.publicKey) : undefined;
  if (keyProblem !== undefined) throw refuse('AUDITOR_KEY', `the auditor's public key is unusable: ${keyProblem}`);
  return {
    type: a.action === 'add' ? 'auditor-add' : 'auditor-remove',
    name: a.name,
    keyid: a.keyid,
    publicKey: a.publicKey,
  };
}

function auditClaim(s: AuditStatement, origin: string): EntryClaim {
  checkPackageName(s.ecosystem, s.package);
  // Every version a statement names (any kind, any subject) is a version of its ecosystem.
  for (const v of Object.keys(s.digests)) checkVersion(s.ecosystem, v);
  if (s.version !== undefined) checkVersion(s.ecosystem, s.version);
  if (s.extra.notary !== undefined && s.extra.notary !== origin)
    throw refuse('NOTARY_BINDING', `predicate.notary is ${shown(s.extra.notary)} but this log is ${shown(origin)}`);
  checkLine('who', s.who, NOTARY_LIMITS.whoChars);
  if (s.notes !== undefined) checkNotes(s.notes);
  checkCriteria(s.criteria, s.kind === 'revocation');
  const notes = s.notes === undefined ? {} : { notes: s.notes };
  const criteria = [...s.criteria].sort();
  if (s.kind === 'revocation') return revocationClaim(s);
  if (s.kind === 'violation') {
    checkVersionRange(s.ecosystem, s.violation ?? '');
    const v = s.violation ?? '';
    return {
      type: 'violation',
      ecosystem: s.ecosystem,
      package: s.package,
      violation: v,
      criteria,
      who: s.who,
      ...notes,
    };
  }
  const version = s.delta?.to ?? s.version ?? '';
  const involved = s.delta ? [s.delta.from, s.delta.to] : [version];
  for (const v of involved) checkVersion(s.ecosystem, v);
  checkDigests(s, involved);
  const releasedAt = releaseTime(s.extra.releasedAt);
  return {
    type: 'audit',
    ecosystem: s.ecosystem,
    package: s.package,
    auditKind: s.delta ? 'delta' : 'full',
    version,
    ...(s.delta && { from: s.delta.from }),
    digests: s.digests,
    criteria,
    who: s.who,
    ...notes,
    ...(releasedAt !== undefined && { releasedAt }),
  };
}

function revocationClaim(s: AuditStatement): RevocationClaim {
  if (!/^[0-9a-f]{64}$/.test(s.revokes ?? ''))
    throw refuse('REVOCATION_TARGET', "revokes must be the revoked entry's leaf hash (64 lowercase hex digits)");
  return { type: 'revocation', revokes: s.revokes!, ...(s.notes !== undefined && { reason: s.notes }) };
}

function checkDigests(s: AuditStatement, involved: string[]): void {
  for (const v of involved) {
    const d = Object.hasOwn(s.digests, v) ? s.digests[v] : undefined;
    if (d === undefined) throw refuse('DIGEST', `no artifact digest for ${shown(`${s.package}@${v}`)}`);
    if (s.ecosystem === 'npm' && !d.startsWith('sha512-'))
      throw refuse('DIGEST', `npm artifacts need their sha512 integrity; ${shown(v)} has ${d.split('-')[0] ?? d}`);
  }
}

function releaseTime(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const ms =
    typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})$/.test(value) ? Date.parse(value) : NaN;
  if (!Number.isFinite(ms)) throw refuse('TIME', 'predicate.releasedAt must be an RFC 3339 time');
  return ms;
}
