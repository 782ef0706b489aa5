/**
 * docs/ci.md is a recipe a person can repeat: its YAML parses, every `vet` command in it is
 * a valid invocation of the real command line (parsed by the CLI's own commander program,
 * actions stubbed), and the outputs it shows are what the built binary prints on the
 * repository it describes (made here: two commits, origin/main at the first).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { load as loadYaml } from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../packages/cli/src/program.js';
import type { CommandIO } from '../packages/cli/src/io.js';
import { REPO_ROOT, packageLock, runVet, tempProject, type TempProject } from './helpers/project.js';

const DOC = readFileSync(path.join(REPO_ROOT, 'docs/ci.md'), 'utf8');
const projects: TempProject[] = [];
afterAll(() => projects.forEach((p) => p.cleanup()));

/** Fenced blocks of one info string. */
function blocks(lang: string): string[] {
  return [...DOC.matchAll(new RegExp('^```' + lang + '\\n([^]*?)^```$', 'gm'))].map((m) => m[1]!);
}

interface Step {
  run?: string;
}

function runLines(doc: unknown): string[] {
  const steps: Step[] = Array.isArray(doc)
    ? (doc as Step[])
    : Object.values((doc as { jobs: Record<string, { steps: Step[] }> }).jobs).flatMap((j) => j.steps);
  return steps.flatMap((s) => (s.run ?? '').split('\n'));
}

/** Every `vet …` invocation in the doc's YAML steps, shell blocks and console transcripts. */
function vetCommands(): string[] {
  const fromYaml = blocks('yaml').flatMap((b) => runLines(loadYaml(b)));
  const fromSh = blocks('sh').flatMap((b) => b.split('\n'));
  const fromConsole = blocks('console').flatMap((b) =>
    b
      .split('\n')
      .filter((l) => l.startsWith('$ '))
      .map((l) => l.slice(2)),
  );
  return [...fromYaml, ...fromSh, ...fromConsole]
    .map((l) => l.replace(/\s+#.*$/, '').trim())
    .filter((l) => l.startsWith('vet '))
    .map((l) => l.split('&&')[0]!.trim());
}

const silent: CommandIO = {
  out: () => undefined,
  err: () => undefined,
  isTTY: false,
  interactive: false,
  prompt: () => Promise.resolve(''),
  now: () => new Date(0),
  env: {},
};

type Command = ReturnType<typeof buildProgram>;

function stubActions(cmd: Command): void {
  cmd.action(() => undefined);
  for (const sub of cmd.commands) stubActions(sub);
}

describe('docs/ci.md', () => {
  it('its YAML parses and names the CI job the issue asks for', () => {
    const docs = blocks('yaml').map((b) => loadYaml(b));
    expect(docs.length).toBeGreaterThanOrEqual(2);
    expect(runLines(docs[0])).toContain('vet check --locked --base origin/main --output-format github');
  });

  it('every vet command in it is a valid invocation (the CLI parses it)', async () => {
    const commands = vetCommands();
    expect(commands.length).toBeGreaterThanOrEqual(9);
    for (const line of commands) {
      const program = buildProgram(silent, () => undefined);
      stubActions(program);
      await expect(program.parseAsync(line.split(/\s+/).slice(1), { from: 'user' }), line).resolves.toBeDefined();
    }
    // The check: an unknown option is refused.
    const program = buildProgram(silent, () => undefined);
    stubActions(program);
    await expect(program.parseAsync(['check', '--no-such-flag'], { from: 'user' })).rejects.toThrow();
  });

  it('the outputs it shows are what vet prints on the repository it describes', async () => {
    const p = tempProject({
      'package.json': '{"name":"demo","version":"1.0.0"}\n',
      'package-lock.json': lockOf({ 'left-pad': '1.3.0' }),
      '.gitignore': '.home\n.cache\n',
    });
    projects.push(p);
    expect((await runVet(['init'], { cwd: p.dir })).code).toBe(0);
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.test', ...args], {
        cwd: p.dir,
        encoding: 'utf8',
        env: { PATH: process.env['PATH'] ?? '', GIT_CONFIG_NOSYSTEM: '1', HOME: p.dir },
      });
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-q', '-m', 'base');
    git('update-ref', 'refs/remotes/origin/main', 'HEAD');
    git('checkout', '-q', '-b', 'renovate/left-pad');
    p.write('package-lock.json', lockOf({ 'left-pad': '1.4.0', 'new-dep': '2.0.0' }));
    git('commit', '-q', '-am', 'Update left-pad, add new-dep');
    const transcripts = blocks('console');
    expect(transcripts.length).toBeGreaterThanOrEqual(2);
    for (const t of transcripts) {
      const [command, ...expected] = t.split('\n');
      const r = await runVet(command!.slice('$ vet '.length).split(' '), { cwd: p.dir });
      expect(r.stdout, command).toBe(expected.join('\n'));
      expect(r.code).toBe(1);
    }
  });
});

function lockOf(deps: Record<string, string>): string {
  return packageLock({
    deps,
    packages: Object.fromEntries(Object.entries(deps).map(([n, v]) => [`node_modules/${n}`, { version: v }])),
  });
}
