/**
 * `--output-format sarif`: SARIF 2.1.0 (OASIS, sarif-v2.1.0-os) as GitHub code scanning
 * reads it. One rule per failure kind, one result per finding located at the lockfile line
 * of the package (§3.28 physicalLocation, §3.30 region), the exact fix command in the
 * result's message and the rule's help the general form of it. Strings go out through
 * toSafeJson, so a terminal showing the file runs no escape sequence.
 */
import { toSafeJson } from '../escape.js';
import { FINDING_KINDS, fixText, type Finding, type FindingKind } from './findings.js';
import type { ScopedProject } from './format-github.js';

interface RuleText {
  name: string;
  short: string;
  help: string;
}

const RULES: Readonly<Record<FindingKind, RuleText>> = {
  violation: {
    name: 'Violation',
    short: 'An audit or exemption conflicts with a recorded violation',
    help: 'Run `vet why <package> <version>` to see who depends on it; move off the violating version or remove the conflicting audit or exemption from supply-chain/.',
  },
  unvetted: {
    name: 'Unvetted',
    short: 'A third-party package version is not vetted for the criteria its policy requires',
    help: 'Audit it and record the audit: `vet diff <package> <vetted-version> <version>` then `vet certify <package> <vetted-version> <version> --criteria <criteria>`, or for a full audit `vet inspect <package> <version>` then `vet certify <package> <version> --criteria <criteria>`. The result message gives the exact command.',
  },
  'digest-mismatch': {
    name: 'DigestMismatch',
    short: "A notary approved other bytes than the lockfile's for this version",
    help: "Reinstall the package from its registry and compare digests; the approval is not used. To vet the lockfile's bytes yourself: `vet inspect <package> <version>`.",
  },
  'notary-quorum': {
    name: 'NotaryQuorum',
    short: 'Fewer notaries approved this version than [vet.require-notaries] asks',
    help: "Run `vet check` without --locked to refresh the notaries' approvals, or ask another notary of [vet.require-notaries] to approve it.",
  },
  deprecated: {
    name: 'Deprecated',
    short: 'The registry or the lockfile marks this version deprecated or yanked',
    help: 'Move to a version that is not deprecated; `vet why <package> <version>` shows who depends on it.',
  },
  unpinned: {
    name: 'Unpinned',
    short: 'A requirement is not locked (no == pin or no hash), so it cannot be vetted',
    help: 'Pin it with == and --hash (`pip-compile --generate-hashes`, `uv pip compile --generate-hashes`), or point --lockfile at the compiled file.',
  },
};

const ruleId = (k: FindingKind): string => `vet/${k}`;

function ruleJson(k: FindingKind, deny: (k: FindingKind) => 'error' | 'warning'): Record<string, unknown> {
  const t = RULES[k];
  return {
    id: ruleId(k),
    name: t.name,
    shortDescription: { text: t.short },
    fullDescription: { text: t.short },
    help: { text: t.help, markdown: t.help },
    defaultConfiguration: { level: deny(k) },
  };
}

/** Path segments percent-encoded as a relative URI reference (RFC 3986), `/` kept. */
export function relativeUri(file: string): string {
  return file
    .split(/[\\/]/)
    .map((seg) => encodeURIComponent(seg))
    .join('/');
}

function resultJson(f: Finding): Record<string, unknown> {
  const region = f.location.line === undefined ? {} : { region: { startLine: f.location.line } };
  return {
    ruleId: ruleId(f.kind),
    ruleIndex: FINDING_KINDS.indexOf(f.kind),
    level: f.level,
    message: { text: `${f.message}. To fix: ${fixText(f)}` },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: relativeUri(f.location.file), uriBaseId: '%SRCROOT%' },
          ...region,
        },
      },
    ],
    partialFingerprints: {
      'vetFinding/v1': `${f.kind}:${f.name}:${f.version}:${f.location.file}:${f.name === '' ? (f.location.line ?? '') : ''}`,
    },
  };
}

export interface SarifOptions {
  version: string;
  /** Deprecations fail (`[vet] deny-deprecated`): the rule's default level is error. */
  denyDeprecated?: boolean;
  /** Projects narrowed by `--platform`: listed in the run's property bag (§3.8), never dropped silently. */
  scoped?: readonly ScopedProject[];
}

function scopedJson(p: ScopedProject): Record<string, unknown> {
  return { lockfile: p.lockfile, platforms: p.scope.platforms, packages: p.scope.excluded };
}

/** The SARIF log of one run of vet. */
export function checkSarif(findings: readonly Finding[], opts: SarifOptions): Record<string, unknown> {
  const deny = (k: FindingKind): 'error' | 'warning' =>
    k === 'deprecated' && !opts.denyDeprecated ? 'warning' : 'error';
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'vet',
            version: opts.version,
            semanticVersion: opts.version,
            rules: FINDING_KINDS.map((k) => ruleJson(k, deny)),
          },
        },
        columnKind: 'utf16CodeUnits',
        results: findings.map(resultJson),
        ...(opts.scoped?.length ? { properties: { excludedByPlatform: opts.scoped.map(scopedJson) } } : {}),
      },
    ],
  };
}

export function formatCheckSarif(findings: readonly Finding[], opts: SarifOptions): string {
  return toSafeJson(checkSarif(findings, opts));
}
