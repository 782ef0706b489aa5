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
import type { PlatformScope } from './types.js';

/** A project's `--platform` scope, for the CI formats (which flatten several projects). */
export interface ScopedProject {
  lockfile: string;
  scope: PlatformScope;
}

/** `linux-x64-glibc: 2 package(s) excluded by platform (not vetted): a 1.0.0, b 2.0.0` (raw). */
export function platformNoteText(p: ScopedProject): string {
  const on = p.scope.platforms.join(', ');
  if (p.scope.excluded.length === 0) return `vetted for platform(s) ${on}; no package is excluded by platform`;
  const names = p.scope.excluded.map((x) => `${x.name} ${x.version}`).join(', ');
  return `vetted for platform(s) ${on}; ${p.scope.excluded.length} package(s) excluded by platform (not vetted): ${names}`;
}

/** One `::notice` per project narrowed to platforms. */
function platformNotice(p: ScopedProject): string {
  const props = `file=${escapeCommandProperty(escapeText(p.lockfile))},title=${escapeCommandProperty('vet: excluded by platform')}`;
  return `::notice ${props}::${escapeCommandData(escapeText(platformNoteText(p)))}`;
}

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
export function formatCheckGithub(
  findings: readonly Finding[],
  headline: string,
  scoped: readonly ScopedProject[] = [],
): string {
  return [...findings.map(githubAnnotation), ...scoped.map(platformNotice), headline].join('\n') + '\n';
}
