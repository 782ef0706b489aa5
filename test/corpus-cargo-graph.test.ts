/**
 * The Cargo graph of every repository in ../shared/corpus/cargo against the facts in its
 * MANIFEST.md / manifest.json (counted there independently from Cargo.lock): package counts
 * per source kind, the lockfile version, the store location, and zcash/zcash's six crates
 * that cargo metadata leaves out (bin-only `cxxbridge-cmd` and what only it reaches).
 * Skips, saying why, when the corpus is not checked out next to the repo.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { staticCrateFacts, type DependencyGraph } from '@vet/core';
import { readCargoProject } from '@vet/core/node';

const CORPUS = join(__dirname, '..', '..', 'shared', 'corpus', 'cargo');
const present = existsSync(join(CORPUS, 'manifest.json'));
if (!present)
  console.warn(`corpus-cargo-graph: skipped, ${CORPUS} not found (the shared corpus sits next to the repo)`);

interface RepoFacts {
  dir: string;
  store_path: string;
  cargo_lock_version: number;
  packages: number;
  crates_io_packages: number;
  git_packages: number;
  path_or_workspace_packages: number;
  workspace_members: number;
  crates_io_names_without_any_store_entry: string[];
}

const repos: RepoFacts[] = present
  ? (JSON.parse(readFileSync(join(CORPUS, 'manifest.json'), 'utf8')) as { repos: RepoFacts[] }).repos
  : [];

// The published crate's manifest fact (the published cxxbridge-cmd: `autolib = false` and only a
// `[[bin]] cxxbridge` target). It is what cargo metadata knows and Cargo.lock does not.
const crateFacts = staticCrateFacts({ 'cxxbridge-cmd': { hasLib: false } });

function count(g: DependencyGraph, kind: string): number {
  return g.nodes.filter((n) => n.source.kind === kind).length;
}

describe.skipIf(!present)('Cargo corpus graphs match MANIFEST.md', () => {
  it('has the eight repositories', () => {
    expect(repos.map((r) => r.dir)).toHaveLength(8);
  });

  it.each(repos.map((r) => [r.dir, r] as const))('%s: Cargo.lock as read', async (dir, r) => {
    // Without crate facts nothing is dropped: the graph is Cargo.lock's package set.
    const { graph, storePath } = await readCargoProject(join(CORPUS, dir));
    expect(graph.format).toBe(`Cargo.lock v${r.cargo_lock_version}`);
    expect({
      total: graph.nodes.length,
      registry: count(graph, 'registry'),
      git: count(graph, 'git'),
      path: count(graph, 'path'),
    }).toEqual({
      total: r.packages,
      registry: r.crates_io_packages,
      git: r.git_packages,
      path: r.path_or_workspace_packages,
    });
    expect(storePath).toBe(join(CORPUS, dir, r.store_path));
    // Every locked edge of a first-party package was explained by a manifest declaration.
    expect(graph.warnings).toEqual([]);
  });

  it.each(repos.map((r) => [r.dir, r] as const))('%s: sources, members and edges', async (dir, r) => {
    const { graph } = await readCargoProject(join(CORPUS, dir), { crateFacts });
    for (const n of graph.nodes) expect(n.firstParty, n.id).toBe(n.source.kind !== 'registry');
    for (const n of graph.nodes.filter((x) => x.source.kind === 'git'))
      expect(n.version).toMatch(/^[^@]+@git:[0-9a-f]{40}$/);
    for (const n of graph.nodes.filter((x) => x.source.kind === 'registry')) {
      expect(n.integrity).toEqual([
        { algo: 'sha256', digest: expect.stringMatching(/^[0-9a-f]{64}$/), encoding: 'hex', covers: 'crate' },
      ]);
    }
    expect(new Set(graph.nodes.map((n) => n.id)).size).toBe(graph.nodes.length);
    // MANIFEST counts the listed members; cargo adds path dependencies under the root.
    const members = graph.nodes.filter((n) => n.workspaceMember);
    expect(members.length).toBeGreaterThanOrEqual(r.workspace_members);
    expect(members.every((m) => m.source.kind === 'path')).toBe(true);
    const memberIds = new Set(members.map((m) => m.id));
    for (const n of graph.nodes)
      for (const e of n.deps) if (e.kind === 'dev') expect(memberIds.has(n.id), `${n.id} → ${e.to}`).toBe(true);
  });

  it('zcash__zcash: the six crates behind bin-only cxxbridge-cmd are outside the graph', async () => {
    const r = repos.find((x) => x.dir === 'zcash__zcash')!;
    const { graph } = await readCargoProject(join(CORPUS, r.dir), { crateFacts });
    const present = new Set(graph.nodes.map((n) => n.name));
    const missing = ['anstyle', 'clap', 'clap_builder', 'clap_lex', 'cxxbridge-cmd', 'strsim'];
    expect(missing.filter((n) => present.has(n))).toEqual([]);
    expect(r.crates_io_names_without_any_store_entry).toEqual(missing);
    expect(count(graph, 'registry')).toBe(r.crates_io_packages - missing.length);
    expect(graph.nodes.find((n) => n.name === 'cxx')?.deps.map((e) => e.to)).not.toContain(
      expect.stringMatching(/^cxxbridge-cmd@/),
    );
    expect(graph.warnings).toEqual([
      expect.stringMatching(/^6 Cargo\.lock package\(s\) not in the build graph: anstyle /),
    ]);
  });

  it('zcash__zcash: store at qa/supply-chain via [package.metadata.vet]', async () => {
    const { storePath } = await readCargoProject(join(CORPUS, 'zcash__zcash'));
    expect(storePath).toBe(join(CORPUS, 'zcash__zcash', 'qa', 'supply-chain'));
  });

  it('OpenDevicePartnership__embedded-services: the same git crate with and without ?tag= is two nodes', async () => {
    const { graph } = await readCargoProject(join(CORPUS, 'OpenDevicePartnership__embedded-services'));
    const bits = graph.nodes.filter((n) => n.name === 'bit-register');
    expect(bits).toHaveLength(2);
    expect(new Set(bits.map((b) => b.version)).size).toBe(1);
    expect(bits.map((b) => b.source.url?.includes('?tag=v0.1.0')).sort()).toEqual([false, true]);
  });

  it('ariel-os__ariel-os: config-patched embassy crates are git, exclude loses to literal members', async () => {
    const { graph } = await readCargoProject(join(CORPUS, 'ariel-os__ariel-os'));
    const nrf = graph.nodes.filter((n) => n.name === 'embassy-nrf');
    expect(nrf.map((n) => n.version)).toEqual(['0.8.0@git:3940a79a29ae578a35625cae949bea473abf21d1']);
    expect(nrf[0]).toMatchObject({ firstParty: true, workspaceMember: false, source: { kind: 'git' } });
    const coapcore = graph.nodes.find((n) => n.name === 'coapcore');
    expect(coapcore).toMatchObject({ workspaceMember: true, source: { kind: 'path', url: 'src/lib/coapcore' } });
  });

  it('zcash__librustzcash: a path dependency under the root is a member without being listed', async () => {
    const { graph } = await readCargoProject(join(CORPUS, 'zcash__librustzcash'));
    expect(graph.nodes.find((n) => n.name === 'zcash_pool_migration_memory')).toMatchObject({ workspaceMember: true });
  });

  it('bytecodealliance__wasmtime: build edges are told apart from normal and dev edges', async () => {
    const { graph } = await readCargoProject(join(CORPUS, 'bytecodealliance__wasmtime'));
    const kinds = new Set(graph.nodes.flatMap((n) => n.deps.map((e) => e.kind)));
    expect([...kinds].sort()).toEqual(['build', 'dev', 'normal']);
    const renamed = graph.nodes.flatMap((n) => n.deps.filter((e) => e.alias !== undefined));
    expect(renamed.length).toBeGreaterThan(0);
  });
});
