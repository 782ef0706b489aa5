// Issue 12 bench: `vet check --locked` against the fastest honest read of the same files.
//
// The floor (bench/lib/floor.mjs) is a bare `node` that reads the lockfile and the three store
// files and parses them with the fastest correct parsers on npm — JSON.parse, js-yaml `loadAll`,
// smol-toml — and nothing else. Four real projects from ../shared/corpus, each copied to a temp
// directory with a store made by `vet init`. Floor and check run interleaved (A B, B A, …) in
// one process tree; the ratios are medians of per-pair ratios, for wall time and peak RSS.
// "warm" runs share one $XDG_CACHE_HOME (as on a developer's machine, where `vet init` or an
// earlier check filled it); "cold" runs each get an empty one (a fresh CI machine).
// Target: ≤ 1.5x on every project, time and memory.
//
// What was tried, and what it bought (astro, the slowest; rough, on a shared 2-core machine):
// - baseline: `yaml`'s parseAllDocuments().toJS() was ~47 % of ~1.6 s; 5.4x the floor.
// (the list grows as the work lands; see the commits of issue 12)
//
// Needs ../shared/corpus and a built CLI (`pnpm build`); js-yaml and smol-toml are root
// devDependencies used only here. BENCH_RUNS=N changes the number of pairs (default 7).
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { interleaved, runOnce } from './lib/measure.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const corpus = path.resolve(root, '../shared/corpus');
const bin = path.join(root, 'packages/cli/dist/bundle/bin.js');
const floor = path.join(root, 'bench/lib/floor.mjs');
const runs = Number(process.env.BENCH_RUNS ?? 7);

const PROJECTS = [
  { dir: 'npm/Kong__insomnia', lockfile: 'package-lock.json', what: 'package-lock v3' },
  { dir: 'npm/withastro__astro', lockfile: 'pnpm-lock.yaml', what: 'pnpm 9' },
  { dir: 'cargo/bytecodealliance__wasmtime', lockfile: 'Cargo.lock', what: 'Cargo.lock' },
  { dir: 'pypi/pydantic__pydantic', lockfile: 'uv.lock', what: 'uv.lock' },
];

if (!existsSync(corpus)) {
  console.log(`skipped: ${corpus} is absent (the corpus ships with the shared folder)`);
  process.exit(0);
}
console.log(
  `load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}; ${runs} interleaved pairs per row`,
);
console.log(
  `${'project'.padEnd(36)} ${'cache'.padEnd(5)} ${'floor ms'.padStart(9)} ${'vet ms'.padStart(7)} ${'time'.padStart(6)} ${'floor MB'.padStart(9)} ${'vet MB'.padStart(7)} ${'RSS'.padStart(6)}`,
);
let worst = 0;
for (const p of PROJECTS) worst = Math.max(worst, benchProject(p));
console.log(`worst ratio: ${worst.toFixed(2)}x (target ≤ 1.5x)`);

function benchProject(p) {
  const src = path.join(corpus, p.dir);
  const name = path.basename(p.dir);
  if (!existsSync(src)) {
    console.log(`${name}: skipped (${src} is absent)`);
    return 0;
  }
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'vet-bench-'));
  try {
    const dir = path.join(tmp, 'project');
    // A scratch copy: the corpus is read-only, and the store is ours (made by `vet init`).
    cpSync(src, dir, { recursive: true });
    rmSync(path.join(dir, 'supply-chain'), { recursive: true, force: true });
    const env = { ...process.env, XDG_CACHE_HOME: path.join(tmp, 'cache') };
    const init = runOnce([bin, 'init'], { cwd: dir, env });
    if (init.status !== 0) throw new Error(`vet init failed in ${name}: ${init.stderr}`);
    const store = path.join(dir, 'supply-chain');
    const floorRun = () => runOnce([floor, p.lockfile, store], { cwd: dir });
    const ok = (r) => {
      if (r.status !== 0) throw new Error(`vet check failed in ${name} (${r.status}): ${r.stdout}${r.stderr}`);
    };
    const warm = () => runOnce([bin, 'check', '--locked'], { cwd: dir, env });
    let n = 0;
    const cold = () =>
      runOnce([bin, 'check', '--locked'], { cwd: dir, env: { ...env, XDG_CACHE_HOME: path.join(tmp, `cold-${n++}`) } });
    warm(); // the first check after init, as a developer's second command
    let w = 0;
    for (const [label, run] of [
      ['warm', warm],
      ['cold', cold],
    ]) {
      const r = interleaved(floorRun, run, { runs, check: ok });
      const row = `${`${name} (${p.what})`.padEnd(36)} ${label.padEnd(5)} ${r.a.ms.toFixed(0).padStart(9)} ${r.b.ms.toFixed(0).padStart(7)} ${`${r.timeRatio.toFixed(2)}x`.padStart(6)} ${r.a.rssMb.toFixed(0).padStart(9)} ${r.b.rssMb.toFixed(0).padStart(7)} ${`${r.rssRatio.toFixed(2)}x`.padStart(6)}`;
      console.log(row);
      w = Math.max(w, r.timeRatio, r.rssRatio);
    }
    return w;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
