// Run a node command N times; report median wall time and peak RSS.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const HOOK = fileURLToPath(new URL('./rss-hook.mjs', import.meta.url));

export function measure(args, { cwd, runs = 5, env = process.env } = {}) {
  const times = [];
  let rss = 0;
  let last;
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    last = spawnSync(process.execPath, ['--import', HOOK, ...args], { cwd, env, encoding: 'utf8', maxBuffer: 1 << 28 });
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    const m = /__BENCH_MAXRSS_KB=(\d+)/.exec(last.stderr);
    if (m) rss = Math.max(rss, Number(m[1]));
  }
  times.sort((a, b) => a - b);
  return {
    medianMs: times[Math.floor(times.length / 2)],
    minMs: times[0],
    maxRssMb: rss / 1024,
    status: last.status,
    stdout: last.stdout,
    stderr: last.stderr,
  };
}
