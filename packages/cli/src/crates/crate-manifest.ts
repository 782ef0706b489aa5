/**
 * The facts cargo metadata takes from a published crate, read straight from its `.crate`
 * (a tar.gz whose entries sit under `<name>-<version>/`) without unpacking anything: the
 * normalised `Cargo.toml` and whether `src/lib.rs` exists — enough for cargo's library-target
 * rule (core's cargoManifestHasLib). Streaming, with caps on entries, manifest size and
 * decompression ratio; anything else in the archive is skipped unread.
 */
import { Parser, type ReadEntry } from 'tar';
import { VetError, cargoManifestHasLib, type CrateFacts } from '@vet/core';

const MAX_ENTRIES = 100_000;
const MAX_MANIFEST_BYTES = 1024 * 1024;
const FEED_CHUNK = 64 * 1024;

function bad(subject: string, message: string, cause?: unknown): VetError {
  return new VetError('UNSAFE_ARCHIVE', `${subject} .crate: ${message}`, {
    ...(cause === undefined ? {} : { cause }),
    hint: 'the .crate matched Cargo.lock but is not a well-formed crate archive; report it to the registry',
  });
}

interface Scan {
  files: Set<string>;
  manifest: string | undefined;
  entries: number;
  failure: VetError | undefined;
}

function onEntry(scan: Scan, entry: ReadEntry, top: string, subject: string): void {
  entry.on('error', () => undefined);
  if (++scan.entries > MAX_ENTRIES) scan.failure ??= bad(subject, `more than ${MAX_ENTRIES} entries`);
  const rel = entry.path.startsWith(top) ? entry.path.slice(top.length) : undefined;
  if (scan.failure || rel === undefined || entry.type !== 'File') return void entry.resume();
  scan.files.add(rel);
  if (rel !== 'Cargo.toml') return void entry.resume();
  if (entry.size > MAX_MANIFEST_BYTES) {
    scan.failure ??= bad(subject, `Cargo.toml is larger than ${MAX_MANIFEST_BYTES} bytes`);
    return void entry.resume();
  }
  const chunks: Buffer[] = [];
  entry.on('data', (c: Buffer) => chunks.push(c));
  entry.on('end', () => (scan.manifest = Buffer.concat(chunks).toString('utf8')));
}

/** Reads name@version's facts from its (already verified) `.crate` bytes. */
export async function crateFactsFromArchive(bytes: Buffer, name: string, version: string): Promise<CrateFacts> {
  const subject = `${name} ${version}`;
  const top = `${name}-${version}/`;
  const scan: Scan = { files: new Set(), manifest: undefined, entries: 0, failure: undefined };
  const parser = new Parser({ strict: true, maxDecompressionRatio: 1000 });
  const done = new Promise<void>((resolve, reject) => {
    parser.on('entry', (e: ReadEntry) => onEntry(scan, e, top, subject));
    parser.on('error', reject);
    parser.on('abort', reject);
    parser.on('end', () => resolve());
  });
  done.catch(() => undefined);
  try {
    for (let off = 0; off < bytes.length && !scan.failure; off += FEED_CHUNK)
      parser.write(bytes.subarray(off, off + FEED_CHUNK));
    if (!scan.failure) {
      parser.end();
      await done;
    }
  } catch (cause) {
    scan.failure ??= bad(subject, 'not a valid tar.gz archive', cause);
  }
  if (scan.failure) throw scan.failure;
  if (scan.manifest === undefined) throw bad(subject, `no ${top}Cargo.toml`);
  const fileName = `${top}Cargo.toml`;
  const hasLib = cargoManifestHasLib(scan.manifest, fileName, (rel) => scan.files.has(rel));
  return { hasLib, manifest: scan.manifest };
}
