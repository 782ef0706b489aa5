/** Temp project trees from inline `{path: content}` maps, and a runner for the built `vet` binary. */
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const VET_BIN = path.join(REPO_ROOT, 'packages/cli/dist/bundle/bin.js');
export const SHARED = path.resolve(REPO_ROOT, '../shared');

export interface TempProject {
  dir: string;
  write(rel: string, content: string): void;
  read(rel: string): string;
  exists(rel: string): boolean;
  cleanup(): void;
}

export function tempProject(files: Record<string, string> = {}): TempProject {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vet-test-'));
  const p: TempProject = {
    dir,
    write(rel, content) {
      const full = path.join(dir, rel);
      mkdirSync(path.dirname(full), { recursive: true });
      writeFileSync(full, content);
    },
    read: (rel) => readFileSync(path.join(dir, rel), 'utf8'),
    exists: (rel) => existsSync(path.join(dir, rel)),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
  for (const [rel, content] of Object.entries(files)) p.write(rel, content);
  return p;
}

export interface VetRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the built CLI as a user would; HOME and caches point into the project so nothing leaks. */
export function runVet(
  args: string[],
  opts: { cwd: string; env?: Record<string, string>; input?: string },
): Promise<VetRun> {
  if (!existsSync(VET_BIN)) throw new Error(`${VET_BIN} is missing: run \`pnpm build\` first`);
  guardHome(path.join(opts.cwd, '.home'));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [VET_BIN, ...args], {
      cwd: opts.cwd,
      env: {
        PATH: process.env['PATH'] ?? '',
        HOME: path.join(opts.cwd, '.home'),
        XDG_CACHE_HOME: path.join(opts.cwd, '.cache'),
        GIT_CONFIG_NOSYSTEM: '1',
        ...opts.env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}

/** A package-lock.json v3 from a compact description. */
export function packageLock(spec: {
  name?: string;
  deps?: Record<string, string>;
  devDeps?: Record<string, string>;
  /** `name` is the real package name of an `npm:` alias installed under another folder. */
  packages: Record<
    string,
    { version: string; name?: string; dev?: boolean; deps?: Record<string, string>; integrity?: string }
  >;
}): string {
  const packages: Record<string, unknown> = {
    '': {
      name: spec.name ?? 'demo',
      version: '1.0.0',
      ...(spec.deps ? { dependencies: spec.deps } : {}),
      ...(spec.devDeps ? { devDependencies: spec.devDeps } : {}),
    },
  };
  for (const [p, e] of Object.entries(spec.packages)) {
    packages[p] = {
      ...(e.name ? { name: e.name } : {}),
      version: e.version,
      integrity: e.integrity ?? `sha512-${Buffer.from(`${p}@${e.version}`).toString('base64')}`,
      ...(e.dev ? { dev: true } : {}),
      ...(e.deps ? { dependencies: e.deps } : {}),
    };
  }
  return (
    JSON.stringify(
      { name: spec.name ?? 'demo', version: '1.0.0', lockfileVersion: 3, requires: true, packages },
      null,
      2,
    ) + '\n'
  );
}

/**
 * Nothing may reach the internet: the user-level npm and pip configuration point every
 * registry at a closed local port, so a stray request fails at once. A test's own registry
 * (project .npmrc, env) outranks it, exactly as for a real user.
 */
function guardHome(home: string): void {
  const npmrc = path.join(home, '.npmrc');
  if (!existsSync(npmrc)) {
    mkdirSync(path.join(home, '.config', 'pip'), { recursive: true });
    writeFileSync(npmrc, 'registry=http://127.0.0.1:9/\n');
    writeFileSync(path.join(home, '.config', 'pip', 'pip.conf'), '[global]\nindex-url = http://127.0.0.1:9/simple/\n');
  }
}

/**
 * A one-dependency npm project (left-pad 1.3.0 with the given integrity) and an empty store:
 * what a consumer of a notary starts from in the notary end-to-end tests.
 */
export function leftPadProject(leftPadIntegrity: string): TempProject {
  const lock = {
    name: 'demo',
    version: '1.0.0',
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': { name: 'demo', version: '1.0.0', dependencies: { 'left-pad': '1.3.0' } },
      'node_modules/left-pad': {
        version: '1.3.0',
        resolved: 'https://registry.example/left-pad/-/left-pad-1.3.0.tgz',
        integrity: leftPadIntegrity,
      },
    },
  };
  return tempProject({
    'package.json': JSON.stringify({ name: 'demo', version: '1.0.0', dependencies: { 'left-pad': '1.3.0' } }),
    'package-lock.json': JSON.stringify(lock, null, 2),
    'supply-chain/config.toml':
      '\n# cargo-vet config file\n\n[cargo-vet]\nversion = "0.10"\n\n[vet]\necosystem = "npm"\n',
    'supply-chain/audits.toml': '\n# cargo-vet audits file\n\n[audits]\n',
    'supply-chain/imports.lock': '\n# cargo-vet imports lock\n',
  });
}
