/**
 * The bounded cache end to end (issue 12): a command that adds to the cache trims it to
 * `--cache-max`, least recently used first; `vet cache info` reports it, `vet cache clean` empties it.
 */
import { existsSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { packageLock, runVet, tempProject, type TempProject } from './helpers/project.js';

let p: TempProject | undefined;
afterEach(() => p?.cleanup());

const LOCK = packageLock({ deps: { a: '^1.0.0' }, packages: { 'node_modules/a': { version: '1.0.0' } } });

it('trims the cache to --cache-max after a command that added to it, oldest first; info and clean', async () => {
  p = tempProject({ 'package.json': '{"name":"demo","version":"1.0.0"}', 'package-lock.json': LOCK });
  const cache = path.join(p.dir, '.cache', 'vet');
  // Two old downloads of 300 KB, the older one first to go.
  for (const [name, age] of [
    ['sha512-aa', 3000],
    ['sha512-bb', 2000],
  ] as const) {
    mkdirSync(path.join(cache, 'tarballs'), { recursive: true });
    const file = path.join(cache, 'tarballs', name);
    writeFileSync(file, Buffer.alloc(300_000, 1));
    const t = new Date(Date.now() - age * 1000);
    utimesSync(file, t, t);
  }
  expect((await runVet(['init'], { cwd: p.dir })).code).toBe(0);
  const before = JSON.parse((await runVet(['cache', 'info', '--output-format', 'json'], { cwd: p.dir })).stdout) as {
    entries: number;
    bytes: number;
  };
  expect(before.entries).toBe(2);
  // check writes its parse-cache entry, then trims to 400 KB: the older tarball goes.
  const check = await runVet(['--cache-max', '400KB', 'check', '--locked'], { cwd: p.dir });
  expect(check.code).toBe(0);
  expect(existsSync(path.join(cache, 'tarballs', 'sha512-aa'))).toBe(false);
  expect(existsSync(path.join(cache, 'tarballs', 'sha512-bb'))).toBe(true);
  const info = await runVet(['cache', 'info'], { cwd: p.dir });
  expect(info.stdout).toContain(`cache: ${JSON.stringify(cache)}`);
  expect(info.stdout).toMatch(/limit: 2\.0 GiB \(default\)/);
  expect(info.stdout).toMatch(/tarballs .* 1\n/);
  expect(info.stdout).toMatch(/parse .* 1\n/);
  const clean = await runVet(['cache', 'clean'], { cwd: p.dir });
  expect(clean.stdout).toMatch(/^Removed \d+ cache entries/);
  const after = JSON.parse((await runVet(['cache', 'info', '--output-format', 'json'], { cwd: p.dir })).stdout) as {
    entries: number;
  };
  expect(after.entries).toBe(0);
  const bad = await runVet(['--cache-max', 'huge', 'check', '--locked'], { cwd: p.dir });
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain('invalid --cache-max');
});
