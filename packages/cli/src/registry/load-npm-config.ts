/**
 * I/O half of the npm configuration: finds and reads the npmrc files in npm's order and, only
 * when no layer sets `registry`, asks the installed npm for its built-in default (so no host is
 * ever hard-coded here). The pure half is npm-config.ts / npmrc.ts.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { VetError } from '@vet/core';
import { unscopedCredentialKeys } from './npm-auth.js';
import { npmConfigGet, type NpmConfig } from './npm-config.js';
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
   * npm's built-in default registry, asked for only when nothing sets `registry`.
   * Default: `npm config get registry`. Tests pass a function.
   */
  builtinRegistry?: () => Promise<string | undefined>;
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

/** `npm config get registry`, with a timeout; undefined when npm is not installed. */
export function askNpmForRegistry(cwd: string): Promise<string | undefined> {
  return new Promise((res) => {
    execFile('npm', ['config', 'get', 'registry'], { cwd, timeout: 15_000 }, (err, stdout) => {
      const value = String(stdout).trim();
      res(err || !value || value === 'undefined' ? undefined : value);
    });
  });
}

/** Read the whole npmrc chain. Missing files are fine; unreadable ones become warnings. */
export async function loadNpmConfig(options: LoadNpmConfigOptions = {}): Promise<NpmConfig> {
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
  };
  if (npmConfigGet(config, 'registry') === undefined) {
    const builtin = await (options.builtinRegistry ?? (() => askNpmForRegistry(root)))();
    if (builtin === undefined) {
      throw new VetError(
        'INVALID_ARGUMENT',
        'no npm registry is configured and npm could not be asked for its default',
        {
          hint: 'set registry=<url> in .npmrc or the npm_config_registry environment variable',
        },
      );
    }
    config.layers.push({ source: 'npm built-in default', values: new Map([['registry', builtin]]) });
  }
  return config;
}
