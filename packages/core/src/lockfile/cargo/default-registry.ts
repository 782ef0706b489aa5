/**
 * Which Cargo.lock source is Cargo's default registry (the `crates-io` source), derived from
 * the workspace rather than written into vet (spec/cargo-vet-format.md §7.2: packages from it
 * are third-party, every other source is first-party). A dependency that a first-party
 * manifest declares without `registry`, `git` or `path` (and that no `[patch.crates-io]`
 * redirects) resolves to the default registry, so the registry source Cargo.lock records for
 * it *is* the default registry's source id — whatever spelling and mirror the machine uses.
 *
 * When no first-party manifest declares such a dependency (a workspace whose registry crates
 * all arrive through git dependencies, say), every registry source that no `registry = "…"`
 * declaration resolves to and that the cargo configuration does not name under `[registries]`
 * is taken as the default: erring towards auditing a package rather than skipping it.
 */
import type { CargoLockIndex } from './lock-index.js';
import type { CargoLockPackage } from './lock.js';
import type { ResolvedManifest } from './inherit.js';
import { matchingDecls } from './edges.js';
import type { CargoDepDecl, CargoPatchDecl } from './manifest.js';

export interface DefaultRegistryInput {
  index: CargoLockIndex;
  manifests: ReadonlyMap<string, ResolvedManifest>;
  /** Lock index → manifest directory, for path (first-party) packages. */
  pathDirs: ReadonlyMap<number, string>;
  /** `[patch.*]` of the root manifest and the cargo configuration. */
  patches: readonly CargoPatchDecl[];
  /** Index URLs of `[registries.<name>]` in the cargo configuration (alternative registries). */
  alternativeRegistries: readonly string[];
}

const isRegistrySource = (s: string | undefined): s is string =>
  s !== undefined && (s.startsWith('registry+') || s.startsWith('sparse+'));

/** Cargo's own name for its default registry, as `registry = "crates-io"` may spell it. */
const DEFAULT_REGISTRY_NAME = 'crates-io';

function unqualified(d: CargoDepDecl): boolean {
  return (
    d.git === undefined && d.path === undefined && (d.registry === undefined || d.registry === DEFAULT_REGISTRY_NAME)
  );
}

/** Each first-party package's locked registry dependencies with the declarations that produced them. */
function* declaredRegistryDeps(input: DefaultRegistryInput): Generator<[CargoLockPackage, CargoDepDecl[]]> {
  for (const [i, dir] of input.pathDirs) {
    const manifest = input.manifests.get(dir);
    if (!manifest) continue;
    for (const ref of input.index.package(i).dependencies) {
      const hit = input.index.lookup(ref);
      if ('error' in hit) continue;
      const target = input.index.package(hit.index);
      if (!isRegistrySource(target.source)) continue;
      yield [target, matchingDecls(manifest.deps, target)];
    }
  }
}

/** The registry source ids that are Cargo's default registry in this workspace. */
export function defaultRegistrySources(input: DefaultRegistryInput): Set<string> {
  const patched = new Set(input.patches.filter((p) => p.registry === DEFAULT_REGISTRY_NAME).map((p) => p.package));
  const declared = new Set<string>();
  const elsewhere = new Set<string>();
  for (const [target, decls] of declaredRegistryDeps(input)) {
    if (decls.length === 0) continue;
    if (decls.every(unqualified)) {
      if (!patched.has(target.name)) declared.add(target.source!);
    } else if (decls.every((d) => !unqualified(d))) elsewhere.add(target.source!);
  }
  if (declared.size > 0) return declared;
  const alternative = new Set(input.alternativeRegistries.map(sourceUrl));
  const rest = new Set<string>();
  for (const p of input.index.lock.packages) {
    if (isRegistrySource(p.source) && !elsewhere.has(p.source) && !alternative.has(sourceUrl(p.source)))
      rest.add(p.source);
  }
  return rest;
}

/** A source id or index URL without its protocol prefix and trailing slash, for comparison. */
function sourceUrl(s: string): string {
  return s.replace(/^(registry|sparse)\+/, '').replace(/\/+$/, '');
}
