// Preloaded with `node --import`: reports the process's peak RSS on exit (stderr, one tagged line).
process.on('exit', () => {
  process.stderr.write(`\n__BENCH_MAXRSS_KB=${process.resourceUsage().maxRSS}\n`);
});
