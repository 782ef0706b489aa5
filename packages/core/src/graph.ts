/**
 * The dependency graph every lockfile reader produces and the resolver consumes.
 * One shape for npm, PyPI and Cargo, so the resolver never knows which lockfile it came from.
 */
export type Ecosystem = 'npm' | 'pypi' | 'cargo';

export type SourceKind =
  | 'registry' // the ecosystem's default registry (npm registry, Python index, Cargo's crates-io)
  | 'alt-registry' // another registry (cargo alternative registry, private index)
  | 'tarball' // a remote archive URL
  | 'git'
  | 'file' // file: tarball or directory
  | 'link' // link: / symlinked folder
  | 'workspace' // a workspace member / importer / root project
  | 'path' // cargo path dependency, python local path
  | 'bundled' // ships inside its parent's archive (npm inBundle)
  | 'unknown';

export interface PackageSource {
  kind: SourceKind;
  /** URL or path as written in the lockfile (registry host untouched). */
  url?: string;
  /** Git commit, when the source is git. */
  commit?: string;
}

/** What a hash in the lockfile was computed over; two hashes compare only when `covers` match. */
export type HashCovers = 'npm-tarball' | 'yarn-zip' | 'wheel' | 'sdist' | 'crate' | 'git-commit' | 'file';

export interface Integrity {
  /** 'sha512', 'sha256', 'sha1', ... */
  algo: string;
  /** Digest in the encoding below. */
  digest: string;
  encoding: 'base64' | 'hex';
  covers: HashCovers;
  /** For PyPI: the file name the hash belongs to, when known. */
  file?: string;
}

export type EdgeKind = 'normal' | 'build' | 'dev' | 'optional' | 'peer';

export interface DependencyEdge {
  /** `id` of the target node. */
  to: string;
  kind: EdgeKind;
  /** The name the dependent uses (an npm alias, a renamed cargo dep); defaults to the target's name. */
  alias?: string;
  /** The edge exists only on some platforms (Cargo `[target.…]`, a PEP 508 marker); absent = every platform. */
  when?: EdgeCondition;
}

/** When a platform-specific edge is active; `vet check --platform` evaluates it (platform/). */
export interface EdgeCondition {
  /** Cargo `[target.<spec>]` specs (a triple or `cfg(…)`): active when any of them holds. */
  cargo?: string[];
  /** A PEP 508 environment marker: active unless it is false for the platform. */
  marker?: string;
}

/** Where a package installs at all: npm `os`/`cpu`/`libc` (`!x` negates), a PyPI package marker. */
export interface PlatformConstraint {
  os?: string[];
  cpu?: string[];
  libc?: string[];
  marker?: string;
}

export interface PackageNode {
  /** Unique in the graph. Readers choose it; `name@version` plus a source suffix when needed. */
  id: string;
  /** The real package name (aliases resolved); what gets vetted. PyPI names are PEP 503-normalised. */
  name: string;
  /** Version as the ecosystem writes it; cargo git versions are `x.y.z@git:<40 hex>`. */
  version: string;
  source: PackageSource;
  integrity: Integrity[];
  /**
   * First-party: the root project, workspace members, local paths. Never audited themselves,
   * but they carry requirements to their dependencies.
   */
  firstParty: boolean;
  /** Workspace member / importer / root project: the roots of the walk. */
  workspaceMember: boolean;
  deps: DependencyEdge[];
  /** Lockfile-declared dev-only flag, when the format records one (informational; the resolver walks edges). */
  lockfileDev?: boolean;
  /** Install paths (npm) or other locations, for `why` and reports. */
  paths?: string[];
  /** Registry deprecation/yank message recorded in the lockfile, if any. */
  deprecated?: string;
  /** npm hasInstallScript and similar risk signals recorded in the lockfile. */
  hasInstallScript?: boolean;
  /** Installs only on some platforms (absent = every platform). */
  platform?: PlatformConstraint;
}

export interface DependencyGraph {
  ecosystem: Ecosystem;
  /** Path of the lockfile this came from, for messages. */
  lockfile: string;
  /** Format name and version, e.g. "package-lock v3", "pnpm 9.0", "Cargo.lock v4". */
  format: string;
  nodes: PackageNode[];
  /** Non-fatal observations from the reader (unknown fields, odd entries). */
  warnings: string[];
}

export function nodeKey(name: string, version: string): string {
  return `${name}@${version}`;
}
