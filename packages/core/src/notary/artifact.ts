/**
 * Archived artifacts (issue 14): the one rule both sides of a notary's archive apply — the
 * notary before it keeps bytes, every consumer before it uses bytes a notary served — is
 * "these bytes hash to the digest the approval names". An approval's digest is an SRI
 * string (npm: sha512 of the tarball; PyPI and crates: sha256 of the file); the archive
 * addresses every artifact by its sha256 and its sha512, so either kind of approval names
 * its artifact's URL: `v1/artifacts/<algo>/<hex>`.
 */
import { Buffer } from 'node:buffer';
import { hash } from 'node:crypto';
import { VetError } from '../errors.js';

export type ArtifactAddressAlgo = 'sha256' | 'sha512';

export interface ArtifactAddress {
  algo: ArtifactAddressAlgo;
  /** Lowercase hex digest. */
  hex: string;
}

const SRI = /^(sha256|sha384|sha512)-([A-Za-z0-9+/]+={0,2})$/;
const HEX_LEN: Record<ArtifactAddressAlgo, number> = { sha256: 64, sha512: 128 };

/** An SRI digest as (algo, lowercase hex); undefined when it is not one hash of a known algorithm. */
export function parseArtifactDigest(sri: string): { algo: 'sha256' | 'sha384' | 'sha512'; hex: string } | undefined {
  const m = SRI.exec(sri.trim());
  if (!m) return undefined;
  const algo = m[1] as 'sha256' | 'sha384' | 'sha512';
  const bytes = Buffer.from(m[2]!, 'base64');
  if (bytes.length * 8 !== Number(algo.slice(3))) return undefined;
  return { algo, hex: bytes.toString('hex') };
}

/** Where an approval's artifact lives in a notary's archive (sha384 approvals have no address). */
export function artifactAddress(sri: string): ArtifactAddress | undefined {
  const d = parseArtifactDigest(sri);
  return d === undefined || d.algo === 'sha384' ? undefined : { algo: d.algo, hex: d.hex };
}

/** `v1/artifacts/<algo>/<hex>`, relative to a notary's base URL. */
export function artifactPath(a: ArtifactAddress): string {
  return `v1/artifacts/${a.algo}/${a.hex}`;
}

/** Parses `<algo>/<hex>` of an archive URL; undefined when malformed. */
export function parseArtifactAddress(algo: string, hex: string): ArtifactAddress | undefined {
  if (algo !== 'sha256' && algo !== 'sha512') return undefined;
  return new RegExp(`^[0-9a-f]{${HEX_LEN[algo]}}$`).test(hex) ? { algo, hex } : undefined;
}

/** True when `bytes` hash to the SRI digest `sri`. */
export function artifactMatches(bytes: Uint8Array, sri: string): boolean {
  const d = parseArtifactDigest(sri);
  return d !== undefined && hash(d.algo, bytes, 'hex') === d.hex;
}

/**
 * Throws INTEGRITY_MISMATCH unless `bytes` hash to every digest given (the approval's, the
 * lockfile's): a notary cannot swap bytes, and neither can a registry.
 */
export function checkArtifact(bytes: Uint8Array, digests: readonly string[], subject: string): void {
  if (digests.length === 0)
    throw new VetError('INTEGRITY_MISMATCH', `no digest is known for ${subject}; refusing unverified bytes`);
  for (const sri of digests) {
    if (artifactMatches(bytes, sri)) continue;
    const d = parseArtifactDigest(sri);
    throw new VetError(
      'INTEGRITY_MISMATCH',
      `the artifact of ${subject} does not match ${d ? `its approved ${d.algo} digest` : `the digest "${sri}"`}`,
      { details: { expected: sri } },
    );
  }
}

/** Both archive addresses of some bytes. */
export function artifactAddresses(bytes: Uint8Array): { sha256: string; sha512: string } {
  return { sha256: hash('sha256', bytes, 'hex'), sha512: hash('sha512', bytes, 'hex') };
}

/**
 * A file name an archive may keep and serve: one path segment of printable ASCII, ending
 * in a registry artifact's extension. The name matters to PyPI clients (wheel tags).
 */
export function isArtifactFileName(name: string): boolean {
  return (
    name.length <= 255 &&
    /^[A-Za-z0-9][A-Za-z0-9._+!~-]*$/.test(name) &&
    !name.includes('..') &&
    artifactMediaType(name) !== undefined
  );
}

/** Content type by artifact kind: npm .tgz, sdist .tar.gz/.zip, wheel .whl, crate .crate. */
export function artifactMediaType(name: string): string | undefined {
  if (/\.(tgz|tar\.gz|crate)$/.test(name)) return 'application/gzip';
  if (/\.(whl|zip)$/.test(name)) return 'application/zip';
  return undefined;
}
