/**
 * vet's SARIF checked by Microsoft's SARIF Multitool (`validate`, the SARIF schema rules and
 * the GitHub code-scanning rules `Gh`), not only by our own reading of the spec: the report
 * with one failure of each kind, and the built binary's output on a real project. A broken
 * log is fed first, so a validator that checks nothing fails the test.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkFindings } from '../packages/core/src/check/findings.js';
import { EVERY_KIND_LOCK, everyKind } from '../packages/core/src/check/__fixtures__/every-kind.js';
import { formatCheckSarif } from '../packages/core/src/check/format-sarif.js';
import { lockfileLineLocator } from '../packages/core/src/lockfile/locate.js';
import { packageLock, runVet, tempProject, type TempProject } from './helpers/project.js';

// The package's index resolves the platform binary (a self-contained .NET build; no runtime needed).
const MULTITOOL = createRequire(import.meta.url)('@microsoft/sarif-multitool') as string;
const dir = mkdtempSync(path.join(tmpdir(), 'vet-sarif-'));
const projects: TempProject[] = [];
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  projects.forEach((p) => p.cleanup());
});

interface Verdict {
  errors: string[];
  warnings: string[];
}

/** Run `validate` with the SARIF and GitHub rule kinds; the findings come back as a SARIF log. */
function validate(name: string, sarif: string): Verdict {
  const input = path.join(dir, `${name}.sarif`);
  const output = path.join(dir, `${name}.validation.sarif`);
  writeFileSync(input, sarif);
  const run = spawnSync(MULTITOOL, ['validate', input, '--output', output, '--rule-kind', 'Sarif;Gh'], {
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1' },
  });
  expect(run.status, run.stderr + run.stdout).toBe(0);
  const log = JSON.parse(readFileSync(output, 'utf8')) as {
    runs: [{ results?: { ruleId: string; level?: string; message: { arguments?: string[] } }[] }];
  };
  const text = (r: { ruleId: string; message: { arguments?: string[] } }) =>
    `${r.ruleId}: ${(r.message.arguments ?? []).join(' | ')}`;
  const results = log.runs[0].results ?? [];
  return {
    errors: results.filter((r) => (r.level ?? 'warning') === 'error').map(text),
    warnings: results.filter((r) => r.level === 'warning').map(text),
  };
}

const lockOf = (deps: Record<string, string>): string =>
  packageLock({
    deps,
    packages: Object.fromEntries(Object.entries(deps).map(([n, v]) => [`node_modules/${n}`, { version: v }])),
  });

describe('SARIF Multitool', () => {
  it('the validator is live: a log with a missing driver name and a bad level has errors', () => {
    const broken = '{"version":"2.1.0","runs":[{"tool":{"driver":{}},"results":[{"level":"bogus"}]}]}';
    expect(validate('broken', broken).errors.length).toBeGreaterThanOrEqual(2);
  }, 130_000);

  it('one failure of each kind: no errors; the only warning asks for an informationUri', () => {
    const findings = checkFindings(everyKind(), {
      lockfile: 'package-lock.json',
      locate: lockfileLineLocator(EVERY_KIND_LOCK, 'package-lock v3'),
    });
    const v = validate('every-kind', formatCheckSarif(findings, { version: '0.1.0' }));
    expect(v.errors).toEqual([]);
    // vet has no public home page to name (no registry or project host in the repository).
    expect(v.warnings.every((w) => w.startsWith('SARIF2005'))).toBe(true);
  }, 130_000);

  it('with --platform exclusions in the run property bag: still no errors', () => {
    const findings = checkFindings(everyKind(), {
      lockfile: 'package-lock.json',
      locate: lockfileLineLocator(EVERY_KIND_LOCK, 'package-lock v3'),
    });
    const scope = { platforms: ['linux-x64-glibc'], excluded: [{ name: '@esbuild/darwin-arm64', version: '0.20.1' }] };
    const sarif = formatCheckSarif(findings, { version: '0.1.0', scoped: [{ lockfile: 'package-lock.json', scope }] });
    expect(sarif).toContain('"excludedByPlatform"');
    const v = validate('platform', sarif);
    expect(v.errors).toEqual([]);
    expect(v.warnings.every((w) => w.startsWith('SARIF2005'))).toBe(true);
  }, 130_000);

  it('vet check --output-format sarif on a project with an unvetted package: valid, exit 1', async () => {
    const p = tempProject({
      'package.json': '{"name":"demo","version":"1.0.0"}\n',
      'package-lock.json': lockOf({ 'left-pad': '1.3.0' }),
    });
    projects.push(p);
    expect((await runVet(['init'], { cwd: p.dir })).code).toBe(0);
    p.write('package-lock.json', lockOf({ 'left-pad': '1.3.0', 'new-dep': '2.0.0' }));
    const r = await runVet(['check', '--locked', '--output-format', 'sarif'], { cwd: p.dir });
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as {
      runs: [{ results: { ruleId: string; locations: [{ physicalLocation: { region: { startLine: number } } }] }[] }];
    };
    expect(doc.runs[0].results.map((x) => x.ruleId)).toEqual(['vet/unvetted']);
    const line = p.read('package-lock.json').split('\n').indexOf('    "node_modules/new-dep": {') + 1;
    expect(line).toBeGreaterThan(0);
    expect(doc.runs[0].results[0]!.locations[0].physicalLocation.region.startLine).toBe(line);
    expect(validate('cli', r.stdout).errors).toEqual([]);
  }, 130_000);
});
