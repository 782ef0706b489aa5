/**
 * `.npmrc` text → flat key/value map, the way npm reads it (the `ini` package plus
 * @npmcli/config's `${VAR}` expansion). Pure: the environment is a parameter.
 * Spec: lockfiles.md §12.4.
 */

/** One parsed npmrc layer: keys as written (after env expansion), last assignment wins. */
export interface NpmrcLayer {
  /** Where it came from ("env", "cli", or a file path), for messages. */
  source: string;
  values: Map<string, string | string[]>;
}

export type EnvLike = Readonly<Record<string, string | undefined>>;

/** @npmcli/config env-replace: `${VAR}` → value (left as-is when unset), `${VAR?}` → '' when unset, `\${…}` escapes. */
export function expandNpmEnv(text: string, env: EnvLike): string {
  return text.replace(/(?<!\\)(\\*)\$\{([^${}?]+)(\?)?\}/g, (orig, esc: string, name: string, mod?: string) => {
    const fallback = mod === '?' ? '' : `\${${name}}`;
    const value = env[name] ?? fallback;
    if (esc.length % 2) return orig.slice((esc.length + 1) / 2);
    return esc.slice(esc.length / 2) + value;
  });
}

/** ini's `unsafe()`: quoted values are JSON strings; otherwise an unescaped `;`/`#` starts a comment. */
function unquote(raw: string): string {
  const v = raw.trim();
  if ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'"))) {
    if (v.length >= 2 && v.startsWith("'")) return v.slice(1, -1);
    try {
      return String(JSON.parse(v));
    } catch {
      return v.slice(1, -1);
    }
  }
  let out = '';
  let escaping = false;
  for (const c of v) {
    if (escaping) {
      out += '\\;#'.includes(c) ? c : `\\${c}`;
      escaping = false;
    } else if (c === '\\') escaping = true;
    else if (c === ';' || c === '#') break;
    else out += c;
  }
  if (escaping) out += '\\';
  return out.trim();
}

/**
 * Parse npmrc text. Unknown keys are kept (callers pick what they need); `[section]` keys are
 * prefixed `section.` so they never shadow top-level settings (npm does not use sections).
 */
export function parseNpmrc(text: string, source: string, env: EnvLike): NpmrcLayer {
  const values = new Map<string, string | string[]>();
  let section = '';
  for (const line of text.split(/\r?\n/)) {
    if (/^\s*([;#]|$)/.test(line)) continue;
    const sec = /^\s*\[([^\]]*)\]\s*$/.exec(line);
    if (sec) {
      section = `${sec[1] ?? ''}.`;
      continue;
    }
    const eq = line.indexOf('=');
    const rawKey = unquote(eq === -1 ? line : line.slice(0, eq));
    const rawValue = eq === -1 ? 'true' : unquote(line.slice(eq + 1));
    let key = section + expandNpmEnv(rawKey, env);
    const value = expandNpmEnv(rawValue, env);
    if (key.endsWith('[]')) {
      key = key.slice(0, -2);
      const prev = values.get(key);
      values.set(key, [...(Array.isArray(prev) ? prev : prev === undefined ? [] : [prev]), value]);
    } else if (key !== '__proto__') {
      values.set(key, value);
    }
  }
  return { source, values };
}

/**
 * `npm_config_*` environment variables as a layer (@npmcli/config loadEnv): case-insensitive
 * prefix, `_` → `-` and lower-cased except for nerf-darted `//host/…` keys; empty values ignored.
 */
export function npmEnvLayer(env: EnvLike): NpmrcLayer {
  const values = new Map<string, string | string[]>();
  for (const [envKey, envVal] of Object.entries(env)) {
    if (!/^npm_config_/i.test(envKey) || envVal === undefined || envVal === '') continue;
    let key = envKey.slice('npm_config_'.length);
    if (!key.startsWith('//')) key = key.replace(/(?!^)_/g, '-').toLowerCase();
    values.set(key, envVal);
  }
  return { source: 'environment', values };
}
