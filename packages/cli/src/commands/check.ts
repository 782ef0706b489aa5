/**
 * `vet check`: is every third-party package vetted for the criteria its policy asks?
 * Exit 0 when vetted, 1 when not: the one CheckReport core builds decides (conclusion
 * `success` ⇔ exit 0), and the human and JSON outputs are both rendered from it.
 *
 * Without --locked it first refreshes imports and publisher facts (network), and on failure
 * measures the cheapest audits (the suggestion block, with risk signals). With --locked it
 * touches no network: imports.lock is the truth. A passing unlocked check saves what it
 * fetched to imports.lock; a failing one saves only what narrows trust — revocations and
 * violations from imports (a departure from cargo-vet) — so `check --locked` fails too.
 */
import path from 'node:path';
import {
  buildCheckReport,
  checkReportJson,
  formatCheckReportHuman,
  isVetError,
  narrowImportsLock,
  overallConclusion,
  serializeImportsLock,
  resolve,
  toSafeJson,
  type CheckReport,
  type DeprecatedPackage,
  type ResolveReport,
  type SuggestReport,
} from '@vet/core';
import { loadProjects, type GlobalOptions, type LoadedProject } from '../context.js';
import { exitCodeForConclusion } from '../exit-codes.js';
import type { CommandIO } from '../io.js';
import { emit } from '../output.js';
import { mutateStore } from '../store-tx.js';
import { escapeText } from '@vet/core';
import { renderCiFormat, writeJobSummary } from './check-formats.js';
import { hasBase, type BaseSpec } from './check-options.js';
import { VERSION } from '../program.js';

export interface CheckResult {
  project: LoadedProject;
  report: CheckReport;
  /** Warnings for stderr (reader observations, import refresh, suggestion problems). */
  notes: string[];
}

/** The resolver's half: plain objects in, report out. */
export function checkProject(p: LoadedProject): ResolveReport {
  return resolve({ graph: p.graph, store: p.store, scheme: p.scheme, today: p.today });
}

/** The working half, shared by the CLI and its tests: the one CheckReport of a loaded project. */
export function checkReportFor(
  p: LoadedProject,
  extra: { flagged?: DeprecatedPackage[]; suggest?: SuggestReport | null } = {},
): CheckReport {
  return buildCheckReport({
    resolved: checkProject(p),
    ...extra,
    ...(p.platform !== undefined ? { platform: p.platform } : {}),
  });
}

/** What the lockfile reader noticed (requirements it could not lock are failures, in the report). */
function readerNotes(p: LoadedProject): string[] {
  const file = path.relative(process.cwd(), p.ref.lockfile) || p.ref.lockfile;
  return p.graph.warnings.map((w) => `${file}: ${w}`);
}

async function checkOne(g: GlobalOptions, io: CommandIO, loaded: LoadedProject): Promise<CheckResult> {
  const notes: string[] = readerNotes(loaded);
  // The network half loads only when used: --locked never pays for the HTTP client.
  const refreshed = g.locked
    ? undefined
    : await (await import('./check-refresh.js')).refreshProject(g, io, loaded, notes);
  const project = refreshed?.project ?? loaded;
  let report = checkReportFor(project, { flagged: refreshed?.flagged ?? [] });
  if (report.resolved.conclusion === 'fail (vetting)' && !g.locked) {
    const suggest = await suggestions(g, io, project, report.resolved, notes);
    if (suggest) report = checkReportFor(project, { flagged: refreshed?.flagged ?? [], suggest });
  }
  if (!g.locked && project.store !== loaded.store) await saveImports(loaded, project, report);
  return { project, report, notes };
}

/** Measured suggestions, or undefined (with a note) when nothing could be measured. */
async function suggestions(
  g: GlobalOptions,
  io: CommandIO,
  project: LoadedProject,
  resolved: ResolveReport,
  notes: string[],
): Promise<SuggestReport | undefined> {
  try {
    const { suggest } = await (await import('./suggest.js')).suggestFor(project, resolved, g, io);
    // Nothing measurable (registry unreachable, say): keep the plain next steps instead.
    if (suggest.suggestions.length > 0) return suggest;
    notes.push(...suggest.warnings.map((w) => `no suggestion: ${w}`));
  } catch (e) {
    // Suggestions are advice; a registry we cannot reach must not hide the verdict.
    if (!isVetError(e)) throw e;
    notes.push(`suggestions unavailable: ${e.message}`);
  }
  return undefined;
}

/**
 * A passing check saves the refreshed imports.lock; a failing one only what narrows trust
 * (revocations, withdrawn approvals, violations), and writes nothing when that is nothing.
 */
async function saveImports(loaded: LoadedProject, project: LoadedProject, report: CheckReport): Promise<void> {
  const fresh = project.store.importsLock;
  if (report.conclusion === 'success') {
    await mutateStore(project.ref.storeDir, (store) => {
      store.importsLock = fresh;
    });
    return;
  }
  const before = serializeImportsLock(loaded.store.importsLock);
  if (serializeImportsLock(narrowImportsLock(loaded.store.importsLock, fresh)) === before) return;
  await mutateStore(project.ref.storeDir, (store) => {
    store.importsLock = narrowImportsLock(store.importsLock, fresh);
  });
}

export async function runCheck(g: GlobalOptions, io: CommandIO, spec?: BaseSpec): Promise<number> {
  const projects = await loadProjects(g, io);
  const results: CheckResult[] = [];
  for (const p of projects) results.push(await checkOne(g, io, p));
  for (const r of results) for (const n of r.notes) io.err(`warning: ${escapeText(n)}\n`);
  const rendered = results.map((r) => ({
    report: r.report,
    lockfile: rel(g, r.project),
    ecosystem: r.project.ref.ecosystem,
  }));
  const { text, code } = renderCheck(g, rendered);
  // --base: the pull-request view of the same reports (the verdict and exit code do not change).
  const pr = hasBase(spec)
    ? await import('./check-pr.js').then((m) => m.withBase(g, spec, results, rendered))
    : undefined;
  await emit(g, io, pr?.text ?? text);
  if (g.ciFormat === 'github') await writeJobSummary(io, g.cwd, rendered, pr?.markdown);
  return code;
}

export interface RenderedProject {
  report: CheckReport;
  /** Lockfile path relative to the working directory, for multi-project reports. */
  lockfile: string;
  ecosystem: string;
}

/** Output and exit code of `vet check`, both from the reports (one project or several). */
export function renderCheck(
  g: Pick<GlobalOptions, 'outputFormat' | 'ciFormat'> & { cwd?: string },
  projects: RenderedProject[],
): { text: string; code: number } {
  const conclusion = overallConclusion(projects.map((p) => p.report.conclusion));
  return {
    text: g.ciFormat
      ? renderCiFormat(g.ciFormat, g.cwd ?? process.cwd(), projects, VERSION)
      : g.outputFormat === 'json'
        ? jsonText(projects, conclusion)
        : humanText(projects),
    code: exitCodeForConclusion(conclusion),
  };
}

function jsonText(projects: RenderedProject[], conclusion: string): string {
  if (projects.length === 1) return toSafeJson(checkReportJson(projects[0]!.report));
  return toSafeJson({
    conclusion,
    projects: projects.map((p) => ({
      lockfile: p.lockfile,
      ecosystem: p.ecosystem,
      ...checkReportJson(p.report),
    })),
  });
}

function humanText(projects: RenderedProject[]): string {
  if (projects.length === 1) return formatCheckReportHuman(projects[0]!.report);
  return projects
    .map((p) => `== ${escapeText(p.lockfile)} (${p.ecosystem})\n${formatCheckReportHuman(p.report)}\n`)
    .join('');
}

function rel(g: GlobalOptions, p: LoadedProject): string {
  return path.relative(g.cwd, p.ref.lockfile) || path.basename(p.ref.lockfile);
}
