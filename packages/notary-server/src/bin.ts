#!/usr/bin/env node
// Entry point of `vet-notary`: wires process I/O to runCli and sets the exit code.
import { runCli } from './cli/main.js';

const untilSignal = () =>
  new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });

process.exitCode = await runCli(process.argv.slice(2), {
  out: (l) => process.stdout.write(l + '\n'),
  err: (l) => process.stderr.write(l + '\n'),
  untilSignal,
});
