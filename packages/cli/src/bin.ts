#!/usr/bin/env node
import { main, parseCurrentTime } from './program.js';
import { processIO } from './io.js';

const argv = process.argv.slice(2);
let now: Date | undefined;
try {
  now = parseCurrentTime(argv);
} catch {
  // main() reports it, with every other error, in one place.
}
process.exitCode = await main(argv, processIO(now));
