/**
 * Cargo source ids as Cargo.lock writes them (spec/lockfiles.md §11) and what cargo-vet makes
 * of them (spec/cargo-vet-format.md §7.2): Cargo's default registry ⇒ third-party; every other
 * source (alternative registry, git, path) ⇒ first-party unless a policy says
 * audit-as-crates-io. Which source ids are the default registry is derived from the workspace
 * (default-registry.ts), never written here.
 */
import type { PackageSource } from '../../graph.js';

/**
 * Classifies a Cargo.lock `source`; `pathDir` is the package's directory for sourceless
 * packages; `defaults` are the default registry's source ids.
 */
export function classifySource(
  source: string | undefined,
  pathDir: string | undefined,
  defaults: ReadonlySet<string>,
): PackageSource {
  if (source === undefined) return pathDir === undefined ? { kind: 'path' } : { kind: 'path', url: pathDir };
  if (defaults.has(source)) return { kind: 'registry', url: source };
  if (source.startsWith('git+')) {
    const commit = gitCommitOf(source);
    return commit === undefined ? { kind: 'git', url: source } : { kind: 'git', url: source, commit };
  }
  if (source.startsWith('registry+') || source.startsWith('sparse+')) return { kind: 'alt-registry', url: source };
  return { kind: 'unknown', url: source };
}

/** The `#<commit>` fragment of a git source id, which Cargo.lock always writes in full. */
export function gitCommitOf(source: string): string | undefined {
  const hash = source.indexOf('#');
  if (hash < 0) return undefined;
  const commit = source.slice(hash + 1);
  return commit === '' ? undefined : commit;
}

/** A source id without its `#fragment`: dependency strings in Cargo.lock omit the commit. */
export function sourceWithoutFragment(source: string): string {
  const hash = source.indexOf('#');
  return hash < 0 ? source : source.slice(0, hash);
}

/** cargo-vet's version of a node: semver, plus `@git:<full hash>` for git sources (spec §7.2). */
export function vetVersion(version: string, source: PackageSource): string {
  return source.kind === 'git' && source.commit !== undefined ? `${version}@git:${source.commit}` : version;
}
