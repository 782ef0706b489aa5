/**
 * `--output-format markdown`: the report as a pull-request comment or a job summary shows it.
 * Every string from outside sits in a code span (fenced longer than its longest backtick
 * run, control and bidi characters made visible first), and the report uses lists, not
 * tables: a package name cannot inject a link, an @-mention, HTML, a heading or a table break.
 */
import { escapeText } from '../escape.js';
import type { Finding } from './findings.js';

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
export function formatCheckMarkdown(findings: readonly Finding[], headline: string, success: boolean): string {
  let out = `### ${success ? '✅' : '❌'} vet: ${headline}\n\n`;
  if (findings.length === 0) return out;
  out += `${counts(findings)}\n\n`;
  return out + findings.map(findingItem).join('');
}
