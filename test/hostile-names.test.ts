/**
 * Names of the language's own objects (issue 10): a dependency called `constructor`,
 * `__proto__`, `prototype`, `toString` or `hasOwnProperty` is an ordinary package in every
 * lockfile format. `vet init` exempts each one and `vet check --locked` (and an unlocked `vet check`) then
 * pass over the store it wrote. The projects are small hand-written fixtures (test/fixtures/hostile/), one per
 * format; they double as seeds of scripts/fuzz.mjs.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO_ROOT, runVet, tempProject, type TempProject } from './helpers/project.js';

const FIXTURES = path.join(REPO_ROOT, 'test/fixtures/hostile');
const NPM = ['__proto__', 'constructor', 'hasOwnProperty', 'prototype', 'toString'];
// PyPI names are normalised (PEP 503): `__proto__` is `-proto-`, `toString` is `tostring`.
const PYPI = ['-proto-', 'constructor', 'prototype', 'tostring'];

const expected: Record<string, string[]> = {
  'npm-v1': NPM,
  'npm-v2': NPM,
  'npm-v3': NPM,
  'npm-shrinkwrap': NPM,
  'yarn-v1': NPM,
  'yarn-berry': NPM,
  'pnpm-5': NPM,
  'pnpm-6': NPM,
  'pnpm-9': NPM,
  bun: NPM,
  uv: PYPI,
  poetry: PYPI,
  pylock: PYPI,
  pipfile: [...PYPI, 'hasownproperty'],
  requirements: ['constructor', 'prototype', 'tostring'],
  cargo: ['constructor', 'hasOwnProperty', 'prototype', 'toString'],
};

function files(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of readdirSync(dir)) out[f] = readFileSync(path.join(dir, f), 'utf8');
  return out;
}

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

describe('dependencies named after Object.prototype members', () => {
  it('has a fixture for every format it claims', () => {
    expect(readdirSync(FIXTURES).sort()).toEqual(Object.keys(expected).sort());
  });

  for (const [format, names] of Object.entries(expected)) {
    it(`${format}: init exempts every one, check --locked passes`, async () => {
      project = tempProject(files(path.join(FIXTURES, format)));
      const init = await runVet(['init'], { cwd: project.dir });
      expect(init.stderr).not.toContain('internal error');
      expect(init.code).toBe(0);
      const config = project.read('supply-chain/config.toml');
      const exempted = [...config.matchAll(/^\[\[exemptions\.(?:"([^"]+)"|(\S+))\]\]$/gm)].map((m) => m[1] ?? m[2]);
      expect(exempted.sort()).toEqual([...names].sort());
      const check = await runVet(['check', '--locked'], { cwd: project.dir });
      expect(check.stderr).not.toContain('internal error');
      expect(check.stdout).toContain(`Vetting Succeeded (${names.length} exempted)`);
      expect(check.code).toBe(0);
      // Unlocked, the store is copied before the registry refresh (the registry is unreachable here).
      const unlocked = await runVet(['check'], { cwd: project.dir });
      expect(unlocked.stderr).not.toContain('internal error');
      expect(unlocked.stdout).toContain(`Vetting Succeeded (${names.length} exempted)`);
      expect(unlocked.code).toBe(0);
    });
  }
});
