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
// What was tried, and what it bought (astro, the slowest; CPU-profile shares and CPU time on a
// shared 2-core machine with a load average of 8–16, so rough):
// - baseline: `yaml`'s parseAllDocuments().toJS() was ~47 % of the run, GC ~15 %, the store's
//   canonical re-serialisation ~12 %, resolve ~7 %; 5.4x the floor's time, 1.7x its RSS.
// - a purpose-built reader for the YAML pnpm writes (lockfile/npm/pnpm-yaml.ts), declining
//   anything else to `yaml`: 23–40 ms once compiled where js-yaml takes ~80–130 ms; cold, in a
//   fresh process, about js-yaml's cost (the interpreter dominates: ~250 ms CPU under load).
//   RSS 144 → ~110 MB (no YAML AST). Kept: never slower, and far less memory.
// - a parse cache of the graph keyed by what the reader read (cli/src/parse-cache.ts): a warm
//   check skips parsing and building the graph entirely (~1.2 MB JSON.parse instead);
//   RSS ~90 MB. The biggest win, warm.
// - skipping the canonical re-serialisation when the store's bytes were already found canonical
//   by this build: −40–60 ms.
// - tried and dropped: a larger young generation (--max-semi-space-size=32): no difference
//   measurable here; smol-toml for the store was not taken for speed (26 vs 22 ms on a 170 KB
//   config.toml) — it replaced @iarna/toml later, for safety (issue 10: @iarna/toml's parse
//   wrote through `constructor`/`__proto__` keys into Object; see core/src/toml-parse.ts).
// - second round (CPU time, user+sys, median of 5–7 runs alternating main's bundle and the new
//   one; the machine was shared, load average 12–20, so only the differences mean much):
//   - Cargo graphs in the parse cache (read --locked: vet's crate-fact records, cargo's
//     registry/src and .crate files go through traced-fs, so a record that comes or goes is
//     noticed); a crate asked about and missed is not asked again in the same run. wasmtime warm
//     585 → 265 ms CPU, 82 → 68 MB. The biggest win of the round.
//   - the canonical mark keeps the parsed store as JSON (only when a walk proves JSON carries it
//     exactly; a deep comparison of the round trip cost ~100 ms on astro's store and was
//     dropped): a warm check parses no TOML. insomnia warm 395 → 305 ms CPU, 86 → 76 MB.
//   - a Cargo store's location memoised by the root Cargo.toml's bytes (wasmtime's 28 KB
//     manifest took ~40–80 ms of cold-JIT TOML parsing), and parse-cache entries checked with
//     synchronous reads that stop at the first change (~600 observations for wasmtime, most of
//     them ENOENT, were as many thread-pool trips). wasmtime warm 265 → ~205 ms CPU.
//   - the bundle runs yaml, @yarnpkg/parsers and @iarna/toml (CommonJS: esbuild runs their
//     whole module body when the chunk loads) on first call, through a stub: yaml alone was
//     ~60 ms of a profiled warm run. insomnia warm ~336 → ~323 ms CPU, 83 → 76 MB.
//   - resolve: names without a violation skip collecting their audits: a few ms.
//   - cold runs pay for writing the entries (graph and store JSON) and stay at main's cost
//     (astro 1000 → 970 ms CPU, insomnia 669 → 640).
//   - not available: V8's compile cache (module.enableCompileCache) needs Node ≥ 22.1; this
//     project is on Node 20. A CommonJS bundle run through vm.Script cachedData, or a startup
//     snapshot, were not tried (the bundle is ESM with lazy chunks and top-level await).
//   - tried and no effect: `"sideEffects": false` on @vet/core (esbuild's code splitting puts
//     whole modules in the chunks every command's entry reaches; the chunks stayed the same).
// - remaining (warm insomnia, CPU profile): module loading ~30 % (1.4 MB of chunks compiled),
//   resolve ~23 % (cold JIT: the walk, audit graphs, searches, sorting), GC ~10 %.
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
const COLS = [
  ['floor ms', 9],
  ['vet ms', 7],
  ['wall', 6],
  ['floor CPU', 10],
  ['vet CPU', 8],
  ['CPU', 6],
  ['floor MB', 9],
  ['vet MB', 7],
  ['RSS', 6],
];
console.log(`${'project'.padEnd(36)} ${'cache'.padEnd(5)} ${COLS.map(([h, w]) => h.padStart(w)).join(' ')}`);
let worst = 0;
let worstCpu = 0;
for (const p of PROJECTS) worst = Math.max(worst, benchProject(p));
console.log(`worst ratio (wall, RSS): ${worst.toFixed(2)}x (target ≤ 1.5x); worst CPU ratio ${worstCpu.toFixed(2)}x`);

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
      const x = (v) => `${v.toFixed(2)}x`;
      const cells = [
        r.a.ms.toFixed(0),
        r.b.ms.toFixed(0),
        x(r.timeRatio),
        r.a.cpuMs.toFixed(0),
        r.b.cpuMs.toFixed(0),
        x(r.cpuRatio),
        r.a.rssMb.toFixed(0),
        r.b.rssMb.toFixed(0),
        x(r.rssRatio),
      ];
      const row = `${`${name} (${p.what})`.padEnd(36)} ${label.padEnd(5)} ${cells.map((c, i) => c.padStart(COLS[i][1])).join(' ')}`;
      console.log(row);
      w = Math.max(w, r.timeRatio, r.rssRatio);
      worstCpu = Math.max(worstCpu, r.cpuRatio);
    }
    return w;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
