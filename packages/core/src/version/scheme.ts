/**
 * Version ordering and requirement matching differ per ecosystem (Cargo semver with
 * `@git:` suffixes, npm semver, PEP 440). The resolver only ever talks to this interface.
 */
export interface VersionScheme {
  /** undefined when valid, else a short reason ("not a semver version"). */
  validate(version: string): string | undefined;
  /** Total order; invalid versions sort by string after valid ones. */
  compare(a: string, b: string): number;
  /** Does `version` match a violation requirement such as ">=2.0, <2.3"? */
  satisfies(version: string, requirement: string): boolean;
  /** undefined when the requirement parses, else a reason. */
  validateRequirement(requirement: string): string | undefined;
}
