// Run node commands and report wall time and peak RSS; `interleaved` runs two commands
// alternately (A B, B A, A B, …) so machine load hits both alike, and reports the median of
// the per-pair ratios next to each side's median.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const HOOK = fileURLToPath(new URL('./rss-hook.mjs', import.meta.url));

/**
 * One run: wall ms, CPU ms (user + system) and peak RSS in MB (both from the preloaded hook),
 * exit status and output. CPU time is far less sensitive to other load on the machine than wall.
 */
export function runOnce(args, { cwd, env = process.env } = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--import', HOOK, ...args], {
    cwd,
    env,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const m = /__BENCH_MAXRSS_KB=(\d+) __BENCH_CPU_US=(\d+)/.exec(r.stderr);
  const stderr = r.stderr.replace(/\n?__BENCH_MAXRSS_KB=\d+ __BENCH_CPU_US=\d+\n/, '');
  const rssMb = m ? Number(m[1]) / 1024 : NaN;
  return { ms, cpuMs: m ? Number(m[2]) / 1000 : NaN, rssMb, status: r.status, stdout: r.stdout, stderr };
}

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export function measure(args, { cwd, runs = 5, env = process.env } = {}) {
  const all = Array.from({ length: runs }, () => runOnce(args, { cwd, env }));
  const last = all[all.length - 1];
  return {
    medianMs: median(all.map((r) => r.ms)),
    minMs: Math.min(...all.map((r) => r.ms)),
    maxRssMb: Math.max(...all.map((r) => r.rssMb)),
    status: last.status,
    stdout: last.stdout,
    stderr: last.stderr,
  };
}

/**
 * `runs` pairs of (a, b), alternating which goes first; `check(b)` may throw on a bad run.
 * Returns each side's median wall time, CPU time and RSS and the medians of the per-pair ratios b/a.
 */
export function interleaved(a, b, { runs = 7, check = () => {} } = {}) {
  const pairs = [];
  for (let i = 0; i < runs; i++) {
    let ra, rb;
    if (i % 2 === 0) ((ra = a()), (rb = b()));
    else ((rb = b()), (ra = a()));
    check(rb);
    pairs.push({ a: ra, b: rb });
  }
  const side = (k) => ({
    ms: median(pairs.map((p) => p[k].ms)),
    cpuMs: median(pairs.map((p) => p[k].cpuMs)),
    rssMb: median(pairs.map((p) => p[k].rssMb)),
  });
  return {
    a: side('a'),
    b: side('b'),
    timeRatio: median(pairs.map((p) => p.b.ms / p.a.ms)),
    cpuRatio: median(pairs.map((p) => p.b.cpuMs / p.a.cpuMs)),
    rssRatio: median(pairs.map((p) => p.b.rssMb / p.a.rssMb)),
    last: pairs[pairs.length - 1].b,
  };
}
