/**
 * `vet suggest --base <git-ref>` / `--base-lockfile <path>`: suggestions only for what the
 * change introduced — failing package versions the base lockfile did not have. The base is
 * read by the same machinery as `vet check --base` (check-base.ts); the resolver's report is
 * narrowed, never re-resolved, so what is suggested is what `check` fails on.
 */
import { escapeText, type ResolveReport } from '@vet/core';
import type { GlobalOptions, LoadedProject } from '../context.js';
import { readBasePackages, type BaseSpec } from './check-base.js';

export interface NarrowedFailures {
  report: ResolveReport;
  /** Failures the base already had (not suggested). */
  skipped: number;
  label: string;
}

export async function failuresSinceBase(
  g: GlobalOptions,
  p: LoadedProject,
  report: ResolveReport,
  spec: BaseSpec,
): Promise<NarrowedFailures> {
  const base = await readBasePackages(p.ref, spec, g.cwd);
  const had = new Set(base.filter((b) => !b.firstParty).map((b) => `${b.name}\u0000${b.version}`));
  const failures = report.failures.filter((f) => !had.has(`${f.node.name}\u0000${f.node.version}`));
  return {
    report: { ...report, failures },
    skipped: report.failures.length - failures.length,
    label: spec.base ?? spec.baseLockfile!,
  };
}

/** The line above the suggestions: what they cover. */
export function sinceBaseText(n: NarrowedFailures): string {
  const skipped =
    n.skipped === 0 ? '' : ` (${n.skipped} unvetted package version(s) the base already had are not listed)`;
  return `Suggestions for what changed since ${escapeText(n.label)}${skipped}:\n\n`;
}
