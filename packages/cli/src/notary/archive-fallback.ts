/**
 * When the registry has lost a release (HTTP 404/410) that an imported notary approved, its
 * bytes come from that notary's archive (issue 14): `GET <notary>/v1/artifacts/<algo>/<hex>`
 * for the approval's digest. The bytes must hash to the approval's digest *and* to every
 * comparable digest the lockfile records for the release (core's checkArtifact), so neither
 * the registry nor a notary can swap them; an approval whose digest the lockfile does not
 * record is not used (the same content binding the resolver applies).
 */
import {
  VetError,
  artifactAddress,
  artifactPath,
  checkArtifact,
  integritySri,
  isVetError,
  parseArtifactDigest,
  type Ecosystem,
  type Integrity,
  type Store,
} from '@vet/core';
import { createHttpClient, type HttpClient } from '../registry/index.js';

export interface ArchiveSource {
  importName: string;
  notaryUrl: string;
  /** The approval's SRI digest. */
  digest: string;
}

export interface ArchivedArtifact {
  bytes: Buffer;
  /** Where the bytes came from, for messages. */
  url: string;
  source: ArchiveSource;
}

const MAX_ARTIFACT_BYTES = 512 * 1024 * 1024;
const COMPARABLE = new Set(['npm-tarball', 'wheel', 'sdist', 'crate']);
const ADDRESSABLE = new Set(['sha256', 'sha384', 'sha512']);

/** True for a registry answer meaning "this release is gone": 404 or 410. */
export function isGone(e: unknown): boolean {
  if (!isVetError(e)) return false;
  const status = (e.details as { status?: unknown } | undefined)?.status;
  return e.code === 'NOT_FOUND' || status === 404 || status === 410;
}

/** Imported notary approvals (not revoked: imports.lock keeps only effective ones) of pkg@version. */
export function archiveSources(store: Store, pkg: string, version: string): ArchiveSource[] {
  const out: ArchiveSource[] = [];
  for (const [importName, file] of Object.entries(store.importsLock.audits)) {
    const notary = store.config.imports[importName]?.notary;
    if (notary === undefined) continue;
    for (const a of file.audits[pkg] ?? []) {
      const digest = a.digests?.[version];
      if (digest !== undefined && artifactAddress(digest) !== undefined)
        out.push({ importName, notaryUrl: notary.url, digest });
    }
  }
  return out;
}

/** The lockfile's digests over the registry artifact that bytes from an archive must also match. */
export function lockfileArtifactDigests(ecosystem: Ecosystem, integrity: readonly Integrity[], approved: string) {
  const all = integrity.filter((i) => COMPARABLE.has(i.covers) && ADDRESSABLE.has(i.algo)).map(integritySri);
  const hex = (s: string) => parseArtifactDigest(s)?.hex;
  const binds = all.some((d) => hex(d) === hex(approved));
  // PyPI locks one hash per file of the release: only the approved file's hash applies.
  return { binds, digests: ecosystem === 'pypi' ? all.filter((d) => hex(d) === hex(approved)) : all };
}

/**
 * The first archive that serves verified bytes. Throws the registry's error when no imported
 * notary approved the release, INTEGRITY_MISMATCH when an archive served other bytes.
 */
export async function fetchFromArchive(
  o: {
    ecosystem: Ecosystem;
    pkg: string;
    version: string;
    store: Store;
    integrity: readonly Integrity[] | undefined;
    http?: HttpClient;
  },
  registryError: unknown,
): Promise<ArchivedArtifact> {
  const subject = `${o.pkg}@${o.version}`;
  const candidates = archiveSources(o.store, o.pkg, o.version).filter(
    (s) => o.integrity === undefined || lockfileArtifactDigests(o.ecosystem, o.integrity, s.digest).binds,
  );
  if (candidates.length === 0) throw registryError;
  const http = o.http ?? createHttpClient({ retries: 1 });
  let last: unknown = registryError;
  try {
    for (const source of candidates) {
      const url = `${source.notaryUrl.replace(/\/+$/, '')}/${artifactPath(artifactAddress(source.digest)!)}`;
      let bytes: Buffer;
      try {
        bytes = (await http.get(url, { maxBytes: MAX_ARTIFACT_BYTES, what: `archived artifact of ${subject}` })).body;
      } catch (e) {
        last = e;
        continue;
      }
      const lock = o.integrity ? lockfileArtifactDigests(o.ecosystem, o.integrity, source.digest).digests : [];
      try {
        checkArtifact(bytes, [source.digest, ...lock], subject);
      } catch (e) {
        throw new VetError(
          'INTEGRITY_MISMATCH',
          `the archive of notary '${source.importName}' served bytes for ${subject} that do not match the approved and locked digests; refusing them`,
          { cause: e, hint: 'the notary altered its archive or something between it and you did', details: { url } },
        );
      }
      return { bytes, url, source };
    }
  } finally {
    if (o.http === undefined) await http.close();
  }
  throw last;
}
