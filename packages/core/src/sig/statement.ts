/**
 * in-toto Statement v1 payloads for vet notary entries (notary.md §6, §9): audits (full
 * and delta), violations, revocations, and admin-signed auditor add/remove statements.
 *
 * Package identity lives only in the subject (purl + artifact digests, so an approval
 * cannot be replayed onto different bytes with the same version string); the predicate
 * carries the audit. Payloads are serialised with sorted keys and no whitespace so they are
 * deterministic, but parsers never rely on that: DSSE verifies the exact bytes received.
 */
import { Buffer } from 'node:buffer';
import { VetError, VetValidationError, type Problem } from '../errors.js';
import type { Ecosystem } from '../graph.js';
import { decodeBase64Strict, encodeBase64, fromHex, isBytes, isUtf8Bytes, sha256, toHex, utf8Encode } from './bytes.js';
import { parseVetPurl, vetPurl } from './purl.js';

export const IN_TOTO_STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
export const VET_AUDIT_PREDICATE_TYPE = 'https://vet.dev/audit/v1';
export const VET_AUDITOR_PREDICATE_TYPE = 'https://vet.dev/auditor/v1';

export type AuditStatementKind = 'audit' | 'violation' | 'revocation';

export interface AuditStatementInput {
  kind: AuditStatementKind;
  ecosystem: Ecosystem;
  package: string;
  /** Full audit: the audited version. Revocation: optional. */
  version?: string;
  /** Delta audit: from → to (instead of version). */
  delta?: { from: string; to: string };
  /** Violation: the version range it covers (cargo-vet `violation`). */
  violation?: string;
  criteria: string[];
  who: string;
  notes?: string;
  /** version → artifact digest: SRI (`sha512-<base64>`) or `<alg>:<hex>`; sha256/384/512. */
  digests: Record<string, string>;
  /** Revocation: the id of the entry it revokes. */
  revokes?: string;
  /** RFC 3339 time of the audit (the caller's clock). */
  auditedAt?: string;
  /** More predicate fields; cannot override the ones above. */
  extra?: Record<string, unknown>;
}

export interface AuditStatement extends Omit<AuditStatementInput, 'extra'> {
  predicateType: string;
  /** Digests normalised to SRI (strongest algorithm present per version). */
  digests: Record<string, string>;
  /** Predicate fields this version does not interpret, kept verbatim. */
  extra: Record<string, unknown>;
}

export interface AuditorStatementInput {
  action: 'add' | 'remove';
  /** The auditor's key id (their C2SP vkey string, notary.md §9). */
  keyid: string;
  /** 32-byte Ed25519 public key. */
  publicKey: Uint8Array;
  /** Human name, e.g. "Alice Auditor <alice@example.com>". */
  name: string;
}

export interface AuditorStatement extends AuditorStatementInput {
  predicateType: string;
}

interface ResourceDescriptor {
  name: string;
  digest: Record<string, string>;
}

const KNOWN_PREDICATE_FIELDS = ['kind', 'criteria', 'who', 'notes', 'delta', 'violation', 'revokes', 'auditedAt'];
const DIGEST_BYTES: Record<string, number> = { sha256: 32, sha384: 48, sha512: 64 };
const DIGEST_PREFERENCE = ['sha512', 'sha384', 'sha256'];
const PREDICATE_KIND: Record<string, AuditStatementKind> = {
  full: 'audit',
  delta: 'audit',
  violation: 'violation',
  revocation: 'revocation',
};

/** Serialised Statement payload for an audit, violation or revocation (throws INVALID_ARGUMENT). */
export function makeAuditStatement(input: AuditStatementInput, options: { predicateType?: string } = {}): Uint8Array {
  const problems = checkAuditFields(input, '<statement input>');
  const subject = auditSubjects(input, problems);
  if (problems.length > 0) throw new VetValidationError('INVALID_ARGUMENT', problems);
  const predicate: Record<string, unknown> = { ...(input.extra ?? {}) };
  predicate.kind = input.kind === 'audit' ? (input.delta ? 'delta' : 'full') : input.kind;
  predicate.criteria = input.criteria;
  predicate.who = input.who;
  for (const key of ['notes', 'violation', 'revokes', 'auditedAt', 'delta'] as const) {
    if (input[key] !== undefined) predicate[key] = input[key];
  }
  return statementBytes(subject, options.predicateType ?? VET_AUDIT_PREDICATE_TYPE, predicate);
}

/**
 * Parses and validates an audit Statement payload (the verified DSSE payload bytes). Reports
 * every problem at once as VetValidationError PARSE_ERROR.
 */
export function parseAuditStatement(
  payload: Uint8Array | string,
  fileName = '<statement>',
  options: { predicateTypes?: readonly string[] } = {},
): AuditStatement {
  const { subject, predicateType, predicate } = parseStatementShape(
    payload,
    fileName,
    options.predicateTypes ?? [VET_AUDIT_PREDICATE_TYPE],
  );
  const problems: Problem[] = [];
  const p = (message: string): void => void problems.push({ file: fileName, message });
  const kind =
    typeof predicate.kind === 'string' && Object.hasOwn(PREDICATE_KIND, predicate.kind)
      ? PREDICATE_KIND[predicate.kind]
      : undefined;
  if (kind === undefined) p('predicate.kind must be full, delta, violation or revocation');
  const subjects = subject.map((s) => ({ digest: s.digest, purl: parseVetPurl(s.name) }));
  subjects.forEach((s, i) => s.purl === undefined && p(`subject[${i}].name is not a pkg:npm|pypi|cargo purl`));
  const first = subjects[0]?.purl;
  if (subjects.some((s) => s.purl && first && (s.purl.ecosystem !== first.ecosystem || s.purl.name !== first.name))) {
    p('all subjects must name the same package');
  }
  // Null prototype: a version is a string from outside (`__proto__` must be just a key).
  const digests: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const s of subjects) {
    const sri = strongestSri(s.digest);
    if (s.purl?.version !== undefined && sri !== undefined) digests[s.purl.version] = sri;
  }
  const versions = subjects.map((s) => s.purl?.version);
  const statement: AuditStatement = {
    predicateType,
    kind: kind ?? 'audit',
    ecosystem: first?.ecosystem ?? 'npm',
    package: first?.name ?? '',
    criteria: predicate.criteria as string[],
    who: predicate.who as string,
    digests,
    extra: extraFields(predicate),
  };
  for (const key of ['notes', 'violation', 'revokes', 'auditedAt', 'delta'] as const) {
    if (predicate[key] !== undefined) (statement as unknown as Record<string, unknown>)[key] = predicate[key];
  }
  if (predicate.kind === 'full' || (kind === 'revocation' && versions.length === 1)) {
    if (versions[0] !== undefined) statement.version = versions[0];
  }
  if (predicate.kind === 'full' && versions.length !== 1) p('a full audit has exactly one subject');
  if (predicate.kind === 'delta' && isDelta(statement.delta)) {
    const want = [statement.delta.from, statement.delta.to].sort();
    if (JSON.stringify([...versions].sort()) !== JSON.stringify(want))
      p('a delta audit has subjects for exactly its from and to versions');
  }
  if (predicate.kind === 'delta' && statement.version !== undefined) p('a delta audit has no single version');
  if (kind === 'audit') {
    // Digest binding is the point of an audit entry (notary.md §10.8): no digest, no audit.
    for (const v of versions)
      if (v !== undefined && !Object.hasOwn(digests, v)) p(`subject ${v} has no sha256/384/512 digest`);
  }
  problems.push(...checkAuditFields(statement, fileName));
  if (problems.length > 0) throw new VetValidationError('PARSE_ERROR', problems);
  return statement;
}

/** Serialised Statement payload adding or removing an auditor key (sign with the admin key). */
export function makeAuditorStatement(
  input: AuditorStatementInput,
  options: { predicateType?: string } = {},
): Uint8Array {
  const problems = checkAuditorFields(input, '<statement input>');
  if (problems.length > 0) throw new VetValidationError('INVALID_ARGUMENT', problems);
  const subject = [{ name: `vet-auditor:${input.keyid}`, digest: { sha256: toHex(sha256(input.publicKey)) } }];
  const predicate = {
    action: input.action,
    keyid: input.keyid,
    name: input.name,
    publicKey: encodeBase64(input.publicKey),
  };
  return statementBytes(subject, options.predicateType ?? VET_AUDITOR_PREDICATE_TYPE, predicate);
}

export function parseAuditorStatement(
  payload: Uint8Array | string,
  fileName = '<statement>',
  options: { predicateTypes?: readonly string[] } = {},
): AuditorStatement {
  const { subject, predicateType, predicate } = parseStatementShape(
    payload,
    fileName,
    options.predicateTypes ?? [VET_AUDITOR_PREDICATE_TYPE],
  );
  const publicKey = typeof predicate.publicKey === 'string' ? decodeBase64Strict(predicate.publicKey) : undefined;
  const statement = {
    predicateType,
    action: predicate.action,
    keyid: predicate.keyid,
    name: predicate.name,
    publicKey,
  } as AuditorStatement;
  const problems = checkAuditorFields(statement, fileName);
  const s = subject[0];
  if (subject.length !== 1 || s === undefined || s.name !== `vet-auditor:${String(statement.keyid)}`) {
    problems.push({ file: fileName, message: 'subject must be the single vet-auditor:<keyid>' });
  } else if (isBytes(publicKey, 32) && s.digest.sha256 !== toHex(sha256(publicKey))) {
    problems.push({ file: fileName, message: 'subject digest is not the SHA-256 of publicKey' });
  }
  if (problems.length > 0) throw new VetValidationError('PARSE_ERROR', problems);
  return statement;
}

function checkAuditorFields(s: AuditorStatementInput, file: string): Problem[] {
  const problems: Problem[] = [];
  if (s.action !== 'add' && s.action !== 'remove') problems.push({ file, message: 'action must be add or remove' });
  if (!isNonEmptyString(s.keyid)) problems.push({ file, message: 'keyid must be a non-empty string' });
  if (!isNonEmptyString(s.name)) problems.push({ file, message: 'name must be a non-empty string' });
  if (!isBytes(s.publicKey, 32)) problems.push({ file, message: 'publicKey must be a 32-byte Ed25519 key' });
  return problems;
}

/** Field rules shared by make (caller input) and parse (after mapping the statement back). */
function checkAuditFields(s: AuditStatementInput, file: string): Problem[] {
  const problems: Problem[] = [];
  const p = (message: string): void => void problems.push({ file, message });
  if (!['audit', 'violation', 'revocation'].includes(s.kind)) p('kind must be audit, violation or revocation');
  if (!['npm', 'pypi', 'cargo'].includes(s.ecosystem)) p('ecosystem must be npm, pypi or cargo');
  if (!isNonEmptyString(s.package)) p('package must be a non-empty string');
  if (!isNonEmptyString(s.who)) p('who must be a non-empty string');
  if (s.notes !== undefined && typeof s.notes !== 'string') p('notes must be a string');
  if (s.auditedAt !== undefined && !isRfc3339(s.auditedAt)) p('auditedAt must be an RFC 3339 time');
  const criteriaOk =
    Array.isArray(s.criteria) && s.criteria.every(isNonEmptyString) && new Set(s.criteria).size === s.criteria.length;
  if (!criteriaOk) p('criteria must be a list of distinct non-empty strings');
  else if (s.kind !== 'revocation' && s.criteria.length === 0) p('criteria must not be empty');
  if (s.version !== undefined && !isNonEmptyString(s.version)) p('version must be a non-empty string');
  if (s.delta !== undefined && !isDelta(s.delta)) p('delta must be {from, to} with two different versions');
  if (typeof s.digests !== 'object' || s.digests === null) p('digests must be an object');
  if (s.kind === 'audit') {
    if ((s.version === undefined) === (s.delta === undefined)) p('an audit has either version or delta');
    if (s.violation !== undefined || s.revokes !== undefined) p('an audit has no violation or revokes');
  }
  if (s.kind === 'violation') {
    if (!isNonEmptyString(s.violation)) p('a violation needs a version range in violation');
    if (s.version !== undefined || s.delta !== undefined || s.revokes !== undefined)
      p('a violation has no version, delta or revokes');
  }
  if (s.kind === 'revocation') {
    if (!isNonEmptyString(s.revokes)) p('a revocation needs the revoked entry id in revokes');
    if (s.delta !== undefined || s.violation !== undefined) p('a revocation has no delta or violation');
  }
  return problems;
}

function auditSubjects(input: AuditStatementInput, problems: Problem[]): ResourceDescriptor[] {
  const digests = typeof input.digests === 'object' && input.digests !== null ? input.digests : {};
  const versions = input.delta
    ? [input.delta.from, input.delta.to]
    : input.version !== undefined
      ? [input.version]
      : [];
  for (const v of Object.keys(digests)) {
    if (!versions.includes(v))
      problems.push({ file: '<statement input>', message: `digest for ${v}, which the statement does not cover` });
  }
  if (versions.length === 0) return [{ name: vetPurl(input.ecosystem, input.package), digest: {} }];
  return versions.map((v) => {
    const d = digests[v];
    const parsed = d === undefined ? undefined : parseDigest(d);
    if (d === undefined && input.kind === 'audit')
      problems.push({ file: '<statement input>', message: `no digest for audited version ${v}` });
    if (d !== undefined && parsed === undefined)
      problems.push({ file: '<statement input>', message: `digest for ${v} is not sha256/384/512 SRI or <alg>:<hex>` });
    return { name: vetPurl(input.ecosystem, input.package, v), digest: parsed ? { [parsed.alg]: parsed.hex } : {} };
  });
}

function parseStatementShape(
  payload: Uint8Array | string,
  file: string,
  predicateTypes: readonly string[],
): { subject: ResourceDescriptor[]; predicateType: string; predicate: Record<string, unknown> } {
  // Validated with simdutf, then decoded without a second validation (TextDecoder's fatal mode).
  const text =
    typeof payload === 'string'
      ? payload
      : isUtf8Bytes(payload)
        ? Buffer.from(payload.buffer, payload.byteOffset, payload.length).toString('utf8')
        : undefined;
  if (text === undefined) throw new VetError('PARSE_ERROR', 'statement is not valid UTF-8', { file });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new VetError('PARSE_ERROR', `statement is not JSON: ${(cause as Error).message}`, { file, cause });
  }
  const problems: Problem[] = [];
  const p = (message: string): void => void problems.push({ file, message });
  if (!isObject(json)) throw new VetError('PARSE_ERROR', 'statement is not a JSON object', { file });
  if (json._type !== IN_TOTO_STATEMENT_TYPE) p(`_type must be ${IN_TOTO_STATEMENT_TYPE}`);
  if (typeof json.predicateType !== 'string' || !predicateTypes.includes(json.predicateType)) {
    p(`predicateType must be one of ${predicateTypes.join(', ')}`);
  }
  if (!isObject(json.predicate)) p('predicate must be an object');
  const subject = Array.isArray(json.subject) ? json.subject : [];
  if (subject.length === 0) p('subject must be a non-empty list');
  subject.forEach((s: unknown, i) => {
    if (!isObject(s) || typeof s.name !== 'string') return p(`subject[${i}] needs a name`);
    if (!isObject(s.digest) || !Object.entries(s.digest).every(([alg, hex]) => isDigestHex(alg, hex))) {
      p(`subject[${i}].digest must map algorithms to lowercase hex`);
    }
  });
  if (problems.length > 0) throw new VetValidationError('PARSE_ERROR', problems);
  return {
    subject: subject as ResourceDescriptor[],
    predicateType: json.predicateType as string,
    predicate: json.predicate as Record<string, unknown>,
  };
}

function statementBytes(
  subject: ResourceDescriptor[],
  predicateType: string,
  predicate: Record<string, unknown>,
): Uint8Array {
  return utf8Encode(canonicalJson({ _type: IN_TOTO_STATEMENT_TYPE, subject, predicateType, predicate }));
}

/** JSON with object keys sorted (UTF-16 order) and no whitespace: deterministic bytes. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isObject(value)) {
    const keys = Object.keys(value)
      .filter((k) => value[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function parseDigest(text: string): { alg: string; hex: string } | undefined {
  const sri = /^(sha256|sha384|sha512)-([A-Za-z0-9+/=]+)$/.exec(text);
  const hexForm = /^(sha256|sha384|sha512):([0-9a-f]+)$/.exec(text);
  const alg = (sri ?? hexForm)?.[1];
  if (alg === undefined) return undefined;
  const bytes = sri ? decodeBase64Strict(sri[2]!) : fromHex(hexForm![2]!);
  return bytes !== undefined && bytes.length === DIGEST_BYTES[alg] ? { alg, hex: toHex(bytes) } : undefined;
}

/** `digest` passed isDigestHex (parseStatementShape): lowercase hex of the algorithm's length. */
function strongestSri(digest: Record<string, string>): string | undefined {
  const alg = DIGEST_PREFERENCE.find((a) => Object.hasOwn(digest, a));
  return alg === undefined ? undefined : `${alg}-${Buffer.from(digest[alg]!, 'hex').toString('base64')}`;
}

const KNOWN_FIELD_SET = new Set(KNOWN_PREDICATE_FIELDS);

/** The predicate fields this version does not interpret (own data properties, `__proto__` too). */
function extraFields(predicate: Record<string, unknown>): Record<string, unknown> {
  const keys = Object.keys(predicate);
  if (keys.every((k) => KNOWN_FIELD_SET.has(k))) return {};
  return Object.fromEntries(Object.entries(predicate).filter(([k]) => !KNOWN_FIELD_SET.has(k)));
}

function isDigestHex(alg: string, hex: unknown): boolean {
  if (typeof hex !== 'string' || !/^(?:[0-9a-f]{2})+$/.test(hex)) return false;
  const want = Object.hasOwn(DIGEST_BYTES, alg) ? DIGEST_BYTES[alg] : undefined;
  return want === undefined || hex.length === want * 2; // other algorithms: any length, ignored
}

function isDelta(d: unknown): d is { from: string; to: string } {
  return isObject(d) && isNonEmptyString(d.from) && isNonEmptyString(d.to) && d.from !== d.to;
}

function isRfc3339(s: unknown): boolean {
  return (
    typeof s === 'string' &&
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(s) &&
    !Number.isNaN(Date.parse(s))
  );
}

function isNonEmptyString(s: unknown): s is string {
  return typeof s === 'string' && s.length > 0;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
