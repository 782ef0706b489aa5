/** Commands that build on the registry client and the notary client; registered as they land. */
import type { Command } from 'commander';
import type { CommandIO } from '../io.js';
import type { GlobalOptions } from '../context.js';

export function registerExtraCommands(
  _program: Command,
  _io: CommandIO,
  _run: (fn: (g: GlobalOptions, cmd: Command) => Promise<number>) => (this: Command) => Promise<void>,
): void {}
