/**
 * The check report flattened into findings for CI formats (GitHub annotations, SARIF,
 * Markdown): one entry per failing package and kind, with its severity, a message, the exact
 * command that fixes it, and where the package sits in the lockfile. A pure function of the
 * CheckReport, so every format shows the same failures the exit code counts. Strings here
 * are raw (from outside): each format escapes them its own way.
 */
import { canonicalVersion } from '../resolver/scheme-ext.js';
import { suggestCandidates } from '../resolver/suggest.js';
import type { VetFailure } from '../resolver/types.js';
import type { CheckReport } from './types.js';

export type FindingKind = 'unvetted' | 'violation' | 'digest-mismatch' | 'notary-quorum' | 'deprecated' | 'unpinned';

export const FINDING_KINDS: readonly FindingKind[] = [
  'violation',
  'unvetted',
  'digest-mismatch',
  'notary-quorum',
  'deprecated',
  'unpinned',
];

export interface FindingLocation {
  /** Lockfile path as the user should see it (relative to the working directory). */
  file: string;
  /** 1-based line of the package's entry; undefined when it could not be found. */
  line?: number;
}

export interface Finding {
  kind: FindingKind;
  level: 'error' | 'warning';
  /** Package name and version as the lockfile writes them (raw); empty for an unpinned requirement. */
  name: string;
  version: string;
  /** A short title (raw). */
  title: string;
  /** What is wrong (raw, one line). */
  message: string;
  /** The exact command that fixes it (shell-quoted words); '' when no single command does. */
  fix: string;
  /** What else to know or do (our words around outside strings; raw). */
  hint?: string;
  location: FindingLocation;
}

/** Where a package's entry is: `line` for a name and version, undefined when unknown. */
export type LineLocator = (name: string, version: string) => number | undefined;

export interface FindingsOptions {
  /** The lockfile path to show. */
  lockfile: string;
  locate?: LineLocator;
  tool?: string;
}

/** Every failure (and deprecation warning) of a report, in kind order then report order. */
/** The fix as one line of text: the command, then the hint. */
export function fixText(f: Finding): string {
  return [f.fix, f.hint].filter((s) => s !== undefined && s !== '').join(' — ');
}

export function checkFindings(r: CheckReport, opts: FindingsOptions): Finding[] {
  const tool = opts.tool ?? 'vet';
  const at = (name: string, version: string): FindingLocation => {
    const line = opts.locate?.(name, version);
    return line === undefined ? { file: opts.lockfile } : { file: opts.lockfile, line };
  };
  return [
    ...violationFindings(r, tool, at),
    ...unvettedFindings(r, tool, at),
    ...digestFindings(r, tool, at),
    ...quorumFindings(r, tool, at),
    ...deprecatedFindings(r, tool, at),
    ...unpinnedFindings(r),
  ];
}

type At = (name: string, version: string) => FindingLocation;

/** A word the shell reads back unchanged: bare when plain, single-quoted otherwise. */
export function shellWord(s: string): string {
  return /^[A-Za-z0-9@%+=:,./_-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

const cmd = (...words: string[]): string => words.map(shellWord).join(' ');

function unvettedFindings(r: CheckReport, tool: string, at: At): Finding[] {
  const res = r.resolved;
  // Listed under a violation too (the human report shows the violation alone): CI sees every failure.
  return res.failures.map((f) => {
    const version = canonicalVersion(res.scheme, f.node.version);
    const revoked = r.revoked
      .filter((n) => n.node.id === f.node.id)
      .map(
        (n) => ` (the approval of ${n.approved} in notary '${n.importName}' was revoked by log entry ${n.revokedBy})`,
      )
      .join('');
    return {
      kind: 'unvetted',
      level: 'error',
      name: f.node.name,
      version: f.node.version,
      title: `${f.node.name} ${version} is not vetted`,
      message: `${f.node.name}:${version} is missing ${f.missingCriteria.join(', ')}${revoked}`,
      fix: unvettedFix(r, f, tool),
      location: at(f.node.name, f.node.version),
    };
  });
}

/** A delta audit from the nearest vetted version when there is one, else a full audit. */
function unvettedFix(r: CheckReport, f: VetFailure, tool: string): string {
  const res = r.resolved;
  const version = canonicalVersion(res.scheme, f.node.version);
  const criteria = f.missingCriteria.join(',');
  const from = suggestCandidates(res, f.node).find((c) => c.from !== undefined)?.from;
  return from !== undefined
    ? `${cmd(tool, 'diff', f.node.name, from, version)} && ${cmd(tool, 'certify', f.node.name, from, version, '--criteria', criteria)}`
    : `${cmd(tool, 'inspect', f.node.name, version)} && ${cmd(tool, 'certify', f.node.name, version, '--criteria', criteria)}`;
}

function violationFindings(r: CheckReport, tool: string, at: At): Finding[] {
  const res = r.resolved;
  return Object.keys(res.violations)
    .sort()
    .map((key) => {
      const name = key.slice(0, key.indexOf(':'));
      const version = key.slice(key.indexOf(':') + 1);
      const conflicts = res.violations[key]!;
      const what = conflicts.map((c) =>
        c.kind === 'exemption'
          ? 'an exemption'
          : c.auditSource === null
            ? 'an audit'
            : `an audit from '${c.auditSource}'`,
      );
      const by = conflicts.map((c) => (c.violationSource === null ? 'this project' : `'${c.violationSource}'`));
      return {
        kind: 'violation',
        level: 'error',
        name,
        version,
        title: `${name} ${version} violates a recorded violation`,
        message: `${name}:${version}: ${[...new Set(what)].join(', ')} conflicts with a violation recorded by ${[...new Set(by)].join(', ')}`,
        fix: cmd(tool, 'why', name, version),
        hint: 'move off this version, or remove the conflicting audit or exemption from supply-chain/',
        location: at(name, version),
      } satisfies Finding;
    });
}

function digestFindings(r: CheckReport, tool: string, at: At): Finding[] {
  const nodes = new Map(r.resolved.graph.nodes.map((n) => [n.id, n]));
  return r.digestMismatches.map((m) => {
    const version = nodes.get(m.nodeIds[0] ?? '')?.version ?? m.version;
    return {
      kind: 'digest-mismatch',
      level: 'error',
      name: m.package,
      version,
      title: `${m.package} ${m.version}: the lockfile's bytes are not the ones notary '${m.importName}' approved`,
      message: `notary '${m.importName}' approved ${m.package}:${m.version} with digest ${m.approved}, but the lockfile has ${m.lockfile.length ? m.lockfile.join(' ') : 'no digest'}`,
      fix: cmd(tool, 'inspect', m.package, m.version),
      hint: 'the approval is not used: reinstall the package from its registry and compare digests, or audit these bytes',
      location: at(m.package, version),
    };
  });
}

function quorumFindings(r: CheckReport, tool: string, at: At): Finding[] {
  return r.quorum.map((q) => ({
    kind: 'notary-quorum',
    level: 'error',
    name: q.node.name,
    version: q.node.version,
    title: `${q.node.name} ${q.node.version} lacks notary approvals`,
    message: `${q.node.name}:${q.node.version} is approved by ${q.approvedBy.length} of ${q.threshold} notaries needed${q.approvedBy.length ? ` (${q.approvedBy.join(', ')})` : ''} for ${q.criteria.join(', ')}`,
    fix: cmd(tool, 'check'),
    hint: "without --locked, to refresh the notaries' approvals; else ask another notary of [vet.require-notaries] to approve it",
    location: at(q.node.name, q.node.version),
  }));
}

function deprecatedFindings(r: CheckReport, tool: string, at: At): Finding[] {
  return r.deprecated.map((d) => ({
    kind: 'deprecated',
    level: r.denyDeprecated ? 'error' : 'warning',
    name: d.name,
    version: d.version,
    title: `${d.name} ${d.version} is deprecated or yanked`,
    message: `${d.name}:${d.version}: ${d.message}`,
    fix: cmd(tool, 'why', d.name, d.version),
    hint: 'shows who depends on it: move to a version that is not deprecated',
    location: at(d.name, d.version),
  }));
}

function unpinnedFindings(r: CheckReport): Finding[] {
  return r.unpinned.map((u) => ({
    kind: 'unpinned',
    level: 'error',
    name: '',
    version: '',
    title: 'requirement is not locked',
    message: `${u.requirement} (${u.reason})`,
    fix: '',
    hint: 'pin it with == and --hash (pip-compile --generate-hashes, uv pip compile --generate-hashes)',
    location: u.line === undefined ? { file: u.file } : { file: u.file, line: u.line },
  }));
}
