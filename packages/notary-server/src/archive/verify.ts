/**
 * The archive part of `vet-notary verify`: every record's bytes re-hashed (sha256, sha512,
 * size must be the addresses and size the record names), every sha256 address pointing at
 * its sha512, and every record that does not parse reported by path.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { artifactAddresses } from '@vet/core';
import { parseArtifactMeta } from './store.js';

export function verifyArchive(root: string): { artifacts: number; problems: string[] } {
  const problems: string[] = [];
  let artifacts = 0;
  const dir = join(root, 'sha512');
  if (!existsSync(dir)) return { artifacts, problems };
  for (const shard of readdirSync(dir)) {
    for (const f of readdirSync(join(dir, shard))) {
      if (!f.endsWith('.json')) continue;
      artifacts += 1;
      const problem = checkRecord(root, join(dir, shard, f));
      if (problem !== undefined) problems.push(`archive ${shard}/${f.slice(0, -5)}: ${problem}`);
    }
  }
  return { artifacts, problems };
}

function checkRecord(root: string, file: string): string | undefined {
  const meta = parseArtifactMeta(readFileSync(file, 'utf8'));
  if (meta === undefined || !file.endsWith(`${meta.sha512}.json`)) return 'the record does not parse or is misplaced';
  let bytes: Buffer;
  try {
    bytes = readFileSync(file.slice(0, -5));
  } catch {
    return 'the artifact bytes are missing';
  }
  const a = artifactAddresses(bytes);
  if (a.sha512 !== meta.sha512 || a.sha256 !== meta.sha256 || bytes.length !== meta.size)
    return 'the bytes do not hash to their address';
  let pointer = '';
  try {
    pointer = readFileSync(join(root, 'sha256', meta.sha256.slice(0, 2), meta.sha256), 'utf8').trim();
  } catch {
    /* reported below */
  }
  return pointer === meta.sha512 ? undefined : 'its sha256 address is missing or points elsewhere';
}
