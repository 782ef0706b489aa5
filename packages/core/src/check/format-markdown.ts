/**
 * `--output-format markdown`: the report as a pull-request comment or a job summary shows it.
 * Every string from outside sits in a code span (fenced longer than its longest backtick
 * run, control and bidi characters made visible first), and the report uses lists, not
 * tables: a package name cannot inject a link, an @-mention, HTML, a heading or a table break.
 */
import { escapeText } from '../escape.js';
import type { Finding } from './findings.js';
import type { ScopedProject } from './format-github.js';

/** Outside text as one inline code span. */
export function mdCode(s: string): string {
  const text = escapeText(s);
  if (text === '') return '` `';
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') || text.startsWith(' ') || text.endsWith(' ') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/**
 * Our own prose (hints) as Markdown text: control characters made visible, every ASCII
 * punctuation character backslash-escaped (CommonMark §2.4), so brackets, `<`, `#`, `|`,
 * `*` and `_` render as themselves.
 */
export function mdText(s: string): string {
  return escapeText(s).replace(/[!-/:-@[-`{-~]/g, '\\$&');
}

/** `package-lock.json` line 12, as a code span and our own words. */
export function mdWhere(f: Finding): string {
  return f.location.line === undefined ? mdCode(f.location.file) : `${mdCode(f.location.file)} line ${f.location.line}`;
}

function findingItem(f: Finding): string {
  const pkg = f.name === '' ? '' : ` ${mdCode(f.name)} ${mdCode(f.version)} ·`;
  return (
    `- **${f.level}** · ${f.kind} ·${pkg} ${mdWhere(f)}\n` +
    `  ${mdCode(f.message)}\n` +
    `  fix: ${[f.fix === '' ? '' : mdCode(f.fix), f.hint === undefined ? '' : mdText(f.hint)].filter(Boolean).join(' — ')}\n`
  );
}

function counts(findings: readonly Finding[]): string {
  const errors = findings.filter((f) => f.level === 'error').length;
  const warnings = findings.length - errors;
  return `${errors} error(s), ${warnings} warning(s)`;
}

/**
 * The Markdown report: a heading with the verdict (our own words, `headline` is the human
 * report's first line), the counts, one list item per finding.
 */
export function formatCheckMarkdown(
  findings: readonly Finding[],
  headline: string,
  success: boolean,
  scoped: readonly ScopedProject[] = [],
): string {
  let out = `### ${success ? '✅' : '❌'} vet: ${headline}\n\n`;
  if (findings.length > 0) out += `${counts(findings)}\n\n` + findings.map(findingItem).join('');
  if (scoped.length > 0) out += (findings.length > 0 ? '\n' : '') + scoped.map(platformNote).join('');
  return out;
}

/** A note per project narrowed to platforms: each excluded package named. */
export function platformNote(p: ScopedProject): string {
  const on = p.scope.platforms.map(mdCode).join(', ');
  const n = p.scope.excluded.length;
  let out = `**note** · ${mdCode(p.lockfile)} · vetted for platform(s) ${on}; ${n === 0 ? 'no package is excluded by platform' : `${n} package(s) excluded by platform (not vetted):`}\n`;
  for (const x of p.scope.excluded) out += `- ${mdCode(x.name)} ${mdCode(x.version)}\n`;
  return out;
}
