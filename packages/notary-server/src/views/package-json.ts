/**
 * Manifests inside archived artifacts. The `package.json` inside an archived npm tarball: an npm client needs each version's
 * dependencies (and bin, engines, os/cpu, install scripts) to resolve a tree, and an approval
 * carries none of them. Read from the verified bytes (gzip + ustar, `<top>/package.json`),
 * capped, and kept in memory by content address (the bytes never change).
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

const MAX_UNPACKED = 256 * 1024 * 1024;
const MAX_MANIFEST = 4 * 1024 * 1024;
const cache = new Map<string, Record<string, unknown> | undefined>();

export function archivedPackageJson(sha512: string, path: string): Record<string, unknown> | undefined {
  if (!cache.has(sha512)) {
    if (cache.size >= 10_000) cache.delete(cache.keys().next().value as string);
    cache.set(sha512, readPackageJson(readFileSync(path)));
  }
  return cache.get(sha512);
}

export function readPackageJson(tgz: Uint8Array): Record<string, unknown> | undefined {
  const text = readTarGzFile(tgz, /^[^/]+\/package\.json$/);
  return text === undefined ? undefined : parseObject(text);
}

/** The text of the first regular file whose path matches `want` in a .tgz / .crate (ustar), capped. */
export function readTarGzFile(tgz: Uint8Array, want: RegExp): string | undefined {
  let tar: Buffer;
  try {
    tar = gunzipSync(tgz, { maxOutputLength: MAX_UNPACKED });
  } catch {
    return undefined;
  }
  for (let off = 0; off + 512 <= tar.length;) {
    const header = tar.subarray(off, off + 512);
    if (header.every((b) => b === 0)) return undefined;
    const name = field(header, 345, 155)
      ? `${field(header, 345, 155)}/${field(header, 0, 100)}`
      : field(header, 0, 100);
    const size = parseInt(field(header, 124, 12).trim() || '0', 8);
    if (!Number.isSafeInteger(size) || size < 0) return undefined;
    const type = String.fromCharCode(header[156] ?? 0);
    if ((type === '0' || type === '\0') && want.test(name) && size <= MAX_MANIFEST)
      return tar.subarray(off + 512, off + 512 + size).toString('utf8');
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return undefined;
}

function field(h: Buffer, start: number, len: number): string {
  const raw = h.subarray(start, start + len);
  const end = raw.indexOf(0);
  return raw.subarray(0, end === -1 ? len : end).toString('utf8');
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(text) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
