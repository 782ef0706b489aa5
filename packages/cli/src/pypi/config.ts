/**
 * Which Python package index to talk to, read from the user's pip and uv configuration
 * (lockfiles.md §12.4) — vet never assumes a host. Highest priority first:
 *   1. PIP_INDEX_URL, then UV_DEFAULT_INDEX, then UV_INDEX_URL (environment);
 *   2. pip config files: PIP_CONFIG_FILE, site ($VIRTUAL_ENV/pip.conf), user
 *      ($XDG_CONFIG_HOME/pip/pip.conf, ~/.pip/pip.conf), global (/etc/xdg/pip/pip.conf,
 *      /etc/pip.conf); in a file `[install] index-url` beats `[global] index-url`;
 *   3. uv config files: UV_CONFIG_FILE, ./uv.toml, ./pyproject.toml [tool.uv], user and
 *      system uv.toml; `index-url`, or the `[[index]]` marked `default = true`.
 * With none of these, pip is asked (then uv) which index it uses — its built-in default when
 * nothing is configured (tool-defaults.ts); vet itself names no index host.
 * Extra indexes are searched after it, in order, for releases it does not have:
 * PIP_EXTRA_INDEX_URL, then UV_INDEX / UV_EXTRA_INDEX_URL (space-separated lists), else the
 * highest-priority file that sets `extra-index-url` (pip, whitespace-separated, continuation
 * lines allowed) or lists `[[index]]` entries other than the default / `extra-index-url` (uv).
 * Searching several indexes is safe here because every download is checked against the hash
 * the lockfile pins (or the index states) before use.
 * `resolvePypiIndex` is pure (env + file texts in, answer out); `loadPypiIndex` reads the files.
 */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { VetError, parseTomlText } from '@vet/core';
import { askPythonToolsForIndex, type ToolIndex } from './tool-defaults.js';

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
  /** Further simple-API base URLs, searched in order after `indexUrl`; each ends in `/`. */
  extraIndexUrls: string[];
}

/**
 * pip.conf is INI (Python's configparser): `[section]`, `key = value` / `key: value`, `#`/`;`
 * comments, and indented continuation lines that extend the previous value (pip's documented
 * way to list several `extra-index-url`s).
 */
export function parseIni(text: string): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  let section: Map<string, string> | undefined;
  let lastKey: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    if (/^\s/.test(raw) && section && lastKey !== undefined) {
      section.set(lastKey, `${section.get(lastKey) ?? ''}\n${line}`.trim());
      continue;
    }
    lastKey = undefined;
    const sec = /^\[([^\]]+)\]$/.exec(line);
    if (sec?.[1]) {
      section = out.get(sec[1].trim().toLowerCase()) ?? new Map<string, string>();
      out.set(sec[1].trim().toLowerCase(), section);
      continue;
    }
    const kv = /^([^=:]+)[=:](.*)$/.exec(line);
    if (kv?.[1] && section) {
      lastKey = kv[1].trim().toLowerCase().replace(/_/g, '-');
      section.set(lastKey, (kv[2] ?? '').trim());
    }
  }
  return out;
}

const splitList = (v: string | undefined): string[] => (v ?? '').split(/\s+/).filter(Boolean);

/** `[install]` beats `[global]`, as for pip's install command. */
function iniOption(ini: ReturnType<typeof parseIni>, key: string): string | undefined {
  return ini.get('install')?.get(key) || ini.get('global')?.get(key) || undefined;
}

function uvSettings(text: string, path: string, pyproject: boolean): Record<string, unknown> | undefined {
  const doc = parseTomlText(text, path) as Record<string, unknown>;
  const tool = doc.tool as Record<string, unknown> | undefined;
  return (pyproject ? tool?.uv : doc) as Record<string, unknown> | undefined;
}

function uvIndexes(uv: Record<string, unknown>): Array<Record<string, unknown>> {
  return Array.isArray(uv.index)
    ? (uv.index as Array<Record<string, unknown>>).filter((i) => typeof i?.url === 'string')
    : [];
}

function fromUvToml(uv: Record<string, unknown>): string | undefined {
  const def = uvIndexes(uv).find((i) => i.default === true);
  if (def) return def.url as string;
  return typeof uv['index-url'] === 'string' ? uv['index-url'] : undefined;
}

function extrasFromUvToml(uv: Record<string, unknown>): string[] {
  const named = uvIndexes(uv)
    .filter((i) => i.default !== true)
    .map((i) => i.url as string);
  const extra = Array.isArray(uv['extra-index-url'])
    ? (uv['extra-index-url'] as unknown[]).filter((u): u is string => typeof u === 'string')
    : [];
  return [...named, ...extra];
}

export function normalizeIndexUrl(url: string, from: string): string {
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    throw new VetError('INVALID_ARGUMENT', `the package index URL from ${from} is not a URL: ${url}`, {
      hint: 'set it to the simple index, e.g. https://<host>/simple/',
    });
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') {
    throw new VetError('INVALID_ARGUMENT', `the package index URL from ${from} must be http(s): ${u.protocol}`);
  }
  if (!u.pathname.endsWith('/')) u.pathname += '/';
  return u.href;
}

const ENV_KEYS = ['PIP_INDEX_URL', 'UV_DEFAULT_INDEX', 'UV_INDEX_URL'] as const;

const EXTRA_ENV_KEYS = ['PIP_EXTRA_INDEX_URL', 'UV_INDEX', 'UV_EXTRA_INDEX_URL'] as const;

/** The setting a user without any configures, for the error that says nothing is. */
export const NO_INDEX_HINT =
  "set PIP_INDEX_URL (or index-url in pip.conf, or index-url / [[index]] default = true in uv.toml) to your package index's simple API URL";

export function noIndexError(message = 'no Python package index is configured'): VetError {
  return new VetError('INVALID_ARGUMENT', message, { hint: NO_INDEX_HINT, details: { setting: 'PIP_INDEX_URL' } });
}

/**
 * Decide the indexes from the environment and config file texts, given highest-priority first.
 * `fallback` is the primary index when nothing sets one (what pip says it uses); without it,
 * an error names the setting.
 */
export function resolvePypiIndex(env: EnvMap, files: readonly ConfigFileText[], fallback?: ToolIndex): PypiIndexConfig {
  const r = configuredPypiIndex(env, files, fallback);
  if (!r) throw noIndexError();
  return r;
}

/** resolvePypiIndex, but undefined when nothing sets the primary index and there is no fallback. */
export function configuredPypiIndex(
  env: EnvMap,
  files: readonly ConfigFileText[],
  fallback?: ToolIndex,
): PypiIndexConfig | undefined {
  // A file is parsed only when the search reaches it: a broken file below the one that
  // answers must not stop vet, as it does not stop pip or uv.
  const parsed = new Map<ConfigFileText, { index?: string; extras: string[] }>();
  const facts = (f: ConfigFileText) => {
    let r = parsed.get(f);
    if (r === undefined) {
      if (f.kind === 'pip') {
        const ini = parseIni(f.text);
        r = { index: iniOption(ini, 'index-url'), extras: splitList(iniOption(ini, 'extra-index-url')) };
      } else {
        const uv = uvSettings(f.text, f.path, f.kind === 'pyproject');
        r = { index: uv && fromUvToml(uv), extras: uv ? extrasFromUvToml(uv) : [] };
      }
      parsed.set(f, r);
    }
    return r;
  };
  let primary: { indexUrl: string; from: string } | undefined;
  for (const k of ENV_KEYS) {
    const v = env[k];
    if (v && !primary) primary = { indexUrl: normalizeIndexUrl(v, k), from: k };
  }
  for (const f of files) {
    if (primary) break;
    const url = facts(f).index;
    if (url) primary = { indexUrl: normalizeIndexUrl(url, f.path), from: f.path };
  }
  if (!primary && fallback)
    primary = { indexUrl: normalizeIndexUrl(fallback.indexUrl, fallback.from), from: fallback.from };
  if (!primary) return undefined;
  // Like pip, the highest-priority setting of the extras wins as a whole (no merging).
  let extras: Array<{ url: string; from: string }> = [];
  for (const k of EXTRA_ENV_KEYS) {
    if (extras.length === 0 && env[k]) extras = splitList(env[k]).map((url) => ({ url, from: k }));
  }
  for (const f of files) {
    if (extras.length > 0) break;
    extras = facts(f).extras.map((url) => ({ url, from: f.path }));
  }
  const extraIndexUrls: string[] = [];
  for (const e of extras) {
    const url = normalizeIndexUrl(e.url, e.from);
    if (url !== primary.indexUrl && !extraIndexUrls.includes(url)) extraIndexUrls.push(url);
  }
  return { ...primary, extraIndexUrls };
}

export interface LoadIndexOptions {
  env?: EnvMap;
  home?: string;
  cwd?: string;
  /** Which index pip (or uv) uses, asked only when no configuration names one; default: ask them. */
  askTools?: () => Promise<ToolIndex | undefined>;
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
    ...(env.XDG_CONFIG_DIRS ?? '/etc/xdg')
      .split(':')
      .filter(Boolean)
      .map((d) => join(d, 'pip', 'pip.conf')),
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

/** Read the candidates that exist and resolve the index; with none configured, ask pip (then uv). */
export async function loadPypiIndex(options: LoadIndexOptions = {}): Promise<PypiIndexConfig> {
  const env = options.env ?? process.env;
  const files: ConfigFileText[] = [];
  for (const c of pypiConfigCandidates(options)) {
    const text = await readFile(c.path, 'utf8').catch(() => undefined);
    if (text !== undefined) files.push({ ...c, text });
  }
  const configured = configuredPypiIndex(env, files);
  if (configured) return configured;
  const ask = options.askTools ?? (() => askPythonToolsForIndex(options.cwd ?? process.cwd(), { ...env }));
  const tool = await ask();
  if (!tool)
    throw noIndexError(
      'no Python package index is configured, and neither pip nor uv is installed to say which one they use',
    );
  return resolvePypiIndex(env, files, tool);
}
