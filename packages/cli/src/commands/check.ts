/**
 * `vet check`: is every third-party package vetted for the criteria its policy asks?
 * Exit 0 when vetted, 1 when not (failures or violations).
 */
import path from 'node:path';
import {
  formatCheckHuman,
  resolve,
  suggestCandidates,
  toCargoVetJson,
  type ResolveReport,
} from '@vet/core';
import { loadProjects, type GlobalOptions, type LoadedProject } from '../context.js';
import { EXIT_FAILED, EXIT_OK } from '../exit-codes.js';
import type { CommandIO } from '../io.js';
import { emit, json } from '../output.js';
import { nonRegistryWarnings } from './report-notes.js';

export interface CheckResult {
  project: LoadedProject;
  report: ResolveReport;
}

/** The working half: plain objects in, report out. */
export function checkProject(p: LoadedProject): ResolveReport {
  return resolve({ graph: p.graph, store: p.store, scheme: p.scheme, today: p.today });
}

export async function runCheck(g: GlobalOptions, io: CommandIO): Promise<number> {
  const projects = await loadProjects(g, io);
  const results = projects.map((project) => ({ project, report: checkProject(project) }));
  const ok = results.every((r) => r.report.conclusion === 'success');
  if (g.outputFormat === 'json') {
    const bodies = results.map((r) => toCargoVetJson(r.report, g.locked ? null : undefined));
    await emit(g, io, json(bodies.length === 1 ? bodies[0] : { projects: results.map((r, i) => ({ lockfile: rel(g, r.project), ecosystem: r.project.ref.ecosystem, ...(bodies[i] as object) })) }));
  } else {
    let text = '';
    for (const r of results) {
      if (results.length > 1) text += `== ${rel(g, r.project)} (${r.project.ref.ecosystem})\n`;
      text += formatCheckHuman(r.report);
      text += nonRegistryWarnings(r.project.graph);
      if (r.report.conclusion === 'fail (vetting)') text += nextSteps(r);
      if (results.length > 1) text += '\n';
    }
    await emit(g, io, text);
  }
  return ok ? EXIT_OK : EXIT_FAILED;
}

function rel(g: GlobalOptions, p: LoadedProject): string {
  return path.relative(g.cwd, p.ref.lockfile) || path.basename(p.ref.lockfile);
}

/** One command per failing package: a delta from the nearest vetted version, else a full audit. */
export function nextSteps(r: CheckResult): string {
  const lines: string[] = ['', 'To vet them, audit each and record it:'];
  for (const f of r.report.failures) {
    const criteria = f.missingCriteria.join(',');
    const candidates = suggestCandidates(r.report, f.node);
    const delta = candidates.find((c) => c.from !== undefined);
    if (delta?.from !== undefined) {
      lines.push(`  vet diff ${f.node.name} ${delta.from} ${f.node.version}   then   vet certify ${f.node.name} ${delta.from} ${f.node.version} --criteria ${criteria}`);
    } else {
      lines.push(`  vet inspect ${f.node.name} ${f.node.version}   then   vet certify ${f.node.name} ${f.node.version} --criteria ${criteria}`);
    }
  }
  lines.push(
    '',
    'Or accept them unaudited for now with `vet add-exemption <pkg> <version>`; `vet suggest` ranks the audits by size.',
    '',
  );
  return lines.join('\n');
}
