/**
 * Does the configured registry publish name@version? `certify` asks before recording an audit
 * of a version the lockfile does not pin, so a typo (`express 9.9.9`) is refused instead of
 * written (issue 10). npm: the packument's versions; PyPI: the release's files on the index;
 * crates: the sparse index entry. The registries are the ones inspect and diff use.
 */
import path from 'node:path';
import { VetError, isVetError } from '@vet/core';
import { createCratesClient, loadCratesRegistry } from './crates/index.js';
import { openPypiClients } from './pypi/index.js';
import { createNpmRegistry, loadNpmConfig, openCache, registryForPackage } from './registry/index.js';
import type { SourceOptions } from './package-source.js';

export type ReleaseLookup =
  | { kind: 'published' }
  /** The registry answered: no such version (or no such package). */
  | { kind: 'missing'; error: VetError }
  /** No answer: the registry is unreachable or not configured. */
  | { kind: 'unknown'; error: VetError };

export async function lookUpRelease(o: SourceOptions, name: string, version: string): Promise<ReleaseLookup> {
  try {
    await releaseOrThrow(o, name, version);
    return { kind: 'published' };
  } catch (e) {
    if (isVetError(e) && e.code === 'NOT_FOUND') return { kind: 'missing', error: e };
    if (isVetError(e)) return { kind: 'unknown', error: e };
    throw e;
  }
}

async function releaseOrThrow(o: SourceOptions, name: string, version: string): Promise<void> {
  const projectDir = path.dirname(o.lockfile);
  switch (o.ecosystem) {
    case 'npm': {
      const config = await loadNpmConfig({ projectDir, env: o.env });
      const cache = openCache({ ...(o.cacheDir ? { cacheDir: o.cacheDir } : {}), env: o.env });
      const registry = createNpmRegistry({ config, cache });
      try {
        const doc = await registry.packument(name);
        if (!Object.hasOwn(doc.versions, version))
          throw new VetError('NOT_FOUND', `${name}@${version} is not published on ${registryForPackage(config, name)}`);
      } finally {
        await registry.close();
      }
      return;
    }
    case 'pypi': {
      const clients = openPypiClients(o.graph, { env: o.env, cwd: projectDir });
      try {
        await (await clients.forPackage(name, version)).release(name, version);
      } finally {
        await clients.close();
      }
      return;
    }
    case 'cargo': {
      const client = createCratesClient({ registry: await loadCratesRegistry(projectDir, o.env, o.graph) });
      try {
        await client.release(name, version);
      } finally {
        await client.close();
      }
    }
  }
}
