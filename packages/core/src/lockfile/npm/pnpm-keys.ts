/**
 * pnpm package keys and dependency references per lockfile version (spec lockfiles.md §2, §15.4):
 *   5.x  `/name/1.0.0_peer@1+other@2`   (`_…` peer suffix, scoped names have two segments)
 *   6.x  `/name@1.0.0(peer@1.0.0)`
 *   9.0  `name@1.0.0` in `packages`, `name@1.0.0(peer@1.0.0)(patch_hash=…)` in `snapshots`
 * Name and version are split before suffixes are stripped; suffixes start at the first `(`.
 */
import { splitNameAt } from './source.js';

export type PnpmMajor = 5 | 6 | 9;

/** Drop the peer / patch suffix of a v6/v9 key: everything from the first `(`. */
export function stripParenSuffix(key: string): string {
  const paren = key.indexOf('(');
  return paren < 0 ? key : key.slice(0, paren);
}

/** name and version of a package key, or undefined when the key is not `name@version`-shaped. */
export function splitPnpmKey(key: string, major: PnpmMajor): { name: string; version: string } | undefined {
  if (major === 5) return splitV5Key(key);
  const bare = major === 6 && key.startsWith('/') ? key.slice(1) : key;
  const split = splitNameAt(bare);
  if (split === undefined) return undefined;
  return { name: split.name, version: stripParenSuffix(split.rest) };
}

function splitV5Key(key: string): { name: string; version: string } | undefined {
  if (!key.startsWith('/')) return undefined;
  const parts = key.slice(1).split('/');
  const nameParts = parts[0]?.startsWith('@') ? 2 : 1;
  if (parts.length !== nameParts + 1) return undefined;
  const name = parts.slice(0, nameParts).join('/');
  const raw = parts[nameParts] ?? '';
  const underscore = raw.indexOf('_');
  return { name, version: underscore < 0 ? raw : raw.slice(0, underscore) };
}

/**
 * Candidate keys a dependency value can refer to, most likely first. A value is either a version
 * (with peer suffix) of the dependency's own name, or a full key (aliases: `/real/1.0.0` in 5.x,
 * `/real@1.0.0` in 6.x, `real@1.0.0` in 9.0; non-registry packages: their own key).
 */
export function depKeyCandidates(name: string, value: string, major: PnpmMajor): string[] {
  if (major === 9) return [`${name}@${value}`, value];
  if (value.startsWith('/')) return [value];
  return [major === 5 ? `/${name}/${value}` : `/${name}@${value}`, value];
}
