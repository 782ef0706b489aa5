/**
 * pip requirements-file lexing (lockfiles.md §6), following pip's req_file.py: join `\`
 * continuations (a comment line ends the logical line), strip `#` comments that start a line
 * or follow whitespace, expand `${VAR}` from the given environment, then split one logical
 * line into an option line (`-r x`, `--index-url=y`) or a requirement with its per-line
 * options (`--hash=sha256:…`).
 */
export interface LogicalLine {
  /** 1-based number of the first physical line. */
  line: number;
  text: string;
}

/**
 * The text before a comment: a `#` at the start or after whitespace (pip's COMMENT_RE,
 * `(^|\s+)#.*$`). A loop, not that regex: it backtracks quadratically over a long run of
 * spaces with no `#` after it (a fuzzed 4 MB requirements.txt ran past 20 s).
 */
function stripComment(text: string): string {
  for (let i = text.indexOf('#'); i >= 0; i = text.indexOf('#', i + 1)) {
    if (i === 0 || /\s/.test(text[i - 1]!)) return text.slice(0, i);
  }
  return text;
}

export function logicalLines(text: string): LogicalLine[] {
  const out: LogicalLine[] = [];
  let parts: string[] = [];
  let start = 0;
  const physical = text.split(/\r?\n/);
  physical.forEach((raw, i) => {
    const isComment = /^\s*#/.test(raw);
    if (!raw.endsWith('\\') || isComment) {
      const piece = isComment ? ` ${raw}` : raw;
      if (parts.length > 0) {
        out.push({ line: start, text: [...parts, piece].join('') });
        parts = [];
      } else {
        out.push({ line: i + 1, text: piece });
      }
    } else {
      if (parts.length === 0) start = i + 1;
      parts.push(raw.slice(0, -1));
    }
  });
  if (parts.length > 0) out.push({ line: start, text: parts.join('') });
  return out.map((l) => ({ line: l.line, text: stripComment(l.text).trim() })).filter((l) => l.text !== '');
}

/** pip expands only `${NAME}` with upper-case letters, digits and underscores. */
export function expandEnv(text: string, env: Readonly<Record<string, string | undefined>>): string {
  return text.replace(/\$\{([A-Z0-9_]+)\}/g, (whole, name: string) => env[name] ?? whole);
}

export interface OptionToken {
  name: string;
  value?: string;
}

// Options that take a value (`-r x`, `-rx`, `--requirement=x`, `--requirement x`).
const VALUE_OPTS: Record<string, string> = {
  '-r': '--requirement',
  '-c': '--constraint',
  '-e': '--editable',
  '-i': '--index-url',
  '-f': '--find-links',
  '--requirement': '--requirement',
  '--constraint': '--constraint',
  '--editable': '--editable',
  '--index-url': '--index-url',
  '--extra-index-url': '--extra-index-url',
  '--find-links': '--find-links',
  '--trusted-host': '--trusted-host',
  '--no-binary': '--no-binary',
  '--only-binary': '--only-binary',
  '--hash': '--hash',
  '--config-settings': '--config-settings',
  '--global-option': '--global-option',
  '--use-feature': '--use-feature',
  '--install-option': '--install-option',
};
const FLAG_OPTS = new Set(['--pre', '--prefer-binary', '--require-hashes', '--no-index']);

/** Shell-like split on whitespace honouring single and double quotes. */
export function splitArgs(text: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push(m[1] ?? m[2] ?? m[3] ?? '');
  return out;
}

/** Parse option tokens; returns the options or a reason for the first bad one. */
export function parseOptions(args: string[]): OptionToken[] | string {
  const out: OptionToken[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (FLAG_OPTS.has(a)) {
      out.push({ name: a });
      continue;
    }
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const head = eq > 0 ? a.slice(0, eq) : a.startsWith('--') ? a : a.slice(0, 2);
    const canonical = VALUE_OPTS[head];
    if (canonical === undefined) return `unknown option "${a}"`;
    let value = eq > 0 ? a.slice(eq + 1) : a.startsWith('--') ? undefined : a.slice(2) || undefined;
    if (value === undefined) value = args[++i];
    if (value === undefined) return `option ${head} needs a value`;
    out.push({ name: canonical, value });
  }
  return out;
}

/** Split a requirement line into the requirement text and its trailing options. */
export function splitRequirementOptions(text: string): { req: string; args: string[] } {
  const m = /(^|\s)--?[a-zA-Z]/.exec(text);
  if (!m) return { req: text.trim(), args: [] };
  return { req: text.slice(0, m.index).trim(), args: splitArgs(text.slice(m.index)) };
}
