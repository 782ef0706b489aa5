/**
 * Reads a verified in-toto Statement v1 payload into an EntryClaim, using @vet/core's
 * statement parsers so the notary and `vet import` agree on one format
 * (predicateTypes https://vet.dev/audit/v1 and https://vet.dev/auditor/v1). On top of core's
 * checks the notary enforces what it promises consumers (spec/notary.md §10.8): every
 * version involved carries the registry's artifact digest — npm's sha512 integrity,
 * PyPI/crates sha256 — and `predicate.notary`, when present, names this log.
 */
import {
  VET_AUDIT_PREDICATE_TYPE,
  VET_AUDITOR_PREDICATE_TYPE,
  isVetError,
  parseAuditStatement,
  parseAuditorStatement,
  type AuditStatement,
  type VetValidationError,
} from '@vet/core';
import { NotaryError } from '../errors.js';
import type { EntryClaim } from './model.js';

const bad = (msg: string) => new NotaryError('MALFORMED', `statement: ${msg}`);
const fatalUtf8 = new TextDecoder('utf-8', { fatal: true });

export function interpretStatement(payload: Uint8Array, origin: string): EntryClaim {
  // Nearly every entry is a valid audit: parse it as one straight away (one UTF-8 decode and
  // one JSON.parse instead of two — statement parsing was ~7 % of the event loop). Anything
  // else takes the original path below, which picks the parser and words the errors.
  const audit = tryParseAudit(payload);
  if (audit !== undefined) return fromAudit(audit, origin);
  let predicateType: unknown;
  try {
    predicateType = (JSON.parse(fatalUtf8.decode(payload)) as { predicateType?: unknown }).predicateType;
  } catch {
    throw bad('payload is not UTF-8 JSON');
  }
  try {
    if (predicateType === VET_AUDITOR_PREDICATE_TYPE) {
      const a = parseAuditorStatement(payload);
      return {
        type: a.action === 'add' ? 'auditor-add' : 'auditor-remove',
        name: a.name,
        keyid: a.keyid,
        publicKey: a.publicKey,
      };
    }
    if (predicateType === VET_AUDIT_PREDICATE_TYPE) return fromAudit(parseAuditStatement(payload), origin);
  } catch (e) {
    if (isVetError(e)) {
      const problems = (e as VetValidationError).problems?.map((p) => p.message) ?? [e.message];
      throw bad(problems.join('; '));
    }
    throw e;
  }
  throw bad(
    `unsupported predicateType ${JSON.stringify(predicateType)} (expected ${VET_AUDIT_PREDICATE_TYPE} or ${VET_AUDITOR_PREDICATE_TYPE})`,
  );
}

function tryParseAudit(payload: Uint8Array): AuditStatement | undefined {
  try {
    return parseAuditStatement(payload);
  } catch (e) {
    if (isVetError(e)) return undefined;
    throw e;
  }
}

function fromAudit(s: AuditStatement, origin: string): EntryClaim {
  if (s.extra.notary !== undefined && s.extra.notary !== origin) {
    throw bad(`predicate.notary is ${JSON.stringify(s.extra.notary)} but this notary is "${origin}"`);
  }
  const notes = s.notes === undefined ? {} : { notes: s.notes };
  const criteria = [...s.criteria].sort();
  if (s.kind === 'revocation') {
    if (!/^[0-9a-f]{64}$/.test(s.revokes ?? ''))
      throw bad("revokes must be the revoked entry's leaf hash (64 lowercase hex digits)");
    return { type: 'revocation', revokes: s.revokes ?? '', ...(s.notes !== undefined && { reason: s.notes }) };
  }
  if (s.kind === 'violation') {
    return {
      type: 'violation',
      ecosystem: s.ecosystem,
      package: s.package,
      violation: s.violation ?? '',
      criteria,
      who: s.who,
      ...notes,
    };
  }
  const version = s.delta?.to ?? s.version;
  if (version === undefined) throw bad('an audit names a version or a delta');
  const involved = s.delta ? [s.delta.from, s.delta.to] : [version];
  const alg = s.ecosystem === 'npm' ? 'sha512-' : undefined;
  for (const v of involved) {
    const d = s.digests[v];
    if (d === undefined) throw bad(`no artifact digest for ${s.package}@${v} (every version involved must carry one)`);
    if (alg !== undefined && !d.startsWith(alg))
      throw bad(`npm artifacts need their sha512 integrity; ${v} has ${d.split('-')[0] ?? d}`);
  }
  let releasedAt: number | undefined;
  if (s.extra.releasedAt !== undefined) {
    releasedAt = typeof s.extra.releasedAt === 'string' ? Date.parse(s.extra.releasedAt) : NaN;
    if (!Number.isFinite(releasedAt)) throw bad('predicate.releasedAt must be an RFC 3339 time');
  }
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
