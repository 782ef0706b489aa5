/**
 * Which Python package index to talk to, read from the user's pip and uv configuration
 * (lockfiles.md §12.4) — vet never assumes a host. Highest priority first:
 *   1. PIP_INDEX_URL, then UV_DEFAULT_INDEX, then UV_INDEX_URL (environment);
 *   2. pip config files: PIP_CONFIG_FILE, site ($VIRTUAL_ENV/pip.conf), user
 *      ($XDG_CONFIG_HOME/pip/pip.conf, ~/.pip/pip.conf), global (/etc/xdg/pip/pip.conf,
 *      /etc/pip.conf); in a file `[install] index-url` beats `[global] index-url`;
 *   3. uv config files: UV_CONFIG_FILE, ./uv.toml, ./pyproject.toml [tool.uv], user and
 *      system uv.toml; `index-url`, or the `[[index]]` marked `default = true`.
 * `resolvePypiIndex` is pure (env + file texts in, answer out); `loadPypiIndex` reads the files.
 */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse as parseToml } from '@iarna/toml';
import { VetError } from '@vet/core';

export type EnvMap = Readonly<Record<string, string | undefined>>;

export interface ConfigFileText {
  path: string;
  kind: 'pip' | 'uv' | 'pyproject';
  text: string;
}

export interface PypiIndexConfig {
  /** Simple-API base URL, always ending in `/`. */
  indexUrl: string;
  /** Where it came from ("PIP_INDEX_URL", a file path), for messages. */
  from: string;
}

/** pip.conf is INI: `[section]`, `key = value` / `key: value`, `#`/`;` comments. */
export function parseIni(text: string): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  let section: Map<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const sec = /^\[([^\]]+)\]$/.exec(line);
    if (sec?.[1]) {
      section = out.get(sec[1].trim().toLowerCase()) ?? new Map<string, string>();
      out.set(sec[1].trim().toLowerCase(), section);
      continue;
    }
    const kv = /^([^=:]+)[=:](.*)$/.exec(line);
    if (kv?.[1] && section) section.set(kv[1].trim().toLowerCase().replace(/_/g, '-'), (kv[2] ?? '').trim());
  }
  return out;
}

function fromPipConf(text: string): string | undefined {
  const ini = parseIni(text);
  return ini.get('install')?.get('index-url') || ini.get('global')?.get('index-url') || undefined;
}

function fromUvToml(text: string, path: string, pyproject: boolean): string | undefined {
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text) as Record<string, unknown>;
  } catch (e) {
    throw new VetError('PARSE_ERROR', `${path}: invalid TOML`, { file: path, cause: e });
  }
  const tool = doc.tool as Record<string, unknown> | undefined;
  const uv = (pyproject ? tool?.uv : doc) as Record<string, unknown> | undefined;
  if (!uv) return undefined;
  const indexes = Array.isArray(uv.index) ? (uv.index as Array<Record<string, unknown>>) : [];
  const def = indexes.find((i) => i.default === true && typeof i.url === 'string');
  if (def) return def.url as string;
  return typeof uv['index-url'] === 'string' ? uv['index-url'] : undefined;
}

export function normalizeIndexUrl(url: string, from: string): string {
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    throw new VetError('INVALID_ARGUMENT', `the package index URL from ${from} is not a URL: ${url}`, { hint: 'set it to the simple index, e.g. https://<host>/simple/' });
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') {
    throw new VetError('INVALID_ARGUMENT', `the package index URL from ${from} must be http(s): ${u.protocol}`);
  }
  if (!u.pathname.endsWith('/')) u.pathname += '/';
  return u.href;
}

const ENV_KEYS = ['PIP_INDEX_URL', 'UV_DEFAULT_INDEX', 'UV_INDEX_URL'] as const;

/** Decide the index from the environment and config file texts, given highest-priority first. */
export function resolvePypiIndex(env: EnvMap, files: readonly ConfigFileText[]): PypiIndexConfig {
  for (const k of ENV_KEYS) {
    const v = env[k];
    if (v) return { indexUrl: normalizeIndexUrl(v, k), from: k };
  }
  for (const f of files) {
    const url = f.kind === 'pip' ? fromPipConf(f.text) : fromUvToml(f.text, f.path, f.kind === 'pyproject');
    if (url) return { indexUrl: normalizeIndexUrl(url, f.path), from: f.path };
  }
  throw new VetError('INVALID_ARGUMENT', 'no Python package index is configured', {
    hint: 'set PIP_INDEX_URL (or index-url in pip.conf, or index-url / [[index]] default = true in uv.toml), e.g. PIP_INDEX_URL=https://pypi.org/simple/',
  });
}

export interface LoadIndexOptions {
  env?: EnvMap;
  home?: string;
  cwd?: string;
}

/** Config files in priority order (highest first), as pip and uv look for them on POSIX. */
export function pypiConfigCandidates(options: LoadIndexOptions = {}): Array<Omit<ConfigFileText, 'text'>> {
  const env = options.env ?? process.env;
  const home = options.home ?? homedir();
  const cwd = options.cwd ?? process.cwd();
  const xdg = env.XDG_CONFIG_HOME || join(home, '.config');
  const pip = [
    env.PIP_CONFIG_FILE && env.PIP_CONFIG_FILE !== 'os.devnull' ? env.PIP_CONFIG_FILE : undefined,
    env.VIRTUAL_ENV ? join(env.VIRTUAL_ENV, 'pip.conf') : undefined,
    join(xdg, 'pip', 'pip.conf'),
    join(home, '.pip', 'pip.conf'),
    ...(env.XDG_CONFIG_DIRS ?? '/etc/xdg').split(':').filter(Boolean).map((d) => join(d, 'pip', 'pip.conf')),
    '/etc/pip.conf',
  ];
  const uv = [env.UV_CONFIG_FILE, join(cwd, 'uv.toml')];
  const uvUser = [join(xdg, 'uv', 'uv.toml'), '/etc/uv/uv.toml'];
  return [
    ...pip.filter((p): p is string => !!p).map((path) => ({ path, kind: 'pip' as const })),
    ...uv.filter((p): p is string => !!p).map((path) => ({ path, kind: 'uv' as const })),
    { path: join(cwd, 'pyproject.toml'), kind: 'pyproject' as const },
    ...uvUser.map((path) => ({ path, kind: 'uv' as const })),
  ];
}

/** Read the candidates that exist and resolve the index. */
export async function loadPypiIndex(options: LoadIndexOptions = {}): Promise<PypiIndexConfig> {
  const env = options.env ?? process.env;
  const files: ConfigFileText[] = [];
  for (const c of pypiConfigCandidates(options)) {
    const text = await readFile(c.path, 'utf8').catch(() => undefined);
    if (text !== undefined) files.push({ ...c, text });
  }
  return resolvePypiIndex(env, files);
}
