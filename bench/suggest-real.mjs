// Issue 12, opt-in real-registry bench (uses the network; not part of `pnpm test`):
// a project with @angular/cli 17.0.0, webpack, eslint, next 14.0.0 and react, locked with
// `npm install --package-lock-only --ignore-scripts`, a store from `vet init`, then next upgraded
// to 14.2.0 and five others. Measures the unlocked `vet check` (suggestions included) with a cold
// and a warm cache, and `vet diff next 14.0.0 14.2.0 --stat` (warm) against
// `git diff --no-index --stat` of the same two unpacked trees, interleaved in one run.
// Targets: cold ≤ 60 s, warm ≤ 3 s, peak RSS ≤ 500 MB; the diff ≤ 1.5x git's.
// The registry is whatever npm is configured with on this machine (`npm config get registry`).
// Run: node bench/suggest-real.mjs   (BENCH_RUNS=N pairs for the diff, default 5)
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, runOnce } from './lib/measure.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'packages/cli/dist/bundle/bin.js');
const runs = Number(process.env.BENCH_RUNS ?? 5);
const BEFORE = {
  '@angular/cli': '17.0.0',
  webpack: '5.88.2',
  eslint: '8.50.0',
  next: '14.0.0',
  react: '18.2.0',
  'react-dom': '18.2.0',
};
const AFTER = {
  next: '14.2.0',
  '@angular/cli': '17.3.0',
  webpack: '5.91.0',
  eslint: '8.57.0',
  react: '18.3.1',
  'react-dom': '18.3.1',
};

const registry = execFileSync('npm', ['config', 'get', 'registry'], { encoding: 'utf8' }).trim();
const tmp = mkdtempSync(path.join(os.tmpdir(), 'vet-suggest-real-'));
const dir = path.join(tmp, 'project');
const env = { ...process.env, XDG_CACHE_HOME: path.join(tmp, 'cache') };
const say = (s) => console.log(s);
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

function npm(args) {
  const r = spawnSync('npm', args, { cwd: dir, encoding: 'utf8', env: process.env });
  if (r.status !== 0) throw new Error(`npm ${args.join(' ')} failed: ${r.stderr}`);
}

function vet(args, e = env) {
  return runOnce([bin, ...args], { cwd: dir, env: e });
}

function timed(cmd, args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28 });
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, status: r.status, stdout: r.stdout, stderr: r.stderr };
}

try {
  say(`registry: npm's configured registry (${new URL(registry).protocol} …); load average ${load()}`);
  execFileSync('mkdir', ['-p', dir]);
  writeFileSync(
    path.join(dir, 'package.json'),
    `${JSON.stringify({ name: 'suggest-real', version: '1.0.0', private: true, dependencies: BEFORE }, null, 2)}\n`,
  );
  npm(['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund']);
  const init = vet(['init']);
  if (init.status !== 0) throw new Error(`vet init failed: ${init.stderr}`);
  say(init.stderr.trim().split('\n')[0] ?? '');
  npm([
    'install',
    '--package-lock-only',
    '--ignore-scripts',
    '--no-audit',
    '--no-fund',
    ...Object.entries(AFTER).map(([n, v]) => `${n}@${v}`),
  ]);

  const cold = vet(['check']);
  const warm = [vet(['check']), vet(['check']), vet(['check'])];
  const warmMs = median(warm.map((r) => r.ms));
  const rss = Math.max(cold.rssMb, ...warm.map((r) => r.rssMb));
  const headline = cold.stdout.split('\n').find((l) => l.trim() !== '') ?? '';
  say(`unlocked vet check: exit ${cold.status}; ${headline.trim()}`);
  say(`  cold cache: ${(cold.ms / 1000).toFixed(1)} s (target ≤ 60 s), peak RSS ${cold.rssMb.toFixed(0)} MB`);
  say(`  warm cache: ${(warmMs / 1000).toFixed(2)} s median of 3 (target ≤ 3 s)`);
  say(`  peak RSS over all runs: ${rss.toFixed(0)} MB (target ≤ 500 MB)`);
  if (cold.status !== 0 && cold.status !== 1) say(`  stderr: ${cold.stderr.slice(0, 2000)}`);

  // The two unpacked trees vet measured: `vet inspect` prints where they are.
  const treeOf = (v) => vet(['inspect', 'next', v]).stdout.trim().split('\n').pop();
  const [a, b] = [treeOf(BEFORE.next), treeOf(AFTER.next)];
  vet(['diff', 'next', BEFORE.next, AFTER.next, '--stat']); // warm
  const pairs = [];
  for (let i = 0; i < runs; i++) {
    const git = () => timed('git', ['diff', '--no-index', '--stat', a, b]);
    const ours = () => vet(['diff', 'next', BEFORE.next, AFTER.next, '--stat']);
    const [g, v] = i % 2 === 0 ? [git(), ours()] : [null, ours()];
    pairs.push({ git: g ?? git(), vet: v });
  }
  const gitMs = median(pairs.map((p) => p.git.ms));
  const vetMs = median(pairs.map((p) => p.vet.ms));
  const ratio = median(pairs.map((p) => p.vet.ms / p.git.ms));
  const gitSummary = pairs[0].git.stdout.trim().split('\n').pop();
  const vetSummary = pairs[0].vet.stdout.trim().split('\n').pop();
  say(
    `vet diff next ${BEFORE.next} ${AFTER.next} --stat (warm): ${vetMs.toFixed(0)} ms median — ${vetSummary?.trim()}`,
  );
  say(`git diff --no-index --stat of the same trees:   ${gitMs.toFixed(0)} ms median — ${gitSummary?.trim()}`);
  say(`ratio: ${ratio.toFixed(2)}x (median of ${runs} interleaved pairs; target ≤ 1.5x); load average ${load()}`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
