import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stillSeenSync, traceReads, type Observation } from '@vet/core/node';
import { readCargoGraph } from './facts.js';

const work = mkdtempSync(join(tmpdir(), 'vet-crate-facts-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const checksum = createHash('sha256').update('leaf 1.0.0').digest('hex');
const project = join(work, 'project');
mkdirSync(project);
writeFileSync(
  join(project, 'Cargo.toml'),
  '[package]\nname = "app"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\nleaf = "1"\n',
);
writeFileSync(
  join(project, 'Cargo.lock'),
  [
    'version = 4',
    '',
    '[[package]]',
    'name = "app"',
    'version = "0.1.0"',
    'dependencies = ["leaf"]',
    '',
    '[[package]]',
    'name = "leaf"',
    'version = "1.0.0"',
    'source = "registry+https://github.com/rust-lang/crates.io-index"',
    `checksum = "${checksum}"`,
    '',
  ].join('\n'),
);
const cache = join(work, 'cache');
const env = { CARGO_HOME: join(work, 'cargo-home'), VET_CACHE_DIR: cache };

async function traced(): Promise<{ warnings: string[]; observations: Observation[] }> {
  const observations: Observation[] = [];
  const graph = await traceReads(observations, () => readCargoGraph(project, { env, network: false }));
  return { warnings: graph.warnings, observations };
}

describe('crate facts from an empty cache', () => {
  it('asks once whether vet keeps any records, and a record that appears later is noticed', async () => {
    const cold = await traced();
    expect(cold.warnings.join('\n')).toContain('leaf 1.0.0');
    const facts = cold.observations.filter((o) => o.path.startsWith(join(cache, 'crate-facts')));
    expect(facts).toEqual([{ op: 'exists', path: join(cache, 'crate-facts'), seen: 'false' }]);
    expect(cold.observations.every(stillSeenSync)).toBe(true);

    const record = join(cache, 'crate-facts', `sha256-${checksum}.json`);
    mkdirSync(join(record, '..'), { recursive: true });
    writeFileSync(record, JSON.stringify({ hasLib: true, manifest: '[package]\nname = "leaf"\nversion = "1.0.0"\n' }));
    expect(cold.observations.every(stillSeenSync)).toBe(false);

    const warm = await traced();
    expect(warm.warnings).toEqual([]);
    expect(warm.observations).toContainEqual(expect.objectContaining({ op: 'read', path: record }));
  });
});
