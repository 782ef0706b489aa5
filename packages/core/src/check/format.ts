/**
 * The check report as people and programs read it (spec/cargo-vet-format.md §10, plus vet's
 * own failure kinds): both renderings are pure functions of the CheckReport. For what
 * cargo-vet has — success, vetting failures, violations — the bytes are cargo-vet's; vet's
 * kinds add their own sections and JSON keys, and a failure of theirs never prints
 * "Vetting Succeeded". Every string from outside is printed escaped.
 */
import { escapeText } from '../escape.js';
import type { DependencyGraph } from '../graph.js';
import { debugList, formatCheckHuman, pkgText, toCargoVetJson } from '../resolver/report-format.js';
import { canonicalVersion } from '../resolver/scheme-ext.js';
import { suggestCandidates } from '../resolver/suggest.js';
import type { VetFailure } from '../resolver/types.js';
import type { CheckConclusion, CheckReport } from './types.js';

/** The first line of the human report; one per conclusion. */
export function checkHeadline(r: CheckReport): string {
  return formatCheckReportHuman(r).split('\n', 1)[0]!;
}

/** `fail (notary quorum)` → `Vetting Failed! (notary quorum)`; cargo-vet's own headlines otherwise. */
function vetHeadline(c: Exclude<CheckConclusion, 'success' | 'fail (vetting)' | 'fail (violation)'>): string {
  return `Vetting Failed! (${c.slice('fail ('.length, -1)})\n`;
}

export function formatCheckReportHuman(r: CheckReport, tool = 'vet'): string {
  const res = r.resolved;
  const annotate = (f: VetFailure) => revokedText(r, f);
  let out =
    r.conclusion === 'success' || res.conclusion !== 'success'
      ? formatCheckHuman(res, r.suggest, tool, annotate)
      : vetHeadline(r.conclusion as Parameters<typeof vetHeadline>[0]);
  out += digestText(r) + quorumText(r) + unpinnedText(r) + nonRegistryText(res.graph) + deprecatedText(r);
  out += platformText(r);
  if (res.conclusion === 'fail (vetting)' && r.suggest === null) out += nextSteps(r, tool);
  return out;
}

function revokedText(r: CheckReport, f: VetFailure): string {
  const notes = r.revoked.filter((n) => n.node.id === f.node.id);
  return notes
    .map(
      (n) =>
        ` (the approval of ${escapeText(n.approved)} by ${escapeText(n.who.join(', ') || 'an auditor')} in notary '${escapeText(n.importName)}' was revoked by log entry ${n.revokedBy})`,
    )
    .join('');
}

function digestText(r: CheckReport): string {
  return r.digestMismatches
    .map(
      (m) =>
        `\nerror (security): notary '${escapeText(m.importName)}' approved ${pkgText(m.package, m.version)} with digest ${escapeText(m.approved)},\n` +
        `  but the lockfile has ${m.lockfile.length ? escapeText(m.lockfile.join(' ')) : 'no digest'}; the approval is not used.\n`,
    )
    .join('');
}

function quorumText(r: CheckReport): string {
  if (r.quorum.length === 0) return '';
  let out = `\nerror: ${r.quorum.length} package version(s) lack the notary approvals policy requires ([vet.require-notaries]):\n`;
  for (const q of r.quorum) {
    const by = q.approvedBy.length ? ` (${escapeText(q.approvedBy.join(', '))})` : '';
    out += `  ${pkgText(q.node.name, q.node.version)} approved by ${q.approvedBy.length} of ${q.threshold} needed${by} for ${debugList(q.criteria)}\n`;
  }
  return out;
}

function unpinnedText(r: CheckReport): string {
  if (r.unpinned.length === 0) return '';
  let out = `\nerror: ${r.unpinned.length} requirement(s) are not locked, so they cannot be vetted:\n`;
  for (const u of r.unpinned) {
    const where = `${u.file}${u.line === undefined ? '' : `:${u.line}`}`;
    out += `  ${escapeText(where)}: ${escapeText(u.requirement)} (${escapeText(u.reason)})\n`;
  }
  return `${out}  Pin each with == and --hash (pip-compile --generate-hashes, uv pip compile --generate-hashes), or point --lockfile at the compiled file.\n`;
}

function deprecatedText(r: CheckReport): string {
  if (r.deprecated.length === 0) return '';
  const deny = r.denyDeprecated;
  let out = `\n${deny ? 'error' : 'warning'}: ${r.deprecated.length} deprecated or yanked package version(s)${deny ? ' (denied by [vet] deny-deprecated)' : ''}:\n`;
  for (const d of r.deprecated) out += `  ${pkgText(d.name, d.version)}: ${escapeText(d.message)}\n`;
  return out;
}

/** `--platform`: what the check covered, and each package it left out (never silently). */
export function platformText(r: CheckReport): string {
  const p = r.platform;
  if (p === undefined) return '';
  const on = escapeText(p.platforms.join(', '));
  if (p.excluded.length === 0) return `\nnote: vetted for platform(s) ${on}; no package is excluded by platform\n`;
  let out = `\nnote: vetted for platform(s) ${on}; ${p.excluded.length} package(s) excluded by platform (not vetted):\n`;
  for (const x of p.excluded) out += `  ${pkgText(x.name, x.version)}\n`;
  return out;
}

/** Packages that do not come from the registry are named, never silently vetted. */
export function nonRegistryText(graph: DependencyGraph): string {
  const odd = graph.nodes.filter((n) => !n.firstParty && n.source.kind !== 'registry');
  if (odd.length === 0) return '';
  const lines = [
    `\nnote: ${odd.length} third-party package(s) do not come from the registry; they are vetted by name and version like the rest, but their bytes are not the registry's:`,
  ];
  for (const n of odd.slice(0, 50))
    lines.push(
      `  ${pkgText(n.name, n.version)} (${n.source.kind}${n.source.url ? ` ${escapeText(n.source.url)}` : ''})`,
    );
  if (odd.length > 50) lines.push(`  … and ${odd.length - 50} more`);
  return lines.join('\n') + '\n';
}

/** One command per failing package: a delta from the nearest vetted version, else a full audit. */
function nextSteps(r: CheckReport, tool: string): string {
  const res = r.resolved;
  const lines: string[] = ['', 'To vet them, audit each and record it:'];
  for (const f of res.failures) {
    const criteria = escapeText(f.missingCriteria.join(','));
    const name = escapeText(f.node.name);
    const version = escapeText(canonicalVersion(res.scheme, f.node.version));
    const from = suggestCandidates(res, f.node).find((c) => c.from !== undefined)?.from;
    lines.push(
      from !== undefined
        ? `  ${tool} diff ${name} ${escapeText(from)} ${version}   then   ${tool} certify ${name} ${escapeText(from)} ${version} --criteria ${criteria}`
        : `  ${tool} inspect ${name} ${version}   then   ${tool} certify ${name} ${version} --criteria ${criteria}`,
    );
  }
  lines.push(
    '',
    `Or accept them unaudited for now with \`${tool} add-exemption <pkg> <version>\`; \`${tool} suggest\` ranks the audits by size.`,
    '',
  );
  return lines.join('\n');
}

/**
 * §10.2 document: cargo-vet's keys for the resolver's part (byte-identical where cargo-vet
 * has the case), `conclusion` the report's, and one key per vet failure kind when present.
 */
export function checkReportJson(r: CheckReport): Record<string, unknown> {
  const body = toCargoVetJson(r.resolved, r.suggest);
  body['conclusion'] = r.conclusion;
  if (r.deprecated.length) body['deprecated'] = r.deprecated;
  if (r.digestMismatches.length) body['digest_mismatches'] = r.digestMismatches;
  if (r.quorum.length) body['notary_quorum_failures'] = r.quorum.map(quorumJson);
  if (r.unpinned.length) body['unpinned_requirements'] = r.unpinned;
  if (r.revoked.length) body['revoked_approvals'] = r.revoked.map(revokedJson);
  if (r.platform) body['excluded_by_platform'] = { platforms: r.platform.platforms, packages: r.platform.excluded };
  return body;
}

function quorumJson(q: CheckReport['quorum'][number]): Record<string, unknown> {
  return {
    name: q.node.name,
    version: q.node.version,
    approved_by: q.approvedBy,
    threshold: q.threshold,
    criteria: q.criteria,
  };
}

function revokedJson(n: CheckReport['revoked'][number]): Record<string, unknown> {
  return {
    name: n.node.name,
    version: n.node.version,
    import: n.importName,
    approved: n.approved,
    who: n.who,
    criteria: n.criteria,
    revoked_by_entry: n.revokedBy,
  };
}
