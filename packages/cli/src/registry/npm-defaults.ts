/**
 * What the user's package managers use when nothing is configured, asked of the package
 * managers themselves so that no registry host is ever written in vet:
 *  - the registry for this project: `npm config get registry`, run in the project folder, only
 *    when the npmrc chain sets none and vet is about to use the network;
 *  - the hosts of the built-in default registries, which a lockfile's `resolved` URL names when
 *    it means "whatever registry is configured" (npm's replace-registry-host = npmjs): npm's,
 *    asked with every configuration file and npm_config_* variable out of the way, and Yarn
 *    classic's alias host when yarn is installed (asked the same way).
 * Each question is asked at most once per process, and never needs the network
 * (corepack is told not to download a package manager to answer).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface NpmDefaults {
  /** The registry npm uses for the project when no npmrc file sets one; undefined when npm is not installed. */
  registry(): Promise<string | undefined>;
  /** Hosts of the package managers' built-in default registries (lower case). */
  defaultHosts(): Promise<readonly string[]>;
}

type Run = (cmd: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv }) => Promise<string | undefined>;

/** Runs a command with a timeout; its trimmed stdout, or undefined when it is missing or fails. */
export const runQuiet: Run = (cmd, args, opts) =>
  new Promise((res) => {
    execFile(cmd, args, { ...opts, timeout: 15_000, windowsHide: true }, (err, stdout) => {
      const out = String(stdout).trim();
      res(err || out === '' || out === 'undefined' ? undefined : out);
    });
  });

/** The environment without any package-manager settings, so a tool answers with its built-in default. */
function neutralEnv(env: NodeJS.ProcessEnv, home: string): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { HOME: home, USERPROFILE: home, COREPACK_ENABLE_NETWORK: '0' };
  for (const [k, v] of Object.entries(env)) if (!/^(npm_config_|yarn_|home$|userprofile$)/i.test(k)) out[k] = v;
  return out;
}

/** Asks `ask` in an empty folder with an empty home and empty config files. */
async function inScratch<T>(env: NodeJS.ProcessEnv, ask: (dir: string, env: NodeJS.ProcessEnv) => Promise<T>) {
  const dir = mkdtempSync(join(tmpdir(), 'vet-pm-defaults-'));
  try {
    for (const f of ['userconfig', 'globalconfig']) writeFileSync(join(dir, f), '');
    return await ask(dir, neutralEnv(env, dir));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function hostOf(url: string | undefined): string | undefined {
  if (url === undefined || !URL.canParse(url)) return undefined;
  return new URL(url).hostname.toLowerCase();
}

/** npm's built-in default registry: npm with no npmrc file and no npm_config_* variable in play. */
function npmBuiltin(run: Run, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  return inScratch(env, (dir, e) =>
    run(
      'npm',
      [
        'config',
        'get',
        'registry',
        `--prefix=${dir}`,
        `--userconfig=${dir}/userconfig`,
        `--globalconfig=${dir}/globalconfig`,
      ],
      { cwd: dir, env: e },
    ),
  );
}

/** Yarn's built-in default registry (classic: `registry`; Berry: `npmRegistryServer`), if yarn is installed. */
function yarnBuiltin(run: Run, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  return inScratch(env, async (dir, e) => {
    const classic = await run('yarn', ['config', 'get', 'registry', '--no-default-rc'], { cwd: dir, env: e });
    if (URL.canParse(classic ?? '')) return classic;
    return run('yarn', ['config', 'get', 'npmRegistryServer'], { cwd: dir, env: e });
  });
}

// One answer per question and environment for the whole process: a run that opens the registry
// twice (check, then its suggestions) still runs npm once.
const asked = new Map<string, Promise<unknown>>();

function once<T>(key: unknown[], ask: () => Promise<T>): Promise<T> {
  const k = JSON.stringify(key);
  let p = asked.get(k) as Promise<T> | undefined;
  if (!p) asked.set(k, (p = ask()));
  return p;
}

/** What an answer depends on besides the folder: where the tools are, and npm's own variables. */
function envKey(env: NodeJS.ProcessEnv): [string, string][] {
  return Object.entries(env)
    .filter(([k]) => /^(path|home|npm_config_.*|yarn_.*)$/i.test(k))
    .map(([k, v]) => [k, v ?? ''] as [string, string])
    .sort();
}

/** The defaults of the package managers installed here, asked lazily and at most once per process. */
export function packageManagerDefaults(
  projectDir: string,
  options: { env?: NodeJS.ProcessEnv; run?: Run } = {},
): NpmDefaults {
  const env = options.env ?? process.env;
  const run = options.run ?? runQuiet;
  const key = envKey(env);
  return {
    registry: () =>
      once(['registry', projectDir, key, options.run === undefined], () =>
        run('npm', ['config', 'get', 'registry'], { cwd: projectDir, env }),
      ),
    defaultHosts: () =>
      once(['hosts', key, options.run === undefined], () =>
        Promise.all([npmBuiltin(run, env), yarnBuiltin(run, env)]).then((urls) => [
          ...new Set(urls.map(hostOf).filter((h): h is string => h !== undefined)),
        ]),
      ),
  };
}
