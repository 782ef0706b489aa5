import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CompactRange,
  NOTARY_MIRROR_FORMAT,
  hashLeaf,
  type NotaryClaimRecord,
  type NotaryMirrorState,
} from '@vet/core';
import { tempDir } from '@vet/test-support/notary-fixtures';
import { notaryStateDir, notaryStateRoot, readNotaryMirror, writeNotaryMirror } from './state-dir.js';

const dirs: (() => void)[] = [];
afterAll(() => dirs.forEach((c) => c()));

function state(size: number, claims: number): NotaryMirrorState {
  const range = new CompactRange();
  const leafHashes = new Uint8Array(size * 32);
  for (let i = 0; i < size; i++) leafHashes.set(range.append(hashLeaf(Uint8Array.of(i)))[0]!.hash, i * 32);
  const claim = (i: number): NotaryClaimRecord => ({
    index: i,
    leafHash: String(i).padStart(64, '0'),
    signer: 'k',
    auditor: 'A',
    kind: 'full',
    ecosystem: 'npm',
    package: `p${i}`,
    version: '1.0.0',
    criteria: ['safe-to-run'],
    who: 'A',
    digests: {},
  });
  return {
    format: NOTARY_MIRROR_FORMAT,
    origin: 'o',
    logKey: 'k',
    checkpoint: `o\n${size}\nroot\n\n— o sig\n`,
    range: range.toJSON(),
    leafHashes,
    adminKeys: { a: 'AA==' },
    auditors: {},
    claims: Array.from({ length: claims }, (_, i) => claim(i)),
  };
}

describe('user state directory', () => {
  it('is $XDG_STATE_HOME/vet/notaries/<sha256(origin)> unless --state-dir is given', () => {
    expect(notaryStateRoot({ XDG_STATE_HOME: '/x' })).toBe('/x/vet');
    expect(notaryStateRoot({ HOME: '/h' })).toBe('/h/.local/state/vet');
    expect(notaryStateDir('/r', 'notary.test/vet/log')).toMatch(/^\/r\/notaries\/[0-9a-f]{64}$/);
  });

  it('round-trips, appends only what is new, and survives a crashed save and a stale lock', async () => {
    const t = tempDir();
    dirs.push(t.cleanup);
    const dir = join(t.dir, 'n');
    expect(await writeNotaryMirror(dir, state(3, 2))).toBe(true);
    const first = await readNotaryMirror(dir);
    expect(first.state?.claims).toHaveLength(2);
    const claimsFile = join(dir, 'claims.ndjson');
    const before = readFileSync(claimsFile, 'utf8');

    // A save that crashed after appending, before committing the head; and its lock.
    appendFileSync(claimsFile, '{"garbage":');
    writeFileSync(join(dir, 'mirror.lock'), '999999999\n');
    const next = state(5, 4);
    next.claims[0] = { ...next.claims[0]!, revokedBy: 4 };
    expect(await writeNotaryMirror(dir, next, first.saved)).toBe(true);
    expect(readFileSync(claimsFile, 'utf8').startsWith(before)).toBe(true); // appended, not rewritten
    const back = await readNotaryMirror(dir);
    expect(back.state?.claims.map((c) => [c.package, c.revokedBy])).toEqual([
      ['p0', 4],
      ['p1', undefined],
      ['p2', undefined],
      ['p3', undefined],
    ]);
    expect(back.state?.leafHashes).toEqual(next.leafHashes);
    expect(readFileSync(join(dir, 'latest'), 'utf8')).toBe(next.checkpoint);

    // The larger verified checkpoint wins.
    expect(await writeNotaryMirror(dir, state(4, 1))).toBe(false);
    expect((await readNotaryMirror(dir)).state?.range.size).toBe(5);
  });

  it('a live lock holder means: do not save now', async () => {
    const t = tempDir();
    dirs.push(t.cleanup);
    const dir = join(t.dir, 'n');
    await writeNotaryMirror(dir, state(1, 0));
    // Our parent (the test runner) is alive and is not this process.
    writeFileSync(join(dir, 'mirror.lock'), `${process.ppid}\n`);
    expect(await writeNotaryMirror(dir, state(2, 0))).toBe(false);
  });
});
