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
// - third round (the `speed` branch; CPU time = user + system of the process, now printed beside
//   wall time, as it suffers far less from other load; the machine was shared with three other
//   helpers, load average 5–14 on 2 cores, so again only differences mean much):
//   - yaml, @yarnpkg/parsers (with its js-yaml) and tweetnacl moved out of the chunks into
//     bundle/lazy/*.cjs, required on first call: the stub alone was not enough, since V8 still
//     reads and pre-parses code that never runs. A check loads ~790 KB of chunks instead of
//     ~1.4 MB: insomnia warm ~540 → ~450 ms CPU (median of 10 interleaved), RSS 77 → 71 MB.
//   - the parse cache's 'read' observations digest the file's bytes (format 2): no UTF-8 decode
//     for the check and re-encode for the hash of a 0.9–1.3 MB lockfile; a hit and a canonical
//     mark are read and touched synchronously (no thread-pool trips); the resolver's digest
//     binding is indexed on first use (only imported audits with digests ask; wasmtime: ~4 % of
//     a warm profile, the first Cargo version parsing), wildcard-expiry warnings look up only
//     the store's wildcard names, criteria index lists are shared per set. Together a few
//     percent; not separable from the noise one by one.
//   - the nesting pre-scan (issue 10) cost more than JSON.parse on a cold run: its character
//     loop runs in the interpreter before V8 optimises it. For JSON and TOML it now skips quoted
//     strings with indexOf and ignored runs with a sticky regex, and counts lines only on error:
//     insomnia's package-lock.json ~23 → ~16 ms CPU, its config.toml and wasmtime's Cargo.lock
//     ~16 → ~6 ms (fresh processes, medians of 7, under load).
//   - the canonical mark's store was parsed with a reviver giving every object a null prototype:
//     ~25 ms on astro's 180 KB mark in a fresh process (the plain parse: ~3 ms), and ~1,600
//     entries became dictionary-mode objects. The mark now lists where the store's ~10
//     null-prototype maps are (format 3) and only those are rebuilt. With the rest of this
//     round, warm CPU (median of 8 interleaved, load ~9): astro 640 → 550 ms, insomnia 520 → 450.
//   - `vet` exits once stdout and stderr are flushed instead of when the event loop drains: a
//     natural exit first waits for V8's background work still queued from the run (concurrent
//     marking, sweeping, compiling; under strace 100–190 ms between the last byte and exit_group,
//     10–65 ms with the explicit exit). Insomnia warm wall ~670 → ~590 ms, CPU ~530 → ~450
//     (medians of 20 interleaved, load ~8); pydantic wall ~445 → ~405.
//   - tried and dropped: one CommonJS bundle run through vm.Script with a V8 code cache
//     (cachedData written after the run; Node 20 has no module.enableCompileCache, checked on
//     20.20.2): insomnia warm 490 ms CPU with the cache vs 530 for the ESM chunks and 610 for
//     the CommonJS file without a cache, but RSS 77 → 91 MB: the whole 3.3 MB file is read and
//     an 830 KB cache deserialised on every run, and a cold run (empty cache) pays more.
//     Importing core's modules directly instead of through its barrels (a bundle plugin): 723 KB
//     in 39 files instead of 790 KB in 18; `vet --version` 290 → 200 ms CPU, `check --locked` no
//     measurable change (medians 540 vs 580, minimums 440 vs 430 over 20 runs). V8 flags:
//     --min-semi-space-size=16 made it worse (warm 480 → 540 ms CPU, +12 MB RSS); GC on one
//     thread, --single-threaded and --max-lazy changed nothing measurable.
//   - measured, not changed: writing the cache entries is ~10 % of a cold run (insomnia cold
//     1020 vs 920 ms CPU with a cache directory that cannot be created).
// - remaining (warm insomnia, CPU profile): module loading ~25 % (compiling ~790 KB of chunks,
//   commander building every command), resolve ~20 % (cold JIT), GC ~15–25 % (scavenges of a
//   10–17 MB heap, slow when the GC's helper threads wait for a loaded CPU), the parse-cache hit
//   ~7 %. Cold: reading the lockfile ~17 % and the store ~16 % (parse, schema checks per entry),
//   the canonical re-serialisation ~4 %, cache writes ~10 %, all in code V8 has not optimised
//   yet; the floor's two native-speed parsers have no such work to do.
// - fourth round (instruction counts: `valgrind --tool=callgrind node --single-threaded`, the
//   same to ±0.3 % from run to run whatever else the machine does, 3 runs each; insomnia warm
//   ~1.44 G instructions, of which `node -e 0` is 0.51 G and loading vet's modules 0.3 G):
//   - the bundle minified (whitespace and syntax; names kept for an internal error's trace):
//     −1.6 %; with identifiers too −2.4 %, not taken. V8 pre-parses every byte it loads: a
//     one-file bundle of every command (1.9 MB) cost +9 %, ~100 instructions a byte.
//   - commander's `child_process` required on first use, and check no longer loading the
//     pull-request reader (git, child_process) or stdin's stream (`isatty(0)` for "interactive"):
//     −0.3 % each.
//   - tried and dropped: importing core's modules past its barrels (bin's static code 530 →
//     173 KB, `vet --version` −7.6 %, but check −3.4 % worse: 42 files instead of 18);
//     Node's built-ins through
//     `require()` to skip the ESM facade that loads fs's streams (+2.9 %; stdout loads them
//     anyway).
//   - the store (store-speed; CPU time, 21 interleaved runs, load average 2–5):
//     - config.toml's [[exemptions.X]] tables (the canonical subset: plain strings, booleans,
//       one-line string arrays) read by two sticky regexes, the text before them by smol-toml;
//       anything else parses the whole file as before (property test against smol-toml).
//       Store parse ~41 → ~16 ms CPU on insomnia.
//     - TOML writer: headers quoted once per array, value-only tables not split, one object per
//       item; entry readers allocate nothing until a problem and no longer keep their TOML
//       table alive; versions validated by one plain-semver regex; the mark's JSON check and
//       null-prototype listing in one walk, its path hashed once. Format check ~32 → ~13 ms,
//       validation ~14 → ~4 ms.
//     - whole run: insomnia cold 373 → 329 ms CPU, astro 636 → 551 (×0.87); warm ×0.96.
//     - tried and dropped: a version cache (a regex is cheaper), comparing the canonical form
//       piece by piece (the join and compare cost ~0.2 ms), a cache of quoted keys (no gain).
//   - lockfile readers and the resolver (lock-speed; CPU time, 12 interleaved runs, load ~2):
//     - package-lock: install paths indexed by directory (a dependency lookup builds no
//       candidate strings), edge and path de-duplication by scanning until a node has 16, URL and
//       SRI handling without arrays, no JSON path for entries of the right shape: insomnia read
//       46 → 28 ms, GC 45 → 27 ms (cold, profiled).
//     - pnpm: the YAML nesting pre-scan jumps to quotes, comments and brackets (25 → 4.5 ms on
//       astro), line facts computed once per line, flow scalars scanned natively, keys walked
//       instead of entry pairs, importer directories normalised once.
//     - Cargo: each manifest parsed once (was twice), requirement ranges and answers memoised,
//       declarations indexed by name, a lone declaration matches without a range, no
//       localeCompare over every manifest; readers read files synchronously (still traced):
//       wasmtime's hundreds of manifests each took four thread-pool trips. Graph build 97 → ~35 ms.
//     - resolver: edge targets indexed once into a flat array, searches without path copies, a
//       comparator per search or a queue when nothing leaves the start, error context built only
//       on error: warm resolve on insomnia 19.6 → 16.5 ms; bench/resolve-bench.ts 50k 688 → 599
//       ms CPU.
//     - cold CPU ×0.88 (insomnia), ×0.86 (astro), ×0.76 (wasmtime); warm ×0.94–0.98.
//     - tried and dropped: dictionary-mode objects for YAML maps (no gain).
//   - npm versions: plain x.y.z validated and ordered without node-semver (its parse was most of
//     a cold resolver's final sort on astro, 5–12 ms).
//   - semver required on first use: +1 % at first, as insomnia's resolver sort still parsed its
//     pre-releases with it; kept once core orders x.y.z and pre-release versions itself
//     (version/npm.ts, property-tested against node-semver): no check of the four projects
//     loads it, whose start-up built ~100 regexes. insomnia warm −4 % wall, −5 % CPU (15
//     interleaved pairs), −3.5 % instructions.
//   - uv.lock (uv-reader): a purpose-built reader for uv.lock as uv writes it (sticky regexes, one
//     match per wheel/sdist entry, declining to smol-toml on anything else; property-tested
//     against smol-toml with mutants): ~5 ms instead of ~24 ms in a fresh process. pydantic cold
//     187 → 153 ms CPU, 1.64x → 1.39x the floor (30 interleaved pairs, load ~3); warm unchanged.
//   - cold writes (cold-writes): vet's cache writes on a cold run cost ~10 ms of CPU on
//     insomnia, ~20 on astro, ~4 on wasmtime (graph entry stringify + atomic write without
//     fsync, the canonical mark's exactness walk and write); writing the string without a buffer
//     copy bought nothing. Cargo crate-facts records are looked up only if their folder exists
//     (on an empty cache: a failed open and a thrown error per crate, 485 on wasmtime): −6 %
//     instructions, −2–4 % CPU cold, −2.5 % warm.
//   - what stays (cold, insomnia): module loading ~35 ms, reading the lockfile ~28 ms, the
//     store ~25 ms, resolving ~15 ms, cache writes ~10 ms and GC; the floor has only its two
//     native-speed parses. A cold run (a fresh CI machine) stays above 1.5x on insomnia and
//     wasmtime; docs/ci.md keeps vet's cache between CI runs (actions/cache) for that case.
//   - measured, not changed: V8 flags for a cold run (--always-sparkplug +10 %,
//     --no-lazy-feedback-allocation +8 %, a larger young generation +4 % wall and +15 % RSS).
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
console.log(`${'project'.padEnd(40)} ${'cache'.padEnd(5)} ${COLS.map(([h, w]) => h.padStart(w)).join(' ')}`);
const worst = { warm: 0, cold: 0 };
let worstCpu = 0;
for (const p of PROJECTS) {
  const w = benchProject(p);
  for (const k of ['warm', 'cold']) worst[k] = Math.max(worst[k], w[k] ?? 0);
}
const verdict = (r) => `${r.toFixed(2)}x (${r <= 1.5 ? 'within' : 'over'} the 1.5x target)`;
console.log(`worst ratio (wall, RSS): warm cache ${verdict(worst.warm)}, cold cache ${verdict(worst.cold)}`);
console.log(`worst CPU ratio ${worstCpu.toFixed(2)}x`);

function benchProject(p) {
  const src = path.join(corpus, p.dir);
  const name = path.basename(p.dir);
  if (!existsSync(src)) {
    console.log(`${name}: skipped (${src} is absent)`);
    return {};
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
    const w = {};
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
      const row = `${`${name} (${p.what})`.padEnd(40)} ${label.padEnd(5)} ${cells.map((c, i) => c.padStart(COLS[i][1])).join(' ')}`;
      console.log(row);
      w[label] = Math.max(r.timeRatio, r.rssRatio);
      worstCpu = Math.max(worstCpu, r.cpuRatio);
    }
    return w;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
