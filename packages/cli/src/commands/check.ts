/**
 * `vet check`: is every third-party package vetted for the criteria its policy asks?
 * Exit 0 when vetted, 1 when not (failures, violations, or denied deprecations).
 *
 * Without --locked it first refreshes imports and publisher facts (network), and on failure
 * measures the cheapest audits (the suggestion block). With --locked it touches no network:
 * imports.lock is the truth. A failing check writes nothing; a passing unlocked check saves
 * what it fetched to imports.lock.
 */
import path from 'node:path';
import {
  checkNotaryQuorum,
  formatCheckHuman,
  type NotaryQuorumShortfall,
  resolve,
  suggestCandidates,
  toCargoVetJson,
  type ResolveReport,
  type SuggestReport,
} from '@vet/core';
import { loadProjects, type GlobalOptions, type LoadedProject } from '../context.js';
import { EXIT_FAILED, EXIT_OK } from '../exit-codes.js';
import type { CommandIO } from '../io.js';
import { emit, json } from '../output.js';
import { nonRegistryWarnings } from './report-notes.js';
import { mutateStore } from '../store-tx.js';
import { isVetError } from '@vet/core';

export interface CheckResult {
  project: LoadedProject;
  report: ResolveReport;
  deprecated: { name: string; version: string; message: string }[];
  suggest?: SuggestReport | undefined;
  notes: string[];
  /** Packages short of the k-of-n notary approvals `[vet.require-notaries]` asks. */
  quorum: NotaryQuorumShortfall[];
}

/** The working half: plain objects in, report out. */
export function checkProject(p: LoadedProject): ResolveReport {
  return resolve({ graph: p.graph, store: p.store, scheme: p.scheme, today: p.today });
}

/** Deprecation messages recorded in the lockfile, one per name@version. */
export function deprecatedPackages(p: LoadedProject): CheckResult['deprecated'] {
  const seen = new Set<string>();
  const out: CheckResult['deprecated'] = [];
  for (const n of p.graph.nodes) {
    const key = `${n.name}@${n.version}`;
    if (n.firstParty || n.deprecated === undefined || seen.has(key)) continue;
    seen.add(key);
    out.push({ name: n.name, version: n.version, message: n.deprecated });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.version < b.version ? -1 : 1));
}

function passed(r: CheckResult): boolean {
  const denyDeprecated = r.project.store.config.vet?.denyDeprecated === true;
  // An approval for other bytes than the lockfile's is a red flag even if something else vets them.
  if (r.report.digestMismatches.length > 0 || r.quorum.length > 0) return false;
  return r.report.conclusion === 'success' && !(denyDeprecated && r.deprecated.length > 0);
}

/** What the lockfile reader noticed, and pins it could not lock (requirements without hashes). */
function readerNotes(p: LoadedProject): string[] {
  const file = path.relative(process.cwd(), p.ref.lockfile) || p.ref.lockfile;
  const unlocked =
    (p.graph as { unlocked?: { file: string; line?: number; requirement: string; reason: string }[] }).unlocked ?? [];
  return [
    ...p.graph.warnings.map((w) => `${file}: ${w}`),
    ...unlocked.map(
      (u) =>
        `${u.file}${u.line === undefined ? '' : `:${u.line}`}: not locked, so not vetted: ${u.requirement} (${u.reason})`,
    ),
  ];
}

async function checkOne(g: GlobalOptions, io: CommandIO, loaded: LoadedProject): Promise<CheckResult> {
  const notes: string[] = readerNotes(loaded);
  // The network half loads only when used: --locked never pays for the HTTP client.
  const refreshed = g.locked
    ? undefined
    : await (await import('./check-refresh.js')).refreshProject(g, io, loaded, notes);
  const project = refreshed?.project ?? loaded;
  const report = checkProject(project);
  const deprecated = [...deprecatedPackages(project), ...(refreshed?.flagged ?? [])];
  const quorum = checkNotaryQuorum(report, project.store, project.graph);
  const result: CheckResult = { project, report, deprecated, notes, quorum };
  if (report.conclusion === 'fail (vetting)' && !g.locked) {
    try {
      const { suggest } = await (await import('./suggest.js')).suggestFor(project, report, g, io);
      // Nothing measurable (registry unreachable, say): keep the plain next steps instead.
      if (suggest.suggestions.length > 0) result.suggest = suggest;
      else notes.push(...suggest.warnings.map((w) => `no suggestion: ${w}`));
    } catch (e) {
      // Suggestions are advice; a registry we cannot reach must not hide the verdict.
      if (!isVetError(e)) throw e;
      notes.push(`suggestions unavailable: ${e.message}`);
    }
  }
  if (!g.locked && passed(result) && project.store !== loaded.store) {
    await mutateStore(project.ref.storeDir, (store) => {
      store.importsLock = project.store.importsLock;
    });
  }
  return result;
}

export async function runCheck(g: GlobalOptions, io: CommandIO): Promise<number> {
  const projects = await loadProjects(g, io);
  const results: CheckResult[] = [];
  for (const p of projects) results.push(await checkOne(g, io, p));
  for (const r of results) for (const n of r.notes) io.err(`warning: ${n}\n`);
  if (g.outputFormat === 'json') {
    const bodies = results.map(jsonBody);
    await emit(
      g,
      io,
      json(
        bodies.length === 1
          ? bodies[0]
          : {
              projects: results.map((r, i) => ({
                lockfile: rel(g, r.project),
                ecosystem: r.project.ref.ecosystem,
                ...bodies[i],
              })),
            },
      ),
    );
  } else {
    let text = '';
    for (const r of results) {
      if (results.length > 1) text += `== ${rel(g, r.project)} (${r.project.ref.ecosystem})\n`;
      text += humanReport(r);
      if (results.length > 1) text += '\n';
    }
    await emit(g, io, text);
  }
  return results.every(passed) ? EXIT_OK : EXIT_FAILED;
}

function jsonBody(r: CheckResult): Record<string, unknown> {
  const body = toCargoVetJson(r.report, r.suggest ?? null);
  if (r.report.conclusion === 'fail (vetting)' && r.suggest === undefined) body['suggest'] = null;
  if (r.deprecated.length) body['deprecated'] = r.deprecated;
  if (r.report.digestMismatches.length) body['digest_mismatches'] = r.report.digestMismatches;
  if (r.quorum.length) {
    body['notary_quorum_failures'] = r.quorum.map((q) => ({
      name: q.node.name,
      version: q.node.version,
      approved_by: q.approvedBy,
      threshold: q.threshold,
      criteria: q.criteria,
    }));
  }
  return body;
}

function humanReport(r: CheckResult): string {
  let text = formatCheckHuman(r.report, r.suggest);
  for (const m of r.report.digestMismatches) {
    text +=
      `\nerror (security): notary '${m.importName}' approved ${m.package}:${m.version} with digest ${m.approved},\n` +
      `  but the lockfile has ${m.lockfile.length ? m.lockfile.join(' ') : 'no digest'}; the approval is not used.\n`;
  }
  if (r.quorum.length) {
    text += `\nerror: ${r.quorum.length} package version(s) lack the notary approvals policy requires ([vet.require-notaries]):\n`;
    text += r.quorum
      .map(
        (q) =>
          `  ${q.node.name}:${q.node.version} approved by ${q.approvedBy.length} of ${q.threshold} needed${q.approvedBy.length ? ` (${q.approvedBy.join(', ')})` : ''} for ${JSON.stringify(q.criteria)}\n`,
      )
      .join('');
  }
  text += nonRegistryWarnings(r.project.graph);
  if (r.deprecated.length) {
    const deny = r.project.store.config.vet?.denyDeprecated === true;
    text += `\n${deny ? 'error' : 'warning'}: ${r.deprecated.length} deprecated or yanked package version(s)${deny ? ' (denied by [vet] deny-deprecated)' : ''}:\n`;
    text += r.deprecated.map((d) => `  ${d.name}:${d.version}: ${d.message}\n`).join('');
  }
  if (r.report.conclusion === 'fail (vetting)' && r.suggest === undefined) text += nextSteps(r);
  return text;
}

function rel(g: GlobalOptions, p: LoadedProject): string {
  return path.relative(g.cwd, p.ref.lockfile) || path.basename(p.ref.lockfile);
}

/** One command per failing package: a delta from the nearest vetted version, else a full audit. */
export function nextSteps(r: { report: ResolveReport }): string {
  const lines: string[] = ['', 'To vet them, audit each and record it:'];
  for (const f of r.report.failures) {
    const criteria = f.missingCriteria.join(',');
    const candidates = suggestCandidates(r.report, f.node);
    const delta = candidates.find((c) => c.from !== undefined);
    if (delta?.from !== undefined) {
      lines.push(
        `  vet diff ${f.node.name} ${delta.from} ${f.node.version}   then   vet certify ${f.node.name} ${delta.from} ${f.node.version} --criteria ${criteria}`,
      );
    } else {
      lines.push(
        `  vet inspect ${f.node.name} ${f.node.version}   then   vet certify ${f.node.name} ${f.node.version} --criteria ${criteria}`,
      );
    }
  }
  lines.push(
    '',
    'Or accept them unaudited for now with `vet add-exemption <pkg> <version>`; `vet suggest` ranks the audits by size.',
    '',
  );
  return lines.join('\n');
}
