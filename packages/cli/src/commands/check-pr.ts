/**
 * `vet check --base <ref>` / `--base-lockfile <path>`: the pull-request view of each project
 * (what the change introduced, see core's pr-view), in human text, JSON or Markdown. The
 * exit code and headline stay the full check's; GitHub and SARIF keep annotating every
 * failure (a failure the change did not touch still fails the job, so it must be shown),
 * and the GitHub job summary becomes this view.
 */
import {
  buildPrView,
  checkHeadline,
  escapeText,
  formatPrViewHuman,
  formatPrViewMarkdown,
  overallConclusion,
  prViewJson,
  toSafeJson,
  checkReportJson,
  platformNoteMarkdown,
  platformText,
  type CheckReport,
  type PrView,
} from '@vet/core';
import path from 'node:path';
import type { GlobalOptions, LoadedProject } from '../context.js';
import type { ProjectRef } from '../project.js';
import { readBasePackages, type BaseSpec } from './check-base.js';

export interface PrProject {
  ref: ProjectRef;
  report: CheckReport;
  lockfile: string;
}

export async function prViews(spec: BaseSpec, cwd: string, projects: readonly PrProject[]): Promise<PrView[]> {
  const label = spec.base ?? spec.baseLockfile!;
  const out: PrView[] = [];
  for (const p of projects) {
    // A package the head leaves out by platform is out of scope at the base too (any version of
    // it: `@esbuild/darwin-arm64` stays a darwin package), so it is neither "removed" nor "new".
    const scopedOut = new Set((p.report.platform?.excluded ?? []).map((x) => x.name));
    const base = (await readBasePackages(p.ref, spec, cwd)).filter((b) => !scopedOut.has(b.name));
    out.push(buildPrView(p.report, base, label));
  }
  return out;
}

export function prMarkdown(projects: readonly PrProject[], views: readonly PrView[]): string {
  return projects
    .map((p, i) => {
      const head = projects.length > 1 ? `${escapeText(p.lockfile)}: ` : '';
      const view = formatPrViewMarkdown(views[i]!, head + checkHeadline(p.report), p.report.conclusion === 'success');
      const scope = p.report.platform;
      return scope
        ? `${view}\n${platformNoteMarkdown({ lockfile: p.lockfile.split(path.sep).join('/'), scope })}`
        : view;
    })
    .join('\n');
}

/** The view in the chosen format; undefined for github and sarif (they keep the full report). */
export function renderPrView(
  g: Pick<GlobalOptions, 'outputFormat' | 'ciFormat'>,
  projects: readonly PrProject[],
  views: readonly PrView[],
): string | undefined {
  if (g.ciFormat === 'github' || g.ciFormat === 'sarif') return undefined;
  if (g.ciFormat === 'markdown') return prMarkdown(projects, views);
  if (g.outputFormat === 'json') {
    const docs = projects.map((p, i) => ({ ...checkReportJson(p.report), pull_request: prViewJson(views[i]!) }));
    if (docs.length === 1) return toSafeJson(docs[0]);
    const conclusion = overallConclusion(projects.map((p) => p.report.conclusion));
    return toSafeJson({ conclusion, projects: docs.map((d, i) => ({ lockfile: projects[i]!.lockfile, ...d })) });
  }
  return projects
    .map((p, i) => {
      const text = formatPrViewHuman(views[i]!, checkHeadline(p.report)) + platformText(p.report);
      return projects.length > 1 ? `== ${escapeText(p.lockfile)}\n${text}\n` : text;
    })
    .join('');
}

/** The view's text for stdout (undefined: keep the report) and its Markdown for a job summary. */
export async function withBase(
  g: GlobalOptions,
  spec: BaseSpec,
  results: readonly { project: LoadedProject; report: CheckReport }[],
  rendered: readonly { lockfile: string }[],
): Promise<{ text: string | undefined; markdown: string }> {
  const projects = results.map((r, i) => ({ ref: r.project.ref, report: r.report, lockfile: rendered[i]!.lockfile }));
  const views = await prViews(spec, g.cwd, projects);
  return { text: renderPrView(g, projects, views), markdown: prMarkdown(projects, views) };
}
