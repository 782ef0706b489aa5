import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DependencyGraph } from '@vet/core';
import { loadCratesRegistry } from './registry.js';

const root = mkdtempSync(join(tmpdir(), 'vet-crates-registry-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const graphWith = (source: string): DependencyGraph => ({
  ecosystem: 'cargo',
  lockfile: 'Cargo.lock',
  format: 'Cargo.lock v4',
  warnings: [],
  nodes: [
    {
      id: 'a@1.0.0',
      name: 'a',
      version: '1.0.0',
      source: { kind: 'registry', url: source },
      integrity: [{ algo: 'sha256', digest: 'a'.repeat(64), encoding: 'hex', covers: 'crate' }],
      firstParty: false,
      workspaceMember: false,
      deps: [],
    },
  ],
});

describe('where the default registry is', () => {
  const project = join(root, 'project');
  const env = { CARGO_HOME: join(root, 'empty-cargo-home'), HOME: root };
  mkdirSync(project, { recursive: true });

  it('a sparse source the lockfile records, when nothing is configured and cargo has fetched nothing', async () => {
    const r = await loadCratesRegistry(project, env, graphWith('sparse+https://index.registry.example/x'));
    expect(r).toEqual({ indexUrl: 'https://index.registry.example/x/', from: 'Cargo.lock' });
  });

  it('configuration first', async () => {
    const configured = join(root, 'configured');
    mkdirSync(join(configured, '.cargo'), { recursive: true });
    writeFileSync(
      join(configured, '.cargo', 'config.toml'),
      '[source.crates-io]\nreplace-with = "m"\n[source.m]\nregistry = "sparse+https://mirror.registry.example/"\n',
    );
    const r = await loadCratesRegistry(configured, env, graphWith('sparse+https://index.registry.example/'));
    expect(r.indexUrl).toBe('https://mirror.registry.example/');
  });

  it('a git index in the lockfile and nothing else: an error naming the setting', async () => {
    await expect(
      loadCratesRegistry(project, env, graphWith('registry+https://git.registry.example/index')),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', details: { setting: '[source.crates-io] replace-with' } });
  });
});
