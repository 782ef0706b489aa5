/**
 * `[workspace] members` / `exclude` patterns. Cargo expands members with the `glob` crate,
 * which matches one path component at a time: `*`, `?` and `[…]`/`[!…]` stay inside a
 * component and `**` spans any number of them.
 */
import { normalizeRelDir } from './paths.js';

export function hasGlobMeta(pattern: string): boolean {
  return /[*?[]/.test(pattern);
}

/** Does the workspace-relative directory `dir` match the member pattern? */
export function globMatchesDir(pattern: string, dir: string): boolean {
  const pat = splitDir(normalizeRelDir(pattern));
  return matchSegments(pat, splitDir(dir));
}

function splitDir(p: string): string[] {
  return p === '' ? [] : p.split('/');
}

function matchSegments(pat: string[], parts: string[]): boolean {
  if (pat.length === 0) return parts.length === 0;
  const [head, ...rest] = pat as [string, ...string[]];
  if (head === '**') {
    for (let i = 0; i <= parts.length; i++) if (matchSegments(rest, parts.slice(i))) return true;
    return false;
  }
  const [part, ...others] = parts;
  return part !== undefined && segmentRegex(head).test(part) && matchSegments(rest, others);
}

const cache = new Map<string, RegExp>();

/** One component's pattern as an anchored regex. */
export function segmentRegex(seg: string): RegExp {
  const hit = cache.get(seg);
  if (hit) return hit;
  let re = '';
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i] as string;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = seg.indexOf(']', i + 2);
      if (end < 0) {
        re += '\\[';
        continue;
      }
      let body = seg.slice(i + 1, end);
      if (body.startsWith('!')) body = `^${body.slice(1)}`;
      re += `[${body.replace(/\\/g, '\\\\')}]`;
      i = end;
    } else re += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  const out = new RegExp(`^${re}$`);
  cache.set(seg, out);
  return out;
}
