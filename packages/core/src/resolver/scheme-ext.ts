/**
 * The resolver only needs the VersionScheme interface, but two optional extras make
 * reports match cargo-vet byte for byte: a canonical version spelling (so equal versions
 * written differently share one audit-graph node) and the normalised display of a
 * violation requirement (cargo-vet prints the semver crate's form). Schemes without
 * them fall back to the text as written.
 */
import type { VersionScheme } from '../version/scheme.js';

export type SchemeLike = VersionScheme & {
  canonical?(version: string): string;
  displayRequirement?(requirement: string): string;
};

export function canonicalVersion(scheme: SchemeLike, version: string): string {
  return scheme.canonical ? scheme.canonical(version) : version;
}

export function displayRequirement(scheme: SchemeLike, requirement: string): string {
  return scheme.displayRequirement ? scheme.displayRequirement(requirement) : requirement;
}
