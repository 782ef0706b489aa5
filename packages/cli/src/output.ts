/** Where a command's main output goes: stdout, or --output-file (written atomically). */
import path from 'node:path';
import { writeFileAtomic } from '@vet/core/node';
import type { GlobalOptions } from './context.js';
import type { CommandIO } from './io.js';

export async function emit(g: GlobalOptions, io: CommandIO, text: string): Promise<void> {
  if (g.outputFile === undefined) {
    io.out(text);
    return;
  }
  await writeFileAtomic(path.resolve(g.cwd, g.outputFile), text);
}

export function json(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}
