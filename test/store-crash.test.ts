/**
 * A kill at any instant leaves the store entirely old or entirely new (issue 10). Real
 * processes are killed with SIGKILL while they commit a store: at every crash point of the
 * write, the lock and the recovery (VET_TEST_CRASH_AT, failpoint.ts), at random instants
 * while committing in a loop, and through the built `vet certify`. After each kill the store
 * is read back (which completes or discards the interrupted write) and must be, byte for
 * byte, one of the states that were committed; readers running beside a writer never see a
 * mix either. Children run the built core (`pnpm build` first).
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyStore, type Store } from '@vet/core';
import { commitStore, readStoreFiles } from '@vet/core/node';
import { packageLock, REPO_ROOT, runVet, tempProject } from './helpers/project.js';

// The store module alone: a child that loads less starts sooner, so more kills fit the time.
const CORE_NODE = path.join(REPO_ROOT, 'packages/core/dist/node/store-dir.js');
const FILES = ['config.toml', 'audits.toml', 'imports.lock'] as const;
/** Random-instant kills; VET_CRASH_RUNS raises it for a longer soak. */
const RANDOM_RUNS = Number(process.env['VET_CRASH_RUNS'] ?? 200);
/** …within this many seconds (a loaded machine starts processes slowly), but at least MIN_RUNS. */
const RANDOM_BUDGET_S = Number(process.env['VET_CRASH_SECONDS'] ?? 60);
const MIN_RUNS = Math.min(RANDOM_RUNS, 100);

/**
 * The child: `once <target> <template>` commits the template's store into target;
 * `loop <target> <templates…>` commits them in turn forever, saying "ready" first;
 * `read <target>` reads the store (completing an interrupted write).
 */
const CHILD = `
const { commitStore, readStore, readStoreFiles } = await import(${JSON.stringify(pathToFileURL(CORE_NODE).href)});
const [mode, target, ...templates] = process.argv.slice(1);
if (mode === 'read') await readStoreFiles(target);
else {
  const states = await Promise.all(templates.map((t) => readStore(t)));
  if (mode === 'once') await commitStore(target, states[0]);
  else {
    process.stdout.write('ready\\n');
    for (let i = 0; ; i++) {
      await commitStore(target, states[i % states.length]);
      await new Promise((r) => setImmediate(r));
    }
  }
}
`;

type Texts = Record<(typeof FILES)[number], string>;

function stateA(): Store {
  const s = emptyStore();
  s.config.exemptions['left-pad'] = [{ version: '1.0.0', criteria: ['safe-to-deploy'], suggest: true }];
  return s;
}

/** A certify of left-pad: the exemption goes, an audit and a publisher record come. */
function stateB(): Store {
  const s = emptyStore();
  s.audits.audits['left-pad'] = [
    {
      who: ['Alice <a@example.com>'],
      criteria: ['safe-to-deploy'],
      kind: 'full',
      version: '1.0.0',
      importable: true,
      aggregatedFrom: [],
    },
  ];
  s.importsLock.publisher['left-pad'] = [
    { version: '1.0.0', when: '2024-01-02', identity: { kind: 'user-login', userLogin: 'bob' } },
  ];
  return s;
}

/** B plus one exemption: only config.toml changes (the single-rename path). */
function stateC(): Store {
  const s = stateB();
  s.config.exemptions['ansi'] = [{ version: '2.0.0', criteria: ['safe-to-run'], suggest: true }];
  return s;
}

const root = mkdtempSync(path.join(os.tmpdir(), 'vet-crash-'));
const templates: string[] = [];
const states: Texts[] = [];
let runs = 0;

beforeAll(async () => {
  if (!existsSync(CORE_NODE)) throw new Error(`${CORE_NODE} is missing: run \`pnpm build\` first`);
  for (const [i, store] of [stateA(), stateB(), stateC()].entries()) {
    const dir = path.join(root, `template-${i}`);
    await commitStore(dir, store, { create: true });
    templates.push(dir);
    states.push(readTexts(dir));
  }
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function readTexts(dir: string): Texts {
  const read = (f: string) => (existsSync(path.join(dir, f)) ? readFileSync(path.join(dir, f), 'utf8') : '');
  return {
    'config.toml': read('config.toml'),
    'audits.toml': read('audits.toml'),
    'imports.lock': read('imports.lock'),
  };
}

/** A fresh store directory holding template `i`'s files. */
function storeAt(i: number): string {
  const dir = path.join(root, `run-${runs++}`);
  cpSync(templates[i]!, dir, { recursive: true });
  return dir;
}

/** Which state the store is in, read as vet reads it; fails on a mix. */
async function stateOf(dir: string): Promise<number> {
  const f = await readStoreFiles(dir);
  const texts: Texts = { 'config.toml': f.config, 'audits.toml': f.audits, 'imports.lock': f.importsLock ?? '' };
  const i = states.findIndex((s) => FILES.every((name) => s[name] === texts[name]));
  if (i < 0) throw new Error(`${dir} holds a mix of states:\n${JSON.stringify(texts, null, 2)}`);
  return i;
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

function runChild(args: string[], crashAt?: number): Promise<Exit> {
  const env = { ...process.env, VET_TEST_CRASH_AT: String(crashAt ?? 0) };
  const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD, '--', ...args], { env });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.once('close', (code, signal) => resolve({ code, signal, stderr })));
}

/** Kill the Nth crash point, then N+1, … until the command runs to its end; each result is checked. */
async function everyCrashPoint(
  args: (dir: string) => string[],
  fresh: () => string,
  check: (dir: string, crashAt: number) => Promise<void>,
): Promise<number> {
  for (let n = 1; n < 100; n++) {
    const dir = fresh();
    const r = await runChild(args(dir), n);
    if (r.signal !== 'SIGKILL') {
      expect(r, r.stderr).toMatchObject({ code: 0 });
      return n - 1;
    }
    await check(dir, n);
  }
  throw new Error('the command never finished');
}

/** What a store looks like after the next writer: only its files, no temp file, no lock, no journal. */
async function expectTidyAfterCommit(dir: string, store: Store): Promise<void> {
  await commitStore(dir, store);
  expect(readdirSync(dir).sort()).toEqual([...FILES].sort());
}

describe('a store write killed at every crash point', () => {
  it('leaves the old or the new state, for a three-file and a one-file write', async () => {
    for (const [from, to] of [
      [0, 1],
      [1, 2],
    ] as const) {
      const seen = new Set<number>();
      const points = await everyCrashPoint(
        (dir) => ['once', dir, templates[to]!],
        () => storeAt(from),
        async (dir) => {
          if (existsSync(path.join(dir, '.vet-journal'))) await recoveriesKilled(dir, to);
          const state = await stateOf(dir);
          expect([from, to]).toContain(state);
          seen.add(state);
          await expectTidyAfterCommit(dir, stateC());
        },
      );
      expect(points).toBeGreaterThanOrEqual(from === 0 ? 9 : 3); // lock, staging, journal, renames
      expect([...seen].sort()).toEqual([from, to].sort()); // killed both before and after the commit point
    }
    expect(recovered).toBeGreaterThanOrEqual(3);
  }, 300_000);
});

let recovered = 0;

/** A write killed after its commit point, recovered by readers killed at every point of the recovery. */
async function recoveriesKilled(dir: string, expected: number): Promise<void> {
  recovered++;
  const copy = () => {
    const d = `${dir}-recover-${runs++}`;
    cpSync(dir, d, { recursive: true });
    return d;
  };
  await everyCrashPoint(
    (d) => ['read', d],
    copy,
    async (d) => expect(await stateOf(d)).toBe(expected),
  );
}

describe('a store writer killed at random instants', () => {
  it(`never leaves a mix (${MIN_RUNS}–${RANDOM_RUNS} kills), and readers beside it never see one`, async () => {
    const started = Date.now();
    const seen = new Map<number, number>();
    let reads = 0;
    const one = async () => {
      const dir = storeAt(0);
      const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD, '--', 'loop', dir, ...templates]);
      const exited = new Promise<void>((r) => child.once('close', () => r()));
      await new Promise<void>((r) => child.stdout.once('data', () => r()));
      const until = Date.now() + Math.random() * 150;
      while (Date.now() < until) {
        await stateOf(dir); // a concurrent reader: whole states only
        reads++;
      }
      child.kill('SIGKILL');
      await exited;
      const state = await stateOf(dir);
      seen.set(state, (seen.get(state) ?? 0) + 1);
      await expectTidyAfterCommit(dir, stateA());
      rmSync(dir, { recursive: true, force: true });
    };
    let done = 0;
    const deadline = started + RANDOM_BUDGET_S * 1000;
    const workers = Array.from({ length: 2 }, async () => {
      while (done < RANDOM_RUNS && (done < MIN_RUNS || Date.now() < deadline)) {
        done++;
        await one();
      }
    });
    await Promise.all(workers);
    // Kills landed after commits too, not only before the first.
    expect(seen.size).toBeGreaterThanOrEqual(2);
    expect(done).toBeGreaterThanOrEqual(MIN_RUNS);
    console.log(
      `${done} random kills in ${((Date.now() - started) / 1000).toFixed(1)} s, ` +
        `end states ${JSON.stringify(Object.fromEntries(seen))}, ${reads} concurrent reads`,
    );
  }, 600_000);
});

describe('vet certify killed at every crash point (built CLI)', () => {
  it('leaves the exemption or the audit, and check passes either way', async () => {
    const WHO = ['--who', 'Alice Auditor <alice@example.com>'];
    const p = tempProject({
      'package.json': '{"name":"demo","version":"1.0.0"}\n',
      'package-lock.json': packageLock({
        deps: { ansi: '^1.0.0' },
        packages: { 'node_modules/ansi': { version: '1.0.1' } },
      }),
    });
    try {
      expect((await runVet(['init'], { cwd: p.dir })).code).toBe(0);
      const store = path.join(p.dir, 'supply-chain');
      const before = readTexts(store);
      const pristine = path.join(root, 'certify-before');
      cpSync(store, pristine, { recursive: true });
      const certify = ['certify', 'ansi', '1.0.1', '--accept-all', ...WHO];
      const outcomes = new Set<string>();
      for (let n = 1; ; n++) {
        rmSync(store, { recursive: true, force: true });
        cpSync(pristine, store, { recursive: true });
        const r = await runVet(certify, { cwd: p.dir, env: { VET_TEST_CRASH_AT: String(n) } });
        const check = await runVet(['check'], { cwd: p.dir });
        expect(check.stdout, `certify killed at ${n}`).toContain('Vetting Succeeded');
        expect(check.code).toBe(0);
        const after = readTexts(store);
        const old = FILES.every((f) => after[f] === before[f]);
        const audited = after['audits.toml'].includes('[[audits.ansi]]') && !after['config.toml'].includes('ansi');
        expect(old || audited, `certify killed at ${n}`).toBe(true);
        outcomes.add(old ? 'old' : 'new');
        if (r.code === 0) break;
        expect(r.code, r.stderr).toBe(-1); // killed by its crash point
        if (n > 50) throw new Error('certify never finished');
      }
      expect([...outcomes].sort()).toEqual(['new', 'old']);
    } finally {
      p.cleanup();
    }
  }, 300_000);
});
