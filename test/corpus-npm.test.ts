/**
 * Every lockfile in ../shared/corpus/npm against the counts in its MANIFEST.md (counted there by an
 * independent script). The MANIFEST table is parsed, not copied, so the comparison is with the
 * published numbers; where ours legitimately differ, the exact number is asserted and explained.
 * Skips, saying why, when the corpus is not checked out next to the repo.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DependencyGraph } from '@vet/core';
import { computeDevOnly } from '@vet/core';
import { readNpmLockfile } from '@vet/core/node';

const CORPUS = join(__dirname, '..', '..', 'shared', 'corpus', 'npm');
const present = existsSync(join(CORPUS, 'MANIFEST.md'));
if (!present) console.warn(`corpus-npm: skipped, ${CORPUS} not found (the shared corpus sits next to the repo)`);

interface Row {
  dir: string;
  lockfile: string;
  unique: number;
  dev: number;
  prod: number;
}

/** Rows of the "Files" table: dir, lockfile, unique third-party, dev-only, prod (first number). */
function manifestRows(): Row[] {
  const rows: Row[] = [];
  for (const line of readFileSync(join(CORPUS, 'MANIFEST.md'), 'utf8').split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const dir = /^`([^`]+)`$/.exec(cells[1] ?? '')?.[1];
    const lockfile = /^`([^`]+)`$/.exec(cells[4] ?? '')?.[1];
    if (dir === undefined || lockfile === undefined) continue;
    const num = (cell: string | undefined) => Number(/[\d,]+/.exec(cell ?? '')?.[0]?.replace(/,/g, ''));
    rows.push({ dir, lockfile, unique: num(cells[8]), dev: num(cells[9]), prod: num(cells[10]) });
  }
  return rows;
}

/** Each lockfile is read once per run: the corpus is large and the CI cores are shared. */
const graphs = new Map<string, Promise<DependencyGraph>>();
function read(...parts: string[]): Promise<DependencyGraph> {
  const file = join(CORPUS, ...parts);
  let g = graphs.get(file);
  if (g === undefined) graphs.set(file, (g = readNpmLockfile(file)));
  return g;
}

function counts(g: DependencyGraph) {
  const tp = g.nodes.filter((n) => !n.firstParty);
  const walk = computeDevOnly(g);
  return {
    unique: new Set(tp.map((n) => `${n.name}@${n.version}`)).size,
    flagDev: tp.filter((n) => n.lockfileDev === true).length,
    walkDev: tp.filter((n) => walk.get(n.id) === true).length,
    walkProd: tp.filter((n) => walk.get(n.id) === false).length,
    unreached: tp.filter((n) => !walk.has(n.id)).length,
  };
}

/**
 * Where our dev/prod numbers legitimately differ from the MANIFEST's, keyed by `dir/lockfile`.
 * Everything not listed must match the MANIFEST exactly.
 */
const DIFFERENCES: Record<string, { walkDev: number; walkProd: number; why: string }> = {
  'reduxjs__reselect/yarn.lock': {
    walkDev: 563,
    walkProd: 0,
    why: 'MANIFEST walk ignores root `resolutions: {esbuild: 0.23.0}` and leaves 25 esbuild packages unreached; we apply it, so all 563 are dev-only (the project has no prod deps).',
  },
  'prettier__prettier/yarn.lock': {
    walkDev: 709,
    walkProd: 340,
    why: "MANIFEST reports 1 unreached, blaming optional peers; it is actually trim@1.0.1, pinned by the root `resolutions: {trim: 1.0.1}` over a dependency's `trim: npm:0.0.1`. Applying resolutions reaches it from a production path.",
  },
  'honojs__hono/bun.lock': {
    walkDev: 1012,
    walkProd: 0,
    why: 'MANIFEST walk skips optional peers and leaves 3 unreached (@types/react, hono and what they pull in). bun installed them (they have package keys), so we follow the peer edges: all 1,012 are dev-only.',
  },
};

describe.skipIf(!present)('npm corpus matches MANIFEST.md', () => {
  const rows = present ? manifestRows() : [];

  it('finds all 13 lockfiles in the MANIFEST table', () => {
    expect(rows.map((r) => `${r.dir}/${r.lockfile}`)).toHaveLength(13);
  });

  it.each(rows.map((r) => [`${r.dir}/${r.lockfile}`, r] as const))('%s', async (key, row) => {
    const g = await read(row.dir, row.lockfile);
    const c = counts(g);
    // astro's env document (pnpm 11's first YAML document: pnpm, its platform binaries and config
    // dependencies) is counted separately by the MANIFEST ("+19"). We vet it: 19 packages, one of
    // which (detect-libc@2.1.2) the project has too, so 18 more nodes, all dev-only (they run at
    // install and never ship).
    const envExtra = key === 'withastro__astro/pnpm-lock.yaml' ? 18 : 0;
    expect(c.unique).toBe(row.unique + envExtra);
    // Every package is reached, and the reader had nothing to complain about (astro's one warning
    // names its env document, checked below).
    expect(c.unreached).toBe(0);
    expect(g.warnings).toEqual([]);
    const flagged = /package-lock|npm-shrinkwrap/.test(row.lockfile) || /^pnpm [56]\./.test(g.format);
    if (flagged) {
      // npm and pnpm 5/6 record dev flags; the MANIFEST counts those.
      expect({ dev: c.flagDev, prod: c.unique - envExtra - c.flagDev }).toEqual({ dev: row.dev, prod: row.prod });
    }
    const diff = DIFFERENCES[key];
    if (diff !== undefined) {
      expect({ dev: c.walkDev, prod: c.walkProd }).toEqual({ dev: diff.walkDev, prod: diff.walkProd });
    } else if (key === 'firebase__firebase-tools/npm-shrinkwrap.json') {
      // Flags say 854 dev-only; the walk over name@version nodes finds 3 fewer (ansi-styles@4.2.1,
      // @types/color-name@1.1.1, strip-ansi@7.0.1). Each name@version is installed both under a dev
      // and a prod parent copy; merging copies into one node merges their edges, so a prod copy of a
      // parent reaches the child too. Vetting it as prod is the safe side.
      expect({ dev: c.walkDev, prod: c.walkProd }).toEqual({ dev: 851, prod: 657 });
    } else {
      expect({ dev: c.walkDev, prod: c.walkProd }).toEqual({ dev: row.dev + envExtra, prod: row.prod });
    }
  });

  it('astro: the env document of the two-document pnpm lockfile is vetted as dev-only tooling', async () => {
    const g = await read('withastro__astro', 'pnpm-lock.yaml');
    const dev = computeDevOnly(g);
    const pnpm = g.nodes.find((n) => n.name === 'pnpm' && n.version === '11.10.0');
    expect(pnpm?.firstParty).toBe(false);
    expect(dev.get(pnpm!.id)).toBe(true);
    expect(g.nodes.filter((n) => n.name.startsWith('@pnpm/') && !n.firstParty).map((n) => n.name)).toContain(
      '@pnpm/linux-x64',
    );
    expect(g.nodes.filter((n) => n.workspaceMember)).toHaveLength(544);
    const alias = g.nodes.find((n) => n.deps.some((e) => e.alias === '@types/react'));
    expect(alias?.deps.find((e) => e.alias === '@types/react')?.to).toBe('types-react@19.0.0-alpha.3');
  });

  it('non-registry sources and aliases are classified, never counted as plain registry packages', async () => {
    const insomnia = await read('Kong__insomnia', 'package-lock.json');
    expect(insomnia.nodes.filter((n) => n.source.kind === 'git').map((n) => [n.name, n.source.commit])).toEqual([
      ['grpc-reflection-js', 'e78663356c362d44e629cfa119d12b63ba615bc0'],
    ]);
    expect(insomnia.nodes.find((n) => n.paths?.includes('node_modules/string-width-cjs'))?.name).toBe('string-width');
    const send = await read('mozilla__send', 'package-lock.json');
    expect(
      send.nodes
        .filter((n) => n.source.kind === 'git')
        .map((n) => n.name)
        .sort(),
    ).toEqual(['configstore', 'webcrypto-core']);
    expect(
      send.nodes
        .filter((n) => n.paths?.some((p) => p.startsWith('node_modules/fsevents/node_modules/')))
        .every((n) => n.source.kind === 'bundled' || n.source.kind === 'registry'),
    ).toBe(true);
    const webpack = await read('webpack__webpack', 'yarn.lock');
    expect(
      webpack.nodes.filter((n) => !n.firstParty && n.integrity.length === 0).map((n) => [n.name, n.source.kind]),
    ).toEqual([['tooling', 'tarball']]);
    const prettier = await read('prettier__prettier', 'yarn.lock');
    expect(prettier.nodes.filter((n) => n.integrity.some((i) => i.covers !== 'yarn-zip'))).toEqual([]);
  });
  // Speed is measured by bench/check-bench.mjs (vet check on astro vs. a bare parse), not asserted here.
});
