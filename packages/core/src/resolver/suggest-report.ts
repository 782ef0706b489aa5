/**
 * Turning measured suggestions into cargo-vet's suggest report (spec/cargo-vet-format.md
 * §8, §10): sort by (binary changes last, diff lines, name, target version), merge identical (name, diff)
 * items, group under a criteria label such as `safe-to-run (or safe-to-deploy)`.
 */
import { escapeText } from '../escape.js';
import { formatShortList } from './short-list.js';
import type { NodeRef, ResolveReport } from './types.js';

export interface DiffStat {
  insertions: number;
  deletions: number;
  filesChanged: number;
  /** Binary files changed and their bytes; absent when there are none. */
  binaryFiles?: number;
  binaryBytes?: number;
}

/** One measured suggestion, as the CLI hands it in. */
export interface MeasuredSuggestion {
  node: NodeRef;
  /** Minimal criteria names (a failure's `missingCriteria`). */
  criteria: string[];
  from?: string;
  to: string;
  diffstat: DiffStat;
  notableParents: string[];
  publisherLogin?: string;
  /** What an auditor should look at first (install scripts, native code, …), one line each. */
  risk?: string[];
  /** Exempted today: `suggest` lists it because the audit would remove an exemption. */
  exempted?: boolean;
}

export interface SuggestReport {
  suggestions: MeasuredSuggestion[];
  /** Grouped by criteria label, labels in byte-wise order. */
  byCriteria: Array<[label: string, items: MeasuredSuggestion[]]>;
  totalLines: number;
  warnings: string[];
}

export const diffLines = (d: DiffStat): number => d.insertions + d.deletions;

/** A diff with a binary change (a replaced executable, say) is a risk to review, never the cheapest audit. */
const hasBinary = (d: DiffStat): number => Number((d.binaryFiles ?? 0) > 0);

const byteOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const sameDiff = (a: MeasuredSuggestion, b: MeasuredSuggestion): boolean =>
  a.from === b.from &&
  a.to === b.to &&
  a.diffstat.insertions === b.diffstat.insertions &&
  a.diffstat.deletions === b.diffstat.deletions &&
  a.diffstat.filesChanged === b.diffstat.filesChanged &&
  a.diffstat.binaryBytes === b.diffstat.binaryBytes;

/** `name (or x, or y)` for each minimal criterion, joined with ", ". */
export function criteriaLabel(report: ResolveReport, names: string[]): string {
  const c = report.criteria;
  return c
    .minimalIndices(c.closureOf(names))
    .map((i) => {
      const alts = c.impliedBy(i).map((j) => `or ${c.nameOf(j)}`);
      return alts.length === 0 ? c.nameOf(i) : `${c.nameOf(i)} (${alts.join(', ')})`;
    })
    .join(', ');
}

export function buildSuggestReport(
  report: ResolveReport,
  items: MeasuredSuggestion[],
  warnings: string[] = [],
): SuggestReport {
  const sorted = items
    .map((s) => ({ ...s, notableParents: [...s.notableParents] }))
    .sort(
      (a, b) =>
        hasBinary(a.diffstat) - hasBinary(b.diffstat) ||
        diffLines(a.diffstat) - diffLines(b.diffstat) ||
        (a.diffstat.binaryBytes ?? 0) - (b.diffstat.binaryBytes ?? 0) ||
        byteOrder(a.node.name, b.node.name) ||
        report.scheme.compare(a.to, b.to),
    );
  const suggestions: MeasuredSuggestion[] = [];
  for (const s of sorted) {
    const prev = suggestions[suggestions.length - 1];
    if (prev && prev.node.name === s.node.name && sameDiff(prev, s)) prev.notableParents.push(...s.notableParents);
    else suggestions.push(s);
  }
  for (const s of suggestions) s.notableParents = [...new Set(s.notableParents)].sort(byteOrder);
  const groups = new Map<string, MeasuredSuggestion[]>();
  for (const s of suggestions) {
    const label = criteriaLabel(report, s.criteria);
    groups.set(label, [...(groups.get(label) ?? []), s]);
  }
  return {
    suggestions,
    byCriteria: [...groups].sort((a, b) => byteOrder(a[0], b[0])),
    totalLines: suggestions.reduce((n, s) => n + diffLines(s.diffstat), 0),
    warnings,
  };
}

function diffstatText(d: DiffStat): string {
  let s = `${d.filesChanged} files changed`;
  if (d.insertions > 0) s += `, ${d.insertions} insertions(+)`;
  if (d.deletions > 0) s += `, ${d.deletions} deletions(-)`;
  return s + binaryText(d);
}

function binaryText(d: DiffStat): string {
  if (!d.binaryFiles) return '';
  return `, ${d.binaryFiles} binary file${d.binaryFiles === 1 ? '' : 's'} (${d.binaryBytes ?? 0} bytes)`;
}

const MAX_COMMAND_CHARS = 52;
const width = (s: string): number => [...s].length;
const pad = (s: string, w: number): string => s + ' '.repeat(Math.max(0, w - width(s)));

/** The "recommended audits" block (no colours). `tool` is the command prefix, e.g. "vet" or "cargo vet". */
export function formatSuggestHuman(s: SuggestReport, tool = 'vet'): string {
  let out = '';
  for (const [label, items] of s.byCriteria) {
    out += `recommended audits for ${label}:\n`;
    const rows = items.map((i) => [
      escapeText(
        i.from === undefined
          ? `${tool} inspect ${i.node.name} ${i.to}`
          : `${tool} diff ${i.node.name} ${i.from} ${i.to}`,
      ),
      escapeText(i.publisherLogin ?? 'UNKNOWN'),
      escapeText(formatShortList(i.notableParents)),
      i.from === undefined ? `${diffLines(i.diffstat)} lines${binaryText(i.diffstat)}` : diffstatText(i.diffstat),
    ]);
    const w = ['Command', 'Publisher', 'Used By'].map(width);
    for (const r of rows) {
      const cw = width(r[0]!);
      if (cw > MAX_COMMAND_CHARS) r[0] += `\n${' '.repeat(MAX_COMMAND_CHARS + 4)}`;
      w[0] = Math.max(w[0]!, Math.min(cw, MAX_COMMAND_CHARS));
      w[1] = Math.max(w[1]!, width(r[1]!));
      w[2] = Math.max(w[2]!, width(r[2]!));
    }
    out += `    ${pad('Command', w[0]!)}  ${pad('Publisher', w[1]!)}  ${pad('Used By', w[2]!)}  Audit Size\n`;
    for (const r of rows) out += `    ${pad(r[0]!, w[0]!)}  ${pad(r[1]!, w[1]!)}  ${pad(r[2]!, w[2]!)}  ${r[3]}\n`;
    out += '\n';
  }
  out += `estimated audit backlog: ${s.totalLines} lines\n`;
  if (s.warnings.length > 0) out += `\n${s.warnings.map((w) => `WARNING: ${escapeText(w)}\n`).join('')}`;
  out += exemptedText(s);
  out += riskText(s);
  out += `\nUse |${tool} certify| to record the audits.\n`;
  return out;
}

/** vet's addition: which suggestions are exempted today, so their audit would remove an exemption. */
function exemptedText(s: SuggestReport): string {
  const lines = s.suggestions
    .filter((i) => i.exempted === true)
    .map((i) => `  ${escapeText(i.node.name)}:${escapeText(i.node.version)}\n`);
  return lines.length === 0 ? '' : `\nExempted today (auditing these removes their exemption):\n${lines.join('')}`;
}

/** vet's addition to the block: the risk signals of each suggested audit, after the table. */
function riskText(s: SuggestReport): string {
  const lines = s.suggestions.flatMap((i) =>
    (i.risk ?? []).map((r) => `  ${escapeText(i.node.name)}:${escapeText(i.to)}: ${escapeText(r)}\n`),
  );
  return lines.length === 0 ? '' : `\nRisk signals:\n${lines.join('')}`;
}
