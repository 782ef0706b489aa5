/**
 * `vet check --output-format github|sarif|markdown`: the CI renderings of the same reports
 * the human and JSON outputs come from (the exit code is computed beside them, from the
 * conclusion only, so no format can change it). Lockfile lines are found only for the
 * packages that have a finding: the lockfile is read again only when there is one.
 */
import { appendFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  checkFindings,
  checkHeadline,
  escapeText,
  formatCheckGithub,
  formatCheckMarkdown,
  formatCheckSarif,
  lockfileLineLocator,
  type Finding,
  type LineLocator,
  type ScopedProject,
} from '@vet/core';
import type { CommandIO } from '../io.js';
import type { CiFormat } from './check-options.js';
import type { RenderedProject } from './check.js';

/** Reads the lockfile on the first question only; no locator when it cannot be read. */
function lazyLocator(cwd: string, p: RenderedProject): LineLocator {
  let locate: LineLocator | undefined | null = null;
  return (name, version) => {
    if (locate === null) {
      try {
        const text = readFileSync(path.resolve(cwd, p.lockfile), 'utf8');
        locate = lockfileLineLocator(text, p.report.resolved.graph.format);
      } catch {
        locate = undefined; // an annotation without a line still names the file
      }
    }
    return locate?.(name, version);
  };
}

/** The findings of every project, each located in its own lockfile. */
export function projectFindings(cwd: string, projects: readonly RenderedProject[]): Finding[] {
  return projects.flatMap((p) =>
    checkFindings(p.report, { lockfile: p.lockfile.split(path.sep).join('/'), locate: lazyLocator(cwd, p) }),
  );
}

function headlines(projects: readonly RenderedProject[]): string {
  if (projects.length === 1) return checkHeadline(projects[0]!.report);
  return projects.map((p) => `${escapeText(p.lockfile)}: ${checkHeadline(p.report)}`).join('; ');
}

/** Projects checked for named platforms only (`--platform`, `[vet] platforms`). */
export function scopedProjects(projects: readonly RenderedProject[]): ScopedProject[] {
  return projects.flatMap((p) =>
    p.report.platform ? [{ lockfile: p.lockfile.split(path.sep).join('/'), scope: p.report.platform }] : [],
  );
}

export function markdownReport(cwd: string, projects: readonly RenderedProject[]): string {
  const success = projects.every((p) => p.report.conclusion === 'success');
  return formatCheckMarkdown(projectFindings(cwd, projects), headlines(projects), success, scopedProjects(projects));
}

export function renderCiFormat(
  format: CiFormat,
  cwd: string,
  projects: readonly RenderedProject[],
  toolVersion: string,
): string {
  const findings = projectFindings(cwd, projects);
  switch (format) {
    case 'github':
      return formatCheckGithub(findings, headlines(projects), scopedProjects(projects));
    case 'sarif':
      return formatCheckSarif(findings, {
        version: toolVersion,
        denyDeprecated: projects.some((p) => p.report.denyDeprecated),
        scoped: scopedProjects(projects),
      });
    case 'markdown':
      return formatCheckMarkdown(
        findings,
        headlines(projects),
        projects.every((p) => p.report.conclusion === 'success'),
        scopedProjects(projects),
      );
  }
}

/** GitHub's job summary: the Markdown report appended to $GITHUB_STEP_SUMMARY when it is set. */
export async function writeJobSummary(
  io: CommandIO,
  cwd: string,
  projects: readonly RenderedProject[],
  markdown?: string,
): Promise<void> {
  const file = io.env['GITHUB_STEP_SUMMARY'];
  if (file === undefined || file === '') return;
  await appendFile(file, (markdown ?? markdownReport(cwd, projects)) + '\n');
}
