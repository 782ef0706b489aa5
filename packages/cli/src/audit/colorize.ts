/**
 * ANSI colours for unified patches on a terminal. Whether to colour is decided by the caller
 * from the stream and environment (`shouldColor`), never inside the formatter.
 */

const RESET = '\x1b[0m';
const STYLES = { bold: '\x1b[1m', red: '\x1b[31m', green: '\x1b[32m', cyan: '\x1b[36m' } as const;

/** NO_COLOR (no-color.org) wins, then FORCE_COLOR, then "is it a TTY". */
export function shouldColor(
  stream: { isTTY?: boolean },
  env: Readonly<Record<string, string | undefined>> = process.env,
): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

function paint(line: string): string {
  if (line.startsWith('diff --git ') || line.startsWith('--- ') || line.startsWith('+++ '))
    return STYLES.bold + line + RESET;
  if (line.startsWith('@@')) return STYLES.cyan + line + RESET;
  if (line.startsWith('+')) return STYLES.green + line + RESET;
  if (line.startsWith('-')) return STYLES.red + line + RESET;
  return line;
}

/** Colour a unified patch line by line; identity when `enabled` is false. */
export function colorizePatch(patch: string, enabled: boolean): string {
  if (!enabled) return patch;
  return patch
    .split('\n')
    .map((l) => (l === '' ? l : paint(l)))
    .join('\n');
}
