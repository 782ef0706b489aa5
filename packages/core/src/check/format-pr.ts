/**
 * The pull-request view as people read it: terminal text (outside strings through
 * escapeText) and Markdown for a PR comment (outside strings in code spans, as in
 * format-markdown), plus its JSON. The headline is the check's own: the verdict does not
 * change with the view.
 */
import { escapeText } from '../escape.js';
import type { DiffStat } from '../resolver/suggest-report.js';
import { mdCode } from './format-markdown.js';
import type { PackageChange, PrView } from './pr-view.js';

const stat = (d: DiffStat): string =>
  `${d.filesChanged} file(s), +${d.insertions} -${d.deletions}${d.binaryFiles ? `, ${d.binaryFiles} binary` : ''}`;

function summary(view: PrView): string {
  const count = (k: PackageChange['change']) => view.changes.filter((c) => c.change === k).length;
  return `${count('new-package')} new package(s), ${count('new-version')} new version(s), ${count('removed')} removed`;
}

function statusText(c: PackageChange): string {
  if (c.status === 'vetted' || c.status === 'exempted')
    return `${c.status}${c.coveredBy.length ? ` by ${c.coveredBy.join(', ')}` : ''}`;
  return c.status;
}

function humanItem(c: PackageChange): string {
  const name = escapeText(c.name);
  if (c.change === 'removed') return `  - ${name}:${escapeText(c.version)} removed\n`;
  const from = c.replaces.length ? `${escapeText(c.replaces.join(', '))} -> ` : '';
  let out = `  ${c.change === 'new-package' ? '+' : '~'} ${name}:${from}${escapeText(c.version)}  ${escapeText(statusText(c))}\n`;
  if (c.audit)
    out += `      audit: ${escapeText(c.audit.command)}${c.audit.diffstat ? ` (${stat(c.audit.diffstat)})` : ''}\n`;
  for (const r of c.risk) out += `      risk: ${escapeText(r)}\n`;
  return out;
}

function untouched(view: PrView): string {
  return view.unchangedFailures
    ? `\n${view.unchangedFailures} failing package(s) were not touched by this change; \`vet check\` lists them.\n`
    : '';
}

export function formatPrViewHuman(view: PrView, headline: string): string {
  let out = `${headline}\n\nChanges since ${escapeText(view.base)}: ${summary(view)}\n`;
  out += view.changes.map(humanItem).join('');
  return out + untouched(view);
}

function mdItem(c: PackageChange): string {
  const pkg = `${mdCode(c.name)} ${mdCode(c.version)}`;
  if (c.change === 'removed') return `- ➖ ${pkg} removed\n`;
  const from = c.replaces.length ? ` (was ${c.replaces.map(mdCode).join(', ')})` : '';
  const mark = c.status === 'vetted' || c.status === 'exempted' ? '✅' : '❌';
  const by = c.coveredBy.length ? ` by ${c.coveredBy.map(mdCode).join(', ')}` : '';
  let out = `- ${mark} ${pkg}${from} · ${c.change} · **${c.status}**${by}\n`;
  if (c.audit)
    out += `  - audit: ${mdCode(c.audit.command)}${c.audit.diffstat ? ` (${stat(c.audit.diffstat)})` : ''}\n`;
  for (const r of c.risk) out += `  - risk: ${mdCode(r)}\n`;
  return out;
}

export function formatPrViewMarkdown(view: PrView, headline: string, success: boolean): string {
  let out = `### ${success ? '✅' : '❌'} vet: ${headline}\n\nChanges since ${mdCode(view.base)}: ${summary(view)}\n\n`;
  out += view.changes.map(mdItem).join('');
  return out + untouched(view);
}

export function prViewJson(view: PrView): Record<string, unknown> {
  return {
    base: view.base,
    unchanged_failures: view.unchangedFailures,
    changes: view.changes.map((c) => ({
      change: c.change,
      name: c.name,
      version: c.version,
      replaces: c.replaces,
      status: c.status,
      covered_by: c.coveredBy,
      ...(c.audit ? { audit: c.audit.command, ...(c.audit.diffstat ? { diffstat: c.audit.diffstat } : {}) } : {}),
      risk: c.risk,
    })),
  };
}
