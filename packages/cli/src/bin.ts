#!/usr/bin/env node
import { main, parseCurrentTime } from './program.js';
import { processIO } from './io.js';
import { trimGrown } from './registry/cache-limit.js';

// A reader that stops early (`vet --help | head`) closes the pipe: stop quietly, as CLI tools
// do, instead of an unhandled EPIPE with a stack trace. Any other failure to write the output
// (a full disk, /dev/full) is an I/O error: one line, exit 2 — the report did not get out.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    if (stream !== process.stderr) {
      try {
        process.stderr.write(`error[IO_ERROR]: could not write the output: ${e.code ?? e.message}\n`);
      } catch {
        // stderr is gone too: the exit code says it.
      }
    }
    process.exit(2);
  });
}

const argv = process.argv.slice(2);
let now: Date | undefined;
try {
  now = parseCurrentTime(argv);
} catch {
  // main() reports it, with every other error, in one place.
}
const code = await main(argv, processIO(now));
// Exit once the output is out, not when the event loop drains: a natural exit first waits for
// V8's background work still queued from the run (concurrent marking, sweeping, compiling), which
// no one needs any more — ~50–100 ms after the last byte of a warm `vet check --locked` (issue 12).
// Every command has finished by now (none leaves work running unawaited).
await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
trimGrown(); // the cache size limit, once the output is out ('beforeExit' never comes here)
process.exit(code);

/** Resolves once everything written to `stream` so far has been handed to the OS (or failed). */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  if (stream.destroyed || !stream.writable) return Promise.resolve();
  return new Promise((resolve) => stream.write('', () => resolve()));
}
