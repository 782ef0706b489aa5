/**
 * I/O half of the npm configuration: finds and reads the npmrc files in npm's order, and
 * attaches the package managers' own defaults (npm-defaults.ts), which are asked only when a
 * request needs them — the registry when no layer sets one, so no host is ever hard-coded here.
 * The pure half is npm-config.ts / npmrc.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { unscopedCredentialKeys } from './npm-auth.js';
import { npmConfigGet, type NpmConfig } from './npm-config.js';
import { packageManagerDefaults, type NpmDefaults } from './npm-defaults.js';
import { npmEnvLayer, parseNpmrc, type EnvLike, type NpmrcLayer } from './npmrc.js';

export interface LoadNpmConfigOptions {
  /** Where to start looking for the project root; default process.cwd(). */
  cwd?: string;
  /** The project root (the lockfile's folder), when the caller knows it; skips the walk up. */
  projectDir?: string;
  env?: EnvLike;
  /** Home directory for `~/.npmrc`; default os.homedir(). */
  home?: string;
  /** Highest-priority settings, e.g. from `--registry` (keys as in npmrc). */
  overrides?: Record<string, string>;
  /**
   * The package managers' own defaults, asked only when needed (nothing sets `registry`, or a
   * lockfile URL may name a default registry). Default: ask the installed npm (and yarn).
   */
  defaults?: NpmDefaults;
}

/** npm's localPrefix: the nearest folder upward holding package.json or node_modules. */
export function findNpmProjectRoot(start: string): string {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) || existsSync(join(dir, 'node_modules'))) return dir;
    if (dirname(dir) === dir) return resolve(start);
  }
}

function readLayer(file: string, env: EnvLike, warnings: string[]): NpmrcLayer | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') warnings.push(`could not read ${file}: ${String(e)}`);
    return undefined;
  }
  return parseNpmrc(text, file, env);
}

/** The environment npm is run with: the one vet was given (tests pass their own). */
function processEnv(env: EnvLike): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(env)) if (typeof v === 'string') out[k] = v;
  return out;
}

/** Read the whole npmrc chain. Missing files are fine; unreadable ones become warnings. */
export function loadNpmConfig(options: LoadNpmConfigOptions = {}): Promise<NpmConfig> {
  return new Promise((res) => res(readNpmConfig(options)));
}

function readNpmConfig(options: LoadNpmConfigOptions): NpmConfig {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const warnings: string[] = [];
  const overrides: NpmrcLayer = { source: 'command line', values: new Map(Object.entries(options.overrides ?? {})) };
  const envLayer = npmEnvLayer(env);
  const root = options.projectDir ?? findNpmProjectRoot(cwd);
  const project = readLayer(join(root, '.npmrc'), env, warnings);
  const upper: NpmConfig = { layers: [overrides, envLayer, ...(project ? [project] : [])], warnings, files: [] };
  const userFile = resolve(cwd, npmConfigGet(upper, 'userconfig') ?? join(options.home ?? homedir(), '.npmrc'));
  const user = userFile === join(root, '.npmrc') ? undefined : readLayer(userFile, env, warnings);
  const prefix = npmConfigGet(upper, 'prefix') ?? dirname(dirname(process.execPath));
  const globalFile = resolve(cwd, npmConfigGet(upper, 'globalconfig') ?? join(prefix, 'etc', 'npmrc'));
  const global = readLayer(globalFile, env, warnings);
  const fileLayers = [project, user, global].filter((l): l is NpmrcLayer => l !== undefined);
  for (const layer of [envLayer, ...fileLayers]) {
    for (const key of unscopedCredentialKeys(layer.values.keys())) {
      warnings.push(`${layer.source}: ignoring "${key}" because it is not scoped to a registry (use //host/:${key}=…)`);
      layer.values.delete(key);
    }
  }
  const config: NpmConfig = {
    layers: [overrides, envLayer, ...fileLayers],
    warnings,
    files: fileLayers.map((l) => l.source).reverse(),
    defaults: options.defaults ?? packageManagerDefaults(root, { env: processEnv(env) }),
  };
  return config;
}
