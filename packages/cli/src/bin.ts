#!/usr/bin/env node
import { main, parseCurrentTime } from './program.js';
import { processIO } from './io.js';

// A reader that stops early (`vet --help | head`) closes the pipe: stop quietly, as CLI tools
// do, instead of an unhandled EPIPE with a stack trace. Other stream errors still surface.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    process.exit(process.exitCode ?? 0);
  });
}

const argv = process.argv.slice(2);
let now: Date | undefined;
try {
  now = parseCurrentTime(argv);
} catch {
  // main() reports it, with every other error, in one place.
}
process.exitCode = await main(argv, processIO(now));
