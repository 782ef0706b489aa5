/**
 * What a command may touch of the outside world besides the file system and network:
 * output streams, the terminal, a prompt and the clock. Tests pass their own.
 */
import { isatty } from 'node:tty';

export interface CommandIO {
  out(text: string): void;
  err(text: string): void;
  /** stdout is an interactive terminal (colors, pager). */
  isTTY: boolean;
  /** stdin is an interactive terminal (prompts allowed). */
  interactive: boolean;
  /** stderr is a terminal (progress lines); absent = ask process.stderr. */
  stderrIsTTY?: boolean;
  prompt(question: string): Promise<string>;
  /** Current time; `--current-time` overrides it. */
  now(): Date;
  env: NodeJS.ProcessEnv;
}

export function processIO(now?: Date): CommandIO {
  return {
    out: (t) => void process.stdout.write(t),
    err: (t) => void process.stderr.write(t),
    isTTY: process.stdout.isTTY === true,
    // isatty, not process.stdin.isTTY: that getter opens stdin as a stream, which most commands never read.
    interactive: isatty(0),
    stderrIsTTY: process.stderr.isTTY === true,
    prompt: async (q) => {
      const { createInterface } = await import('node:readline/promises');
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      try {
        return await rl.question(q);
      } finally {
        rl.close();
      }
    },
    now: () => now ?? new Date(),
    env: process.env,
  };
}

/** YYYY-MM-DD in UTC, the date form used by the store. */
export function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}
