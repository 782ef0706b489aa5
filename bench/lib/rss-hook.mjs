// Preloaded with `node --import`: reports the process's peak RSS and CPU time (user + system)
// on exit (stderr, one tagged line).
process.on('exit', () => {
  const u = process.resourceUsage();
  process.stderr.write(`\n__BENCH_MAXRSS_KB=${u.maxRSS} __BENCH_CPU_US=${u.userCPUTime + u.systemCPUTime}\n`);
});
