/**
 * `vet check --output-format github|markdown` through the built binary: annotations on the
 * lockfile line of the failing package, the job summary appended to $GITHUB_STEP_SUMMARY,
 * the same exit code in every format, and other commands refusing the CI formats.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { packageLock, runVet, tempProject, type TempProject } from './helpers/project.js';

const projects: TempProject[] = [];
afterAll(() => projects.forEach((p) => p.cleanup()));

const lockOf = (deps: Record<string, string>): string =>
  packageLock({
    deps,
    packages: Object.fromEntries(Object.entries(deps).map(([n, v]) => [`node_modules/${n}`, { version: v }])),
  });

async function failingProject(): Promise<TempProject> {
  const p = tempProject({
    'package.json': '{"name":"demo","version":"1.0.0"}\n',
    'package-lock.json': lockOf({ 'left-pad': '1.3.0' }),
  });
  projects.push(p);
  expect((await runVet(['init'], { cwd: p.dir })).code).toBe(0);
  p.write('package-lock.json', lockOf({ 'left-pad': '1.3.0', 'new-dep': '2.0.0' }));
  return p;
}

const lineOf = (text: string, needle: string): number => text.split('\n').indexOf(needle) + 1;

describe('vet check --output-format github', () => {
  it('annotates the lockfile line of the unvetted package and appends the job summary', async () => {
    const p = await failingProject();
    p.write('summary.md', '# earlier step\n');
    const r = await runVet(['check', '--locked', '--output-format', 'github'], {
      cwd: p.dir,
      env: { GITHUB_STEP_SUMMARY: `${p.dir}/summary.md` },
    });
    expect(r.code).toBe(1);
    const line = lineOf(p.read('package-lock.json'), '    "node_modules/new-dep": {');
    expect(line).toBeGreaterThan(0);
    expect(r.stdout).toBe(
      `::error file=package-lock.json,line=${line},title=vet%3A new-dep 2.0.0 is not vetted::new-dep:2.0.0 is missing safe-to-deploy%0ATo fix: vet inspect new-dep 2.0.0 && vet certify new-dep 2.0.0 --criteria safe-to-deploy\n` +
        'Vetting Failed!\n',
    );
    const summary = p.read('summary.md');
    expect(summary.startsWith('# earlier step\n### ❌ vet: Vetting Failed!\n')).toBe(true);
    expect(summary).toContain(`\`package-lock.json\` line ${line}`);
  });

  it('without $GITHUB_STEP_SUMMARY nothing else is written; a passing check prints only its headline', async () => {
    const p = await failingProject();
    p.write('package-lock.json', lockOf({ 'left-pad': '1.3.0' }));
    const r = await runVet(['check', '--locked', '--output-format', 'github'], { cwd: p.dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Vetting Succeeded \(1 exempted\)\n$/);
  });
});

describe('every format, one exit code', () => {
  it('human, json, github, sarif, markdown: exit 1 on the same failing project', async () => {
    const p = await failingProject();
    const codes: number[] = [];
    for (const f of ['human', 'json', 'github', 'sarif', 'markdown']) {
      codes.push((await runVet(['check', '--locked', '--output-format', f], { cwd: p.dir })).code);
    }
    expect(codes).toEqual([1, 1, 1, 1, 1]);
    const md = await runVet(['check', '--locked', '--output-format', 'markdown'], { cwd: p.dir });
    expect(md.stdout).toContain('- **error** · unvetted · `new-dep` `2.0.0` · `package-lock.json` line');
  });

  it('other commands refuse a CI format with a usage error (exit 2)', async () => {
    const p = await failingProject();
    const r = await runVet(['suggest', '--locked', '--output-format', 'sarif'], { cwd: p.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--output-format sarif is only for vet check');
  });
});
