/**
 * Core's folders form a DAG where the verdict is built: the resolver knows nothing of
 * notaries (content binding lives in the resolver; the k-of-n policy in check/, above both),
 * so no import path leads from a folder back to itself through resolver, notary or check.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = __dirname;
const GUARDED = ['resolver', 'notary', 'check'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === '__fixtures__' ? [] : sourceFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [p] : [];
  });
}

const folderOf = (file: string): string => relative(SRC, file).split('/')[0]!.replace(/\.ts$/, '');

/** folder → folders it imports (relative imports only). */
function folderGraph(): Map<string, Set<string>> {
  const g = new Map<string, Set<string>>();
  for (const file of sourceFiles(SRC)) {
    const from = folderOf(file);
    const edges = g.get(from) ?? g.set(from, new Set()).get(from)!;
    for (const m of readFileSync(file, 'utf8').matchAll(/from '(\.{1,2}\/[^']+)'/g)) {
      const to = folderOf(join(file, '..', m[1]!));
      if (to !== from) edges.add(to);
    }
  }
  return g;
}

/** Folders reachable from `start` (not counting itself unless a cycle leads back). */
function reachable(g: Map<string, Set<string>>, start: string): Set<string> {
  const seen = new Set<string>();
  const stack = [...(g.get(start) ?? [])];
  while (stack.length > 0) {
    const f = stack.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    stack.push(...(g.get(f) ?? []));
  }
  return seen;
}

describe('core folder layering', () => {
  it('no import cycle passes through resolver, notary or check', () => {
    const g = folderGraph();
    expect(GUARDED.filter((f) => reachable(g, f).has(f))).toEqual([]);
  });

  it('the resolver does not import the notary folder, and the notary does not import check', () => {
    const g = folderGraph();
    expect(reachable(g, 'resolver').has('notary')).toBe(false);
    expect(reachable(g, 'notary').has('check')).toBe(false);
  });
});
