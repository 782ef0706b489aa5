#!/usr/bin/env node
import { main } from './program.js';
import { processIO } from './io.js';

const argv = process.argv.slice(2);
const timeArg = argv.findIndex((a) => a === '--current-time' || a.startsWith('--current-time='));
let now: Date | undefined;
if (timeArg >= 0) {
  const raw = argv[timeArg]!.includes('=') ? argv[timeArg]!.split('=')[1] : argv[timeArg + 1];
  const t = raw === undefined ? NaN : Date.parse(raw);
  if (!Number.isNaN(t)) now = new Date(t);
}
process.exitCode = await main(argv, processIO(now));
