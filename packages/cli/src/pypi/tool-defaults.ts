/**
 * The package index pip (or uv) uses when vet finds no configuration, asked of the tools
 * themselves so that no index host is written in vet. pip prints its effective `--index-url`
 * in its own help ("(default <url>)"): with nothing configured that is its built-in default,
 * and with a configuration vet could not read, it is what pip really uses. uv says "(by
 * default: <url>)" in the help of `--default-index`. The first tool that answers wins.
 */
import { runQuiet } from '../registry/npm-defaults.js';

export type RunTool = (
  cmd: string,
  args: string[],
  opts: { cwd: string; env: NodeJS.ProcessEnv },
) => Promise<string | undefined>;

/** Where the answer came from, for messages, and the index URL. */
export interface ToolIndex {
  indexUrl: string;
  from: string;
}

const PIP_COMMANDS: Array<[string, string[]]> = [
  ['pip3', []],
  ['pip', []],
  ['python3', ['-m', 'pip']],
  ['python', ['-m', 'pip']],
];

/** pip's help names the effective index after `--index-url <url>`: "(default https://…)". */
export function pipHelpIndex(help: string): string | undefined {
  const text = help.replace(/\s+/g, ' ');
  const m = /--index-url <url> [^(]*\(default (\S+?)\)/.exec(text);
  return httpUrl(m?.[1]);
}

/** uv's help of `--default-index` (or the older `--index-url`): "(by default: <https://…>)". */
export function uvHelpIndex(help: string): string | undefined {
  const text = help.replace(/\s+/g, ' ');
  const m = /--(?:default-index|index-url) [^<]*?(?:<[A-Z_]+> )?[^<]*?by default: <(\S+?)>/.exec(text);
  return httpUrl(m?.[1]);
}

function httpUrl(s: string | undefined): string | undefined {
  if (s === undefined || !URL.canParse(s)) return undefined;
  return /^https?:$/.test(new URL(s).protocol) ? s : undefined;
}

/** Asks pip, then uv; undefined when neither is installed or says. */
export async function askPythonToolsForIndex(
  cwd: string,
  env: NodeJS.ProcessEnv,
  run: RunTool = runQuiet,
): Promise<ToolIndex | undefined> {
  const quiet = { ...env, PIP_DISABLE_PIP_VERSION_CHECK: '1', PIP_NO_INPUT: '1' };
  for (const [cmd, pre] of PIP_COMMANDS) {
    const help = await run(cmd, [...pre, 'download', '--help'], { cwd, env: quiet });
    const url = help === undefined ? undefined : pipHelpIndex(help);
    if (url) return { indexUrl: url, from: `${[cmd, ...pre].join(' ')} (its default index)` };
  }
  const uv = await run('uv', ['pip', 'install', '--help'], { cwd, env });
  const url = uv === undefined ? undefined : uvHelpIndex(uv);
  return url ? { indexUrl: url, from: 'uv (its default index)' } : undefined;
}
