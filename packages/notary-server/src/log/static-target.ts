/**
 * Where the static tlog-tiles copy goes (c2sp.org/tlog-tiles; spec/notary.md §1.3): a
 * directory any web server can serve (the default, `<data>/static/`) or an S3-compatible
 * bucket (s3-target.ts) a CDN serves. A target only stores named files with their HTTP
 * metadata; what to write and in which order (checkpoint last) is publish.ts's business.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic, writeFileAtomicSync } from '@vet/core/node';

export interface StaticFile {
  /** Relative, "/"-separated: `checkpoint`, `tile/0/x001/234`, `tile/entries/005.p/7`, `v1/keys`. */
  path: string;
  data: Uint8Array | string;
  contentType: string;
  cacheControl: string;
}

export interface StaticTarget {
  /** Where the files go, for logs and /readyz (never holds a secret). */
  readonly where: string;
  /** Size of the checkpoint already published there, 0 when there is none. */
  publishedSize(): Promise<number>;
  write(file: StaticFile): Promise<void>;
  /** A directory can also write synchronously (the start-up publication). */
  readonly sync?: { publishedSize(): number; write(file: StaticFile): void; checkpoint(): string | undefined };
}

/** Creates the tile folders as needed. */
const WRITE = { mkdirMode: 0o777 };

/** Files in `dir` through core's durable writer (temp file, fsync, rename, fsync of the folder). */
export function directoryTarget(dir: string): StaticTarget {
  const checkpoint = (): string | undefined => {
    try {
      return readFileSync(join(dir, 'checkpoint'), 'utf8');
    } catch {
      return undefined;
    }
  };
  const sizeOnDisk = (): number => checkpointSize(checkpoint() ?? '');
  return {
    where: dir,
    publishedSize: () => Promise.resolve(sizeOnDisk()),
    write: (f) => writeFileAtomic(join(dir, f.path), f.data, WRITE),
    sync: {
      publishedSize: sizeOnDisk,
      write: (f) => writeFileAtomicSync(join(dir, f.path), f.data, WRITE),
      checkpoint,
    },
  };
}

/** The tree size on a checkpoint's second line; 0 when it is not one. */
export function checkpointSize(note: string): number {
  const size = note.split('\n')[1] ?? '';
  return /^(0|[1-9]\d{0,15})$/.test(size) ? Number(size) : 0;
}
