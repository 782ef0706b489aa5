/**
 * `--output-format github`: GitHub Actions workflow commands, one `::error` (or `::warning`
 * for a deprecation that only warns) per finding, annotating the lockfile line of the
 * package, then the human headline. Escaping follows the Actions toolkit's command rules
 * (`escapeData`: `%`, `\r`, `\n`; `escapeProperty`: those and `:` `,`), after outside strings
 * have had their control and bidi characters made visible: no string from a lockfile can end
 * a property, start a line of its own, or issue a command.
 */
import { escapeText } from '../escape.js';
import { fixText, type Finding } from './findings.js';

/** Workflow-command message data: `%`, CR and LF percent-encoded. */
export function escapeCommandData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Workflow-command property value: as data, plus `:` and `,`. */
export function escapeCommandProperty(s: string): string {
  return escapeCommandData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** One finding as a workflow command. */
export function githubAnnotation(f: Finding): string {
  const props = [`file=${escapeCommandProperty(escapeText(f.location.file))}`];
  if (f.location.line !== undefined) props.push(`line=${f.location.line}`);
  props.push(`title=${escapeCommandProperty(`vet: ${escapeText(f.title)}`)}`);
  const message = `${escapeText(f.message)}\nTo fix: ${escapeText(fixText(f))}`;
  return `::${f.level} ${props.join(',')}::${escapeCommandData(message)}`;
}

/** The annotations, then the verdict's headline (already escaped) as a plain log line. */
export function formatCheckGithub(findings: readonly Finding[], headline: string): string {
  return [...findings.map(githubAnnotation), headline].join('\n') + '\n';
}
