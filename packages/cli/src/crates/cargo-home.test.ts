import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findCargoIndexDir, readCachedIndexEntry } from './cargo-home.js';
import { indexPath } from './sparse-index.js';

const home = mkdtempSync(join(tmpdir(), 'vet-cargo-home-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

const ck = (s: string) => createHash('sha256').update(s).digest('hex');

/** Cargo's SummariesCache file: version 3, index format 2, the revision, then (version, JSON) pairs. */
function cacheEntry(records: { name: string; vers: string; cksum: string; yanked?: boolean }[]): Buffer {
  const head = Buffer.alloc(5);
  head[0] = 3;
  head.writeUInt32LE(2, 1);
  const body = ['etag: "abc"', ...records.flatMap((r) => [r.vers, JSON.stringify({ ...r, deps: [], features: {} })])];
  return Buffer.concat([head, Buffer.from(`${body.join('\0')}\0`)]);
}

function indexDir(dir: string, config: object | undefined, entries: Record<string, Buffer>): void {
  const root = join(home, 'registry', 'index', dir);
  mkdirSync(root, { recursive: true });
  if (config) writeFileSync(join(root, 'config.json'), JSON.stringify(config));
  for (const [name, bytes] of Object.entries(entries)) {
    const p = join(root, '.cache', indexPath(name));
    mkdirSync(join(p, '..'), { recursive: true });
    writeFileSync(p, bytes);
  }
}

describe("cargo's own state", () => {
  const serde = { name: 'serde', vers: '1.0.0', cksum: ck('serde-1.0.0') };
  indexDir(
    'alt.registry.example-1111111111111111',
    { dl: 'https://alt.example/dl' },
    {
      serde: cacheEntry([{ ...serde, cksum: ck('another serde') }]),
    },
  );
  indexDir(
    'index.registry.example-2222222222222222',
    { dl: 'https://dl.example/{crate}', api: 'https://api.example' },
    {
      serde: cacheEntry([serde, { name: 'serde', vers: '1.0.1', cksum: ck('serde-1.0.1'), yanked: true }]),
    },
  );
  indexDir('no-config-3333333333333333', undefined, { serde: cacheEntry([serde]) });

  it('finds the index that serves the lockfile’s exact releases, by checksum, not by name', () => {
    const dir = findCargoIndexDir(home, [{ name: 'serde', version: '1.0.0', checksum: serde.cksum }]);
    expect(dir).toMatchObject({
      name: 'index.registry.example-2222222222222222',
      dl: 'https://dl.example/{crate}',
      api: 'https://api.example',
    });
    expect(findCargoIndexDir(home, [{ name: 'serde', version: '1.0.0', checksum: ck('nobody') }])).toBeUndefined();
    expect(findCargoIndexDir(join(home, 'nope'), [])).toBeUndefined();
  });

  it('reads cargo’s cached index entry: every version cargo saw, with checksums and yanks', () => {
    const dir = findCargoIndexDir(home, [{ name: 'serde', version: '1.0.0', checksum: serde.cksum }])!;
    expect(readCachedIndexEntry(dir, 'serde')).toEqual([
      { name: 'serde', vers: '1.0.0', cksum: serde.cksum, yanked: false },
      { name: 'serde', vers: '1.0.1', cksum: ck('serde-1.0.1'), yanked: true },
    ]);
    expect(readCachedIndexEntry(dir, 'missing')).toBeUndefined();
    indexDir('index.registry.example-2222222222222222', undefined, { odd: Buffer.from([9, 9, 9, 9, 9, 9, 0]) });
    expect(readCachedIndexEntry(dir, 'odd')).toBeUndefined();
  });
});
