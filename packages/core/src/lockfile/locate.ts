/**
 * Where a package's entry sits in its lockfile (1-based line), for annotations that land on
 * the right line. Readers do not record lines (that would slow every `check`); this scans
 * the text only when asked, i.e. for failing packages: the lines are split on the first
 * question and each question is one pass over them. One rule per format family, keyed by
 * the graph's `format` string: find the entry's key line, then its version line before the
 * next entry starts. When the version cannot be matched the first entry of that name is
 * given; when the name is absent, undefined.
 */
import { normalizePypiName } from './pypi/names.js';

export type LockfileFamily =
  | 'package-lock'
  | 'yarn'
  | 'pnpm'
  | 'bun'
  | 'toml-packages' // uv.lock, poetry.lock, Cargo.lock, pylock.toml
  | 'pipfile'
  | 'requirements';

/** The family of a graph's `format` ("package-lock v3", "pnpm 9.0", "Cargo.lock v4", …). */
export function lockfileFamily(format: string): LockfileFamily | undefined {
  const rules: Array<[RegExp, LockfileFamily]> = [
    [/^(package-lock|npm-shrinkwrap) /, 'package-lock'],
    [/^yarn /, 'yarn'],
    [/^pnpm /, 'pnpm'],
    [/^bun\.lock /, 'bun'],
    [/^(uv\.lock|poetry\.lock|Cargo\.lock|pylock\.toml) /, 'toml-packages'],
    [/^Pipfile\.lock /, 'pipfile'],
    [/^requirements\.txt/, 'requirements'],
  ];
  return rules.find(([re]) => re.test(format))?.[1];
}

interface EntryRule {
  /** This line starts an entry of the package. */
  isKey(line: string): boolean;
  /** This line starts some entry (ends the look-ahead). */
  isAnyKey(line: string): boolean;
  /** This line (the key line or one after it) names the version. */
  hasVersion(line: string): boolean;
}

const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const json = (s: string): string => esc(JSON.stringify(s).slice(1, -1));

function packageLockRule(name: string, version: string): EntryRule {
  // v2/v3: "node_modules/a/node_modules/<name>": {   v1: "<name>": {  (nested under dependencies)
  const key = new RegExp(`^\\s*"(?:[^"]*node_modules/)?${json(name)}": \\{`);
  return {
    isKey: (l) => key.test(l),
    isAnyKey: (l) =>
      /^\s*"[^"]*": \{/.test(l) &&
      !/^\s*"(dependencies|requires|engines|bin|funding|peerDependencies|optionalDependencies|devDependencies|peerDependenciesMeta|license|os|cpu|libc)": \{/.test(
        l,
      ),
    hasVersion: (l) => new RegExp(`^\\s*"version": "${json(version)}"`).test(l),
  };
}

function yarnRule(name: string, version: string): EntryRule {
  // v1: `name@^1, name@^1.1:`  berry: `"name@npm:^1, name@npm:^1.1":`, an alias `"alias@npm:name@^1"`;
  // then `  version "1.2.3"` (v1) or `  version: 1.2.3` (berry).
  const spec = new RegExp(`(^|, )"?(?:(?:@[^/"]+/)?[^@"]+@npm:)?${esc(name)}@`);
  const header = (l: string): boolean => !/^\s/.test(l) && l.trimEnd().endsWith(':') && !l.startsWith('#');
  return {
    isKey: (l) => header(l) && spec.test(l),
    isAnyKey: header,
    hasVersion: (l) => new RegExp(`^\\s+version:? "?${esc(version)}"?\\s*$`).test(l),
  };
}

function pnpmRule(name: string, version: string): EntryRule {
  // v9: `  name@1.0.0:`  v6-8: `  /name@1.0.0:`  v5: `  /name/1.0.0:`; quoted when scoped; peer
  // suffix `(…)` or `_…`; a git or file entry names its version on a `version:` line.
  const key = new RegExp(`^ {2}['"]?/?${esc(name)}[@/]`);
  const exact = new RegExp(`^ {2}['"]?/?${esc(name)}[@/]${esc(version)}(\\(|_|['"]?:)`);
  return {
    isKey: (l) => key.test(l),
    isAnyKey: (l) => /^ {2}\S/.test(l) || /^\S/.test(l),
    hasVersion: (l) => exact.test(l) || new RegExp(`^\\s+version: '?${esc(version)}'?$`).test(l),
  };
}

function bunRule(name: string, version: string): EntryRule {
  // "key": ["name@version", "", {…}, "sha512-…"]; git and file versions keep their spec.
  const key = new RegExp(`^\\s*"[^"]*": \\["${json(name)}@`);
  const exact = `["${JSON.stringify(`${name}@${version}`).slice(1, -1)}"`;
  return { isKey: (l) => key.test(l), isAnyKey: () => true, hasVersion: (l) => l.includes(exact) };
}

const pypiName = (s: string): string => normalizePypiName(s);

function tomlPackagesRule(name: string, version: string): EntryRule {
  // [[package]] / [[packages]] tables: name = "…" then version = "…" (Cargo git: `1.0.0@git:<rev>`).
  const bare = version.includes('@git:') ? version.slice(0, version.indexOf('@')) : version;
  const nameOf = (l: string): string | undefined => /^name\s*=\s*"([^"]*)"/.exec(l)?.[1];
  return {
    isKey: (l) => {
      const n = nameOf(l);
      return n !== undefined && (n === name || pypiName(n) === pypiName(name));
    },
    isAnyKey: (l) => nameOf(l) !== undefined || /^\[\[/.test(l),
    hasVersion: (l) => new RegExp(`^version\\s*=\\s*"${esc(bare)}"`).test(l),
  };
}

function pipfileRule(name: string, version: string): EntryRule {
  const keyName = (l: string): string | undefined => /^\s*"([^"]+)": \{/.exec(l)?.[1];
  return {
    isKey: (l) => {
      const n = keyName(l);
      return n !== undefined && pypiName(n) === pypiName(name);
    },
    isAnyKey: (l) => keyName(l) !== undefined,
    hasVersion: (l) => new RegExp(`^\\s*"version": "===?${esc(version)}"`).test(l),
  };
}

function requirementsRule(name: string, version: string): EntryRule {
  const req = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*===?\s*([^\s;\\]+)/;
  const match = (l: string): RegExpExecArray | null => req.exec(l);
  return {
    isKey: (l) => {
      const m = match(l);
      return m !== null && pypiName(m[1]!) === pypiName(name);
    },
    isAnyKey: () => false,
    hasVersion: (l) => match(l)?.[2] === version,
  };
}

const RULES: Record<LockfileFamily, (name: string, version: string) => EntryRule> = {
  'package-lock': packageLockRule,
  yarn: yarnRule,
  pnpm: pnpmRule,
  bun: bunRule,
  'toml-packages': tomlPackagesRule,
  pipfile: pipfileRule,
  requirements: requirementsRule,
};

const LOOKAHEAD = 40;

/** The 0-based line of the first entry `rule` matches with its version, and of the first entry at all. */
function scan(lines: readonly string[], rule: EntryRule): { exact?: number; first?: number } {
  let first: number | undefined;
  for (let i = 0; i < lines.length; i++) {
    if (!rule.isKey(lines[i]!)) continue;
    first ??= i;
    if (rule.hasVersion(lines[i]!)) return { exact: i, first };
    for (let j = i + 1; j < Math.min(lines.length, i + LOOKAHEAD); j++) {
      if (rule.isAnyKey(lines[j]!)) break;
      if (rule.hasVersion(lines[j]!)) return { exact: i, first };
    }
  }
  return first === undefined ? {} : { first };
}

/**
 * package-lock npm aliases: `"node_modules/foo": { "name": "bar", "version": "1.0.0" }` (v2/v3)
 * or `"foo": { "version": "npm:bar@1.0.0" }` (v1) — the key names the alias, the entry the package.
 */
function packageLockAliasRule(name: string, version: string): EntryRule {
  const base = packageLockRule(name, version);
  const nameLine = new RegExp(`^\\s*"name": "${json(name)}",?$`);
  const v1 = new RegExp(`^\\s*"version": "npm:${json(name)}@${json(version)}"`);
  return {
    isKey: (l) => base.isAnyKey(l),
    isAnyKey: (l) => base.isAnyKey(l),
    // The entry's version line, once its name line was seen (npm writes `name` before `version`).
    hasVersion: (() => {
      let named = false;
      return (l: string): boolean => {
        if (base.isAnyKey(l)) named = false;
        if (v1.test(l)) return true;
        if (nameLine.test(l)) named = true;
        return named && base.hasVersion(l);
      };
    })(),
  };
}

function findLine(lines: readonly string[], family: LockfileFamily, name: string, version: string): number | undefined {
  const direct = scan(lines, RULES[family](name, version));
  if (direct.exact !== undefined) return direct.exact + 1;
  if (family === 'package-lock') {
    const alias = scan(lines, packageLockAliasRule(name, version));
    if (alias.exact !== undefined) return alias.exact + 1;
  }
  return direct.first === undefined ? undefined : direct.first + 1;
}

/**
 * A locator over one lockfile's text: `(name, version) → line`. The text is split into lines
 * on the first call only. Undefined for a format without a rule.
 */
export function lockfileLineLocator(
  text: string,
  format: string,
): ((name: string, version: string) => number | undefined) | undefined {
  const family = lockfileFamily(format);
  if (family === undefined) return undefined;
  let lines: string[] | undefined;
  return (name, version) => {
    lines ??= text.split(/\r?\n/);
    return findLine(lines, family, name, version);
  };
}
