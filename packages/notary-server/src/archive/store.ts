/**
 * The artifact archive on disk, content-addressed (issue 14):
 *   archive/sha512/<2 hex>/<sha512 hex>        the bytes, immutable
 *   archive/sha512/<2 hex>/<sha512 hex>.json   what they are (written last: its presence = archived)
 *   archive/sha256/<2 hex>/<sha256 hex>        the sha512 hex: the second address
 * Every file goes through the one durable writer; an artifact is reported archived only
 * after all three are on disk. Files are never replaced, so backups can copy them live.
 * The in-memory index is rebuilt from the `.json` files at start.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { artifactAddresses, isArtifactFileName, parseArtifactAddress, type ArtifactAddress } from '@vet/core';
import { writeFileAtomic } from '@vet/core/node';
import type { Ecosystem } from '../entries/model.js';

export interface ArtifactMeta {
  sha256: string;
  sha512: string;
  size: number;
  fileName: string;
  mediaType: string;
  ecosystem: Ecosystem;
  package: string;
  version: string;
  /** Auditor key id whose quota it counts against (or "admin"). */
  owner: string;
  source: 'upload' | 'registry';
  archivedAt: string;
}

export const archiveDir = (dataDir: string) => join(dataDir, 'archive');

const blobPath = (root: string, sha512: string) => join(root, 'sha512', sha512.slice(0, 2), sha512);
const pointerPath = (root: string, sha256: string) => join(root, 'sha256', sha256.slice(0, 2), sha256);

export class ArtifactStore {
  readonly root: string;
  private readonly bySha512 = new Map<string, ArtifactMeta>();
  private readonly bySha256 = new Map<string, string>();
  private readonly usage = new Map<string, number>();
  private readonly writing = new Map<string, Promise<ArtifactMeta>>();

  constructor(root: string) {
    this.root = root;
    for (const meta of readArchiveIndex(root)) this.index(meta);
  }

  get(a: ArtifactAddress): ArtifactMeta | undefined {
    const sha512 = a.algo === 'sha512' ? a.hex : this.bySha256.get(a.hex);
    return sha512 === undefined ? undefined : this.bySha512.get(sha512);
  }

  /** Path of an archived artifact's bytes. */
  path(meta: ArtifactMeta): string {
    return blobPath(this.root, meta.sha512);
  }

  /** How many artifacts are archived (it only grows: a change means some lookup may change). */
  get count(): number {
    return this.bySha512.size;
  }

  usedBy(owner: string): number {
    return this.usage.get(owner) ?? 0;
  }

  /** Stores verified bytes durably (idempotent: the first writer's record stands). */
  put(bytes: Uint8Array, info: Omit<ArtifactMeta, 'sha256' | 'sha512' | 'size' | 'archivedAt'>, now: Date) {
    const { sha256, sha512 } = artifactAddresses(bytes);
    const existing = this.bySha512.get(sha512);
    if (existing) return Promise.resolve(existing);
    let p = this.writing.get(sha512);
    if (p === undefined) {
      const meta: ArtifactMeta = { sha256, sha512, size: bytes.length, ...info, archivedAt: now.toISOString() };
      p = this.write(bytes, meta).finally(() => this.writing.delete(sha512));
      this.writing.set(sha512, p);
    }
    return p;
  }

  all(): IterableIterator<ArtifactMeta> {
    return this.bySha512.values();
  }

  private async write(bytes: Uint8Array, meta: ArtifactMeta): Promise<ArtifactMeta> {
    const blob = blobPath(this.root, meta.sha512);
    const opts = { mkdirMode: 0o755, mode: 0o644 };
    await writeFileAtomic(blob, bytes, opts);
    await writeFileAtomic(pointerPath(this.root, meta.sha256), meta.sha512 + '\n', opts);
    await writeFileAtomic(blob + '.json', JSON.stringify(meta, null, 2) + '\n', opts);
    this.index(meta);
    return meta;
  }

  private index(meta: ArtifactMeta): void {
    this.bySha512.set(meta.sha512, meta);
    this.bySha256.set(meta.sha256, meta.sha512);
    this.usage.set(meta.owner, this.usedBy(meta.owner) + meta.size);
  }
}

/** Every `.json` record under `root` (a record that does not parse is skipped: verify reports it). */
export function readArchiveIndex(root: string): ArtifactMeta[] {
  const dir = join(root, 'sha512');
  if (!existsSync(dir)) return [];
  const out: ArtifactMeta[] = [];
  for (const shard of readdirSync(dir)) {
    for (const f of readdirSync(join(dir, shard))) {
      if (!f.endsWith('.json')) continue;
      const meta = parseArtifactMeta(readFileSync(join(dir, shard, f), 'utf8'));
      if (meta !== undefined && f === `${meta.sha512}.json`) out.push(meta);
    }
  }
  return out;
}

export function parseArtifactMeta(text: string): ArtifactMeta | undefined {
  let m: Partial<ArtifactMeta>;
  try {
    m = JSON.parse(text) as Partial<ArtifactMeta>;
  } catch {
    return undefined;
  }
  const ok =
    typeof m === 'object' &&
    m !== null &&
    parseArtifactAddress('sha256', String(m.sha256)) !== undefined &&
    parseArtifactAddress('sha512', String(m.sha512)) !== undefined &&
    Number.isSafeInteger(m.size) &&
    typeof m.fileName === 'string' &&
    isArtifactFileName(m.fileName) &&
    typeof m.package === 'string' &&
    typeof m.version === 'string' &&
    typeof m.owner === 'string';
  return ok ? (m as ArtifactMeta) : undefined;
}
