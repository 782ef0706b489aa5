/**
 * npm's `os`, `cpu` and `libc` fields as lockfiles record them (package-lock v2/v3 entries,
 * pnpm `packages:` entries, bun tuple info, yarn berry `conditions:`): the platforms a package
 * installs on. Only read here; `vet check --platform` evaluates them (platform/npm.ts).
 */
import type { PlatformConstraint } from '../../graph.js';
import { isRecord, type Json } from './text.js';

const FIELDS = ['os', 'cpu', 'libc'] as const;

function stringList(v: unknown): string[] | undefined {
  if (typeof v === 'string') return v === '' ? undefined : [v];
  if (!Array.isArray(v)) return undefined;
  const list = v.filter((x): x is string => typeof x === 'string' && x !== '');
  return list.length > 0 ? list : undefined;
}

/** The constraint of a package.json-shaped entry, or undefined when it installs everywhere. */
export function npmPlatformOf(entry: Json | undefined): PlatformConstraint | undefined {
  if (entry === undefined || !isRecord(entry)) return undefined;
  // Most entries install everywhere: no object to build.
  if (entry['os'] === undefined && entry['cpu'] === undefined && entry['libc'] === undefined) return undefined;
  const out: PlatformConstraint = {};
  for (const f of FIELDS) {
    const list = stringList(entry[f]);
    if (list !== undefined) out[f] = list;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Yarn berry `conditions: os=darwin & cpu=arm64` (an `&`-joined list of key=value). */
export function berryConditions(text: string | undefined): PlatformConstraint | undefined {
  // Alternatives (`|`, parentheses) are not read: such a package counts as installing everywhere.
  if (text === undefined || /[|()]/.test(text)) return undefined;
  const out: PlatformConstraint = {};
  for (const part of text.split('&')) {
    const m = /^\s*(os|cpu|libc)\s*=\s*(\S+)\s*$/.exec(part);
    if (m) (out[m[1] as 'os' | 'cpu' | 'libc'] ??= []).push(m[2]!);
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
