// Fuzzes every input format vet reads (issue 10): each lockfile format and the three store
// files. Seeds are the small projects in test/fixtures/hostile/ (one per lockfile format, each
// with a store written by `vet init`), plus ../shared/corpus files when present. Each run
// mutates one file — byte-level (flip, insert, delete, duplicate, splice, truncate) and
// structural (deep nesting, prototype names, control characters, huge fields) — and spawns the
// bundled CLI, `vet check --locked`, exactly as a user would. Outcomes:
//   clean error  exit 2 (a VetError: file, line, message)
//   accepted     exit 0 or 1 (a verdict)
//   crash        exit 3 (internal error) or a signal — a bug
//   hang         over 2 s of CPU (user + system, measured in the child: wall time on a shared
//                2-core machine is mostly other processes), or no exit within 20 s — a bug
// Crashing and hanging inputs are saved under --out (default: a temp dir) for a regression test.
//
// usage: node scripts/fuzz.mjs [--seconds N] [--format NAME[,NAME…]] [--jobs N] [--seed N] [--out DIR]
//                             [--bin PATH to a vet bin.js; default: the bundled CLI]
// Not part of `pnpm test` (test/fuzz-smoke.test.ts runs it for a few seconds).
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
let BIN = path.join(ROOT, 'packages/cli/dist/bundle/bin.js');
const FIXTURES = path.join(ROOT, 'test/fixtures/hostile');
const CORPUS = path.resolve(ROOT, '../shared/corpus');
const HANG_MS = 2000;
// Preloaded into the child: its own CPU time, printed last on stderr.
const CPU_HOOK =
  'data:text/javascript,' +
  encodeURIComponent(
    "import { writeSync } from 'node:fs';" +
      "process.on('exit', () => { const u = process.cpuUsage(); writeSync(2, `\\nVETFUZZ-CPU ${(u.user + u.system) / 1000}\\n`); });",
  );
const KILL_MS = 20000;

function args() {
  const a = process.argv.slice(2);
  const get = (name, dflt) => {
    const i = a.indexOf(`--${name}`);
    return i >= 0 && a[i + 1] !== undefined ? a[i + 1] : dflt;
  };
  return {
    seconds: Number(get('seconds', '30')),
    formats: get('format', '')
      .split(',')
      .filter((f) => f !== ''),
    jobs: Number(get('jobs', '2')),
    seed: Number(get('seed', String(Date.now() % 1e9))),
    out: get('out', path.join(os.tmpdir(), 'vet-fuzz-findings')),
    bin: get('bin', BIN),
  };
}

// ── random numbers (seeded, so a run can be repeated) ─────────────────────────────────────────
let state = 1;
function rand() {
  state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x9e3779b9) | 0;
  state ^= state >>> 12;
  return ((state >>> 0) % 1e9) / 1e9;
}
const int = (n) => Math.floor(rand() * n);
const pick = (list) => list[int(list.length)];

// ── formats and their seeds ───────────────────────────────────────────────────────────────────
/** format → { project fixture, file mutated, corpus seed file names } */
const LOCKFILES = {
  'npm-v1': ['npm-v1', 'package-lock.json'],
  'npm-v2': ['npm-v2', 'package-lock.json'],
  'npm-v3': ['npm-v3', 'package-lock.json'],
  'npm-shrinkwrap': ['npm-shrinkwrap', 'npm-shrinkwrap.json'],
  'yarn-v1': ['yarn-v1', 'yarn.lock'],
  'yarn-berry': ['yarn-berry', 'yarn.lock'],
  'pnpm-5': ['pnpm-5', 'pnpm-lock.yaml'],
  'pnpm-6': ['pnpm-6', 'pnpm-lock.yaml'],
  'pnpm-9': ['pnpm-9', 'pnpm-lock.yaml'],
  bun: ['bun', 'bun.lock'],
  uv: ['uv', 'uv.lock'],
  poetry: ['poetry', 'poetry.lock'],
  pipfile: ['pipfile', 'Pipfile.lock'],
  pylock: ['pylock', 'pylock.toml'],
  requirements: ['requirements', 'requirements.txt'],
  cargo: ['cargo', 'Cargo.lock'],
};
const STORE = {
  'config.toml': ['npm-v3', 'supply-chain/config.toml'],
  'audits.toml': ['npm-v3', 'supply-chain/audits.toml'],
  'imports.lock': ['npm-v3', 'supply-chain/imports.lock'],
};
const FORMATS = { ...LOCKFILES, ...STORE };

const SMALL_SEED = 200_000; // corpus files above this are too slow a baseline for the 2 s bound

function corpusSeeds(format, file) {
  if (!existsSync(CORPUS)) return [];
  const found = [];
  const walk = (dir, depth) => {
    if (depth > 4) return;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p, depth + 1);
      else if (e.name === path.basename(file)) found.push(p);
    }
  };
  walk(CORPUS, 0);
  return found
    .map((p) => readFileSync(p, 'utf8'))
    .filter((t) => t.length <= SMALL_SEED)
    .filter((t) =>
      format.startsWith('npm-v') ? new RegExp(`"lockfileVersion": ?${format.slice(5)}\\b`).test(t) : true,
    )
    .filter(
      (t) =>
        !format.startsWith('pnpm-') ||
        t.startsWith(`lockfileVersion: ${format === 'pnpm-5' ? '5' : `'${format.slice(5)}`}`),
    )
    .filter((t) => format !== 'yarn-berry' || t.includes('__metadata'))
    .filter((t) => format !== 'yarn-v1' || !t.includes('__metadata'));
}

/** A project directory with a store: the fixture plus `vet init`. */
function baseProject(fixture, work) {
  const dir = path.join(work, `base-${fixture}`);
  if (existsSync(dir)) return dir;
  cpSync(path.join(FIXTURES, fixture), dir, { recursive: true });
  const r = spawnSync(process.execPath, [BIN, 'init'], { cwd: dir, env: envFor(dir), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`vet init failed on fixture ${fixture}: ${r.stderr}`);
  return dir;
}

function envFor(dir) {
  const home = path.join(dir, '.home');
  if (!existsSync(home)) {
    mkdirSync(path.join(home, '.config', 'pip'), { recursive: true });
    writeFileSync(path.join(home, '.npmrc'), 'registry=http://127.0.0.1:9/\n');
    writeFileSync(path.join(home, '.config', 'pip', 'pip.conf'), '[global]\nindex-url = http://127.0.0.1:9/simple/\n');
  }
  return {
    PATH: process.env.PATH ?? '',
    HOME: home,
    XDG_CACHE_HOME: path.join(dir, '.cache'),
    GIT_CONFIG_NOSYSTEM: '1',
  };
}

// ── mutations ─────────────────────────────────────────────────────────────────────────────────
const PROTO = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];
const CONTROL = [
  '\x00',
  '\x1b[2J',
  '\x1b]0;x\x07',
  '\r',
  '\u2028',
  '\ufeff',
  '\t',
  '\x7f',
  '\ud800',
  '\\',
  '"',
  "'",
  '\n',
];
const NEST = [
  (n) => '['.repeat(n),
  (n) => '{"a":'.repeat(n),
  (n) => '{'.repeat(n),
  (n) => Array.from({ length: Math.min(n, 3000) }, (_, i) => `${' '.repeat(i)}k:\n`).join(''),
  (n) => '- '.repeat(n),
  (n) => `[${Array.from({ length: n }, () => 'a').join('.')}]\n`,
];
const IDENT = /[A-Za-z_][A-Za-z0-9_.-]*/g;

function at(text) {
  return int(text.length + 1);
}

const MUTATORS = {
  flip: (t) => {
    const i = int(t.length);
    return t.slice(0, i) + String.fromCharCode(t.charCodeAt(i) ^ (1 << int(7))) + t.slice(i + 1);
  },
  insertByte: (t) => {
    const i = at(t);
    return t.slice(0, i) + String.fromCharCode(int(128)) + t.slice(i);
  },
  delete: (t) => {
    const i = at(t);
    return t.slice(0, i) + t.slice(i + 1 + int(64));
  },
  duplicate: (t) => {
    const i = at(t);
    const j = Math.min(t.length, i + int(400));
    const k = at(t);
    return t.slice(0, k) + t.slice(i, j) + t.slice(k);
  },
  truncate: (t) => t.slice(0, at(t)),
  duplicateLine: (t) => {
    const lines = t.split('\n');
    const i = int(lines.length);
    lines.splice(int(lines.length), 0, ...lines.slice(i, i + 1 + int(8)));
    return lines.join('\n');
  },
  deleteLine: (t) => {
    const lines = t.split('\n');
    lines.splice(int(lines.length), 1 + int(3));
    return lines.join('\n');
  },
  deepNesting: (t) => {
    const i = at(t);
    return t.slice(0, i) + pick(NEST)(pick([100, 129, 1000, 10_000, 50_000])) + t.slice(i);
  },
  protoName: (t) => {
    const ids = [...t.matchAll(IDENT)];
    if (ids.length === 0) return t;
    const m = pick(ids);
    return t.slice(0, m.index) + pick(PROTO) + t.slice(m.index + m[0].length);
  },
  protoEverywhere: (t) => {
    const ids = [...new Set([...t.matchAll(IDENT)].map((m) => m[0]))];
    if (ids.length === 0) return t;
    const victim = pick(ids);
    return t.split(victim).join(pick(PROTO));
  },
  control: (t) => {
    const i = at(t);
    return t.slice(0, i) + pick(CONTROL).repeat(1 + int(3)) + t.slice(i);
  },
  hugeField: (t) => {
    const i = at(t);
    return (
      t.slice(0, i) + pick(['a', '1', '.', '@', '/', ' ']).repeat(pick([10_000, 1_000_000, 5_000_000])) + t.slice(i)
    );
  },
  hugeNumber: (t) => t.replace(/\d+/, () => pick(['99999999999999999999999', '-1', '1e400', '0x1', 'NaN', '1.5'])),
};
const NAMES = Object.keys(MUTATORS);

function mutate(text, others) {
  let t = text;
  const steps = 1 + int(3);
  const applied = [];
  for (let s = 0; s < steps; s++) {
    if (rand() < 0.1 && others.length > 1) {
      const o = pick(others);
      const i = at(t);
      const j = int(o.length + 1);
      t = t.slice(0, i) + o.slice(j, j + int(2000)) + t.slice(i);
      applied.push('splice');
      continue;
    }
    const name = pick(NAMES);
    t = MUTATORS[name](t);
    applied.push(name);
  }
  return { text: t, applied };
}

// ── running ───────────────────────────────────────────────────────────────────────────────────
function runVet(dir) {
  return new Promise((resolve) => {
    const start = performance.now();
    const child = spawn(process.execPath, ['--import', CPU_HOOK, BIN, 'check', '--locked'], {
      cwd: dir,
      env: envFor(dir),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    let tail = '';
    child.stderr.on('data', (d) => {
      const s = d.toString();
      if (stderr.length < 4000) stderr += s;
      tail = (tail + s).slice(-200);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), KILL_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const cpu = /VETFUZZ-CPU ([\d.]+)\n$/.exec(tail);
      const ms = performance.now() - start;
      resolve({ code, signal, ms, cpu: cpu ? Number(cpu[1]) : ms, stderr });
    });
  });
}

async function fuzzFormat(format, opts, work) {
  const [fixture, file] = FORMATS[format];
  const base = baseProject(fixture, work);
  const seeds = [readFileSync(path.join(base, file), 'utf8'), ...corpusSeeds(format, file)];
  const row = { format, seeds: seeds.length, runs: 0, clean: 0, accepted: 0, crashes: 0, hangs: 0, slowest: 0 };
  const deadline = performance.now() + opts.seconds * 1000;
  const worker = async (w) => {
    const dir = path.join(work, `run-${format}-${w}`);
    rmSync(dir, { recursive: true, force: true });
    cpSync(base, dir, { recursive: true });
    while (performance.now() < deadline) {
      const { text, applied } = mutate(pick(seeds), seeds);
      writeFileSync(path.join(dir, file), text);
      const r = await runVet(dir);
      row.runs++;
      row.slowest = Math.max(row.slowest, r.cpu);
      const crash = r.signal !== null || r.code === 3 || ![0, 1, 2].includes(r.code);
      const hang = r.cpu > HANG_MS || r.ms >= KILL_MS;
      if (crash) row.crashes++;
      else if (r.code === 2) row.clean++;
      else row.accepted++;
      if (hang) row.hangs++;
      if (crash || hang) save(opts.out, format, file, text, applied, r);
    }
  };
  await Promise.all(Array.from({ length: opts.jobs }, (_, w) => worker(w)));
  return row;
}

function save(out, format, file, text, applied, r) {
  mkdirSync(out, { recursive: true });
  const name = `${format}-${Date.now()}-${int(1e6)}`;
  writeFileSync(path.join(out, `${name}-${path.basename(file)}`), text);
  const what = {
    format,
    file,
    applied,
    code: r.code,
    signal: r.signal,
    ms: Math.round(r.ms),
    cpuMs: Math.round(r.cpu),
    stderr: r.stderr,
  };
  writeFileSync(path.join(out, `${name}.json`), JSON.stringify(what, null, 2) + '\n');
  console.error(
    `  finding (${format}): exit ${r.code ?? r.signal}, ${Math.round(r.cpu)} ms CPU, ${applied.join('+')} → ${name}`,
  );
}

function table(rows) {
  const head = [
    'format',
    'seeds',
    'runs',
    'clean errors (2)',
    'accepted (0/1)',
    'crashes (3/signal)',
    'hangs (>2 s CPU)',
    'most CPU',
  ];
  const body = rows.map((r) => [
    r.format,
    r.seeds,
    r.runs,
    r.clean,
    r.accepted,
    r.crashes,
    r.hangs,
    `${(r.slowest / 1000).toFixed(2)} s`,
  ]);
  const total = rows.reduce(
    (a, r) => ({
      runs: a.runs + r.runs,
      clean: a.clean + r.clean,
      accepted: a.accepted + r.accepted,
      crashes: a.crashes + r.crashes,
      hangs: a.hangs + r.hangs,
      slowest: Math.max(a.slowest, r.slowest),
    }),
    { runs: 0, clean: 0, accepted: 0, crashes: 0, hangs: 0, slowest: 0 },
  );
  body.push([
    'total',
    '',
    total.runs,
    total.clean,
    total.accepted,
    total.crashes,
    total.hangs,
    `${(total.slowest / 1000).toFixed(2)} s`,
  ]);
  const lines = [head, ...body].map((cells) => `| ${cells.join(' | ')} |`);
  lines.splice(1, 0, `|${head.map(() => ' --- ').join('|')}|`);
  return { text: lines.join('\n'), total };
}

async function main() {
  const opts = args();
  BIN = path.resolve(opts.bin);
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`pnpm build\` first`);
  const formats = opts.formats.length > 0 ? opts.formats : Object.keys(FORMATS);
  for (const f of formats)
    if (!(f in FORMATS)) throw new Error(`unknown format ${f}; known: ${Object.keys(FORMATS).join(', ')}`);
  state = opts.seed | 1;
  const work = mkdtempSync(path.join(os.tmpdir(), 'vet-fuzz-'));
  console.error(`fuzz: seed ${opts.seed}, ${opts.seconds} s per format, ${opts.jobs} jobs, findings → ${opts.out}`);
  const rows = [];
  try {
    for (const f of formats) {
      rows.push(await fuzzFormat(f, opts, work));
      const r = rows[rows.length - 1];
      console.error(`  ${f}: ${r.runs} runs, ${r.crashes} crashes, ${r.hangs} hangs`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const { text, total } = table(rows);
  console.log(text);
  process.exitCode = total.crashes + total.hangs > 0 ? 1 : 0;
}

await main();
