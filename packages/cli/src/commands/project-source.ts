/**
 * The package source a command reads trees and packuments from: the project's registry, with
 * the store's notary archives as the fallback for releases the registry has lost.
 */
import type { LoadedProject } from '../context.js';
import type { CommandIO } from '../io.js';
import { openPackageSource, type PackageTreeSource } from '../package-source.js';

export function openProjectSource(
  p: LoadedProject,
  io: CommandIO,
  cacheDir: string | undefined,
  /** Told the size of every registry response (progress: bytes fetched). */
  onBytes?: (bytes: number) => void,
): Promise<PackageTreeSource> {
  return openPackageSource({
    ecosystem: p.ref.ecosystem,
    graph: p.graph,
    lockfile: p.ref.lockfile,
    env: io.env,
    store: p.store,
    ...(cacheDir ? { cacheDir } : {}),
    ...(onBytes ? { onBytes } : {}),
  });
}
