/**
 * Field rules of notary log entries: lengths and characters of names, versions, ranges,
 * criteria and free text, per ecosystem. Part of the one admission (notary/admit.ts) that
 * the notary runs on submission and every client runs on replay, so what the notary logs is
 * what every consumer can store and print: no NUL or control characters, no unpaired
 * surrogates, names valid for their registry, versions and violation ranges that parse in
 * the ecosystem's own version scheme. docs/notary.md's limits table is this file.
 */
import type { Ecosystem } from '../graph.js';
import { RuleRefusal } from '../sig/refusal.js';
import { versionSchemeFor } from '../version/index.js';
import type { NotaryRule } from './rule-codes.js';

export const NOTARY_LIMITS = {
  entryBytes: 65_535,
  signatures: 8,
  keyidChars: 128,
  packageNameChars: 214,
  versionChars: 128,
  rangeChars: 512,
  criteria: 32,
  criterionChars: 64,
  whoChars: 256,
  auditorNameChars: 256,
  notesChars: 16_384,
} as const;

export function refuse(rule: NotaryRule, message: string): RuleRefusal<NotaryRule> {
  const code = rule.startsWith('SIGN') ? 'SIGNATURE_INVALID' : 'PARSE_ERROR';
  return new RuleRefusal(code, rule, message);
}

/** `text` for a message: JSON-quoted and cut, never raw (it comes from outside). */
export function shown(text: unknown): string {
  const s = JSON.stringify(text) ?? String(text);
  return s.length > 80 ? `${s.slice(0, 77)}…"` : s;
}

// Cc: C0/C1 controls incl. NUL; Cs: an unpaired surrogate (a `u` regex sees lone ones only).
const CONTROL_OR_LONE = /[\p{Cc}\p{Cs}]/u;
const CONTROL_OR_LONE_BUT_NL_TAB = /\p{Cs}|(?![\n\t])\p{Cc}/u;

/** A one-line text field (who, auditor name): 1..max characters, no controls. */
export function checkLine(field: string, value: string, max: number): void {
  if (value.length === 0 || value.length > max || CONTROL_OR_LONE.test(value))
    throw refuse('TEXT', `${field} must be 1–${max} characters without control characters: ${shown(value)}`);
}

/** Notes: up to the limit, newlines and tabs allowed, no other controls. */
export function checkNotes(value: string): void {
  const max = NOTARY_LIMITS.notesChars;
  if (value.length > max || CONTROL_OR_LONE_BUT_NL_TAB.test(value))
    throw refuse('TEXT', `notes must be at most ${max} characters, without control characters but newline and tab`);
}

const NPM_SCOPED = /^@([^/]+)\/([^/]+)$/;
const PEP503 = /^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9]))*$/;
const CRATE = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
/** validate-npm-package-name's blacklist, compared lowercased as npm does. */
const NPM_RESERVED = new Set(['node_modules', 'favicon.ico']);

/**
 * npm: the rules npm applies to existing package names (validate-npm-package-name's
 * validForOldPackages): URL-safe, no leading dot or underscore, `@scope/name` form.
 * PyPI: a PEP 508 name in its PEP 503 normal form (what lockfiles resolve to).
 * Cargo (its default registry, crates-io): ASCII letter first, then letters, digits, `-` and `_`, at most 64.
 */
export function checkPackageName(ecosystem: Ecosystem, name: string): void {
  const why = packageNameProblem(ecosystem, name);
  if (why !== undefined)
    throw refuse('PACKAGE_NAME', `package name ${shown(name)} is not valid for ${ecosystem}: ${why}`);
}

function packageNameProblem(ecosystem: Ecosystem, name: string): string | undefined {
  if (name.length === 0 || name.length > NOTARY_LIMITS.packageNameChars)
    return `1–${NOTARY_LIMITS.packageNameChars} characters`;
  // Before anything else: encodeURIComponent throws a URIError on a lone surrogate.
  if (CONTROL_OR_LONE.test(name)) return 'no control characters or unpaired surrogates';
  if (ecosystem === 'pypi') return PEP503.test(name) ? undefined : 'use the PEP 503 normalized name';
  if (ecosystem === 'cargo') return CRATE.test(name) ? undefined : 'a crate name is [A-Za-z][A-Za-z0-9_-]{0,63}';
  if (name.startsWith('.') || name.startsWith('_')) return 'no leading . or _';
  if (NPM_RESERVED.has(name.toLowerCase())) return 'a reserved name';
  const scoped = NPM_SCOPED.exec(name);
  const parts = scoped ? [scoped[1]!, scoped[2]!] : [name];
  const urlSafe = parts.every((p) => encodeURIComponent(p) === p && !p.startsWith('.') && !p.startsWith('_'));
  return urlSafe ? undefined : 'URL-safe characters only (@scope/name for scoped packages)';
}

export function checkVersion(ecosystem: Ecosystem, version: string): void {
  const why =
    version.length === 0 || version.length > NOTARY_LIMITS.versionChars || CONTROL_OR_LONE.test(version)
      ? `1–${NOTARY_LIMITS.versionChars} characters without control characters`
      : versionSchemeFor(ecosystem).validate(version);
  if (why !== undefined) throw refuse('VERSION', `version ${shown(version)} is not a ${ecosystem} version: ${why}`);
}

export function checkVersionRange(ecosystem: Ecosystem, range: string): void {
  const why =
    range.length === 0 || range.length > NOTARY_LIMITS.rangeChars || CONTROL_OR_LONE.test(range)
      ? `1–${NOTARY_LIMITS.rangeChars} characters`
      : versionSchemeFor(ecosystem).validateRequirement(range);
  if (why !== undefined)
    throw refuse('VERSION_RANGE', `violation ${shown(range)} is not a ${ecosystem} version range: ${why}`);
}

const CRITERION = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function checkCriteria(criteria: readonly string[], allowEmpty: boolean): void {
  const { criteria: most, criterionChars } = NOTARY_LIMITS;
  if ((!allowEmpty && criteria.length === 0) || criteria.length > most)
    throw refuse('CRITERIA', `criteria must list ${allowEmpty ? 0 : 1}–${most} names`);
  for (const c of criteria)
    if (c.length > criterionChars || !CRITERION.test(c))
      throw refuse('CRITERIA', `criterion ${shown(c)} is not a name ([A-Za-z0-9][A-Za-z0-9._-]*, ≤ ${criterionChars})`);
}

const KEYID = /^[\x21-\x7e]+$/;

/** An auditor's key id as registered: printable ASCII without spaces. */
export function checkKeyid(keyid: string): void {
  if (keyid.length > NOTARY_LIMITS.keyidChars || !KEYID.test(keyid))
    throw refuse(
      'AUDITOR_KEYID',
      `key id ${shown(keyid)} must be 1–${NOTARY_LIMITS.keyidChars} printable ASCII characters`,
    );
}
