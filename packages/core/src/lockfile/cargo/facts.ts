/**
 * Facts about a published crate that Cargo.lock cannot tell but that change cargo metadata's
 * graph (spec/cargo-vet-format.md §7.1, §14 trap 3): a dependency on a package with **no
 * library target** is dropped, together with whatever is reachable only through it
 * (zcash/zcash: cxx → cxxbridge-cmd → clap …). The provider is optional; without it every
 * Cargo.lock edge is kept.
 *
 * Library-target rule (cargo's `toml/targets.rs`): a `[lib]` table ⇒ library; otherwise
 * `package.autolib = false` ⇒ none; otherwise a library exists iff `src/lib.rs` exists.
 * Manifests normalised by recent `cargo publish` carry an explicit `[lib]` and
 * `autolib = false`, so the manifest alone decides; older ones need the file check.
 * Reading cargo's registry cache is the edge's (`@vet/core/node`, crate-facts.ts).
 */
import { parseTomlFile, tableAt } from './toml.js';

export interface CrateFacts {
  /** Does the crate have a library target (lib, rlib, proc-macro, …)? */
  hasLib: boolean;
  /** The published Cargo.toml, when known; lets `build.target` filter its target-specific deps. */
  manifest?: string;
}

export type CrateFactsProvider = (name: string, version: string) => CrateFacts | undefined;

/** Pure: does this (published) manifest define a library target? `fileExists` is relative to the crate root. */
export function cargoManifestHasLib(text: string, fileName: string, fileExists: (rel: string) => boolean): boolean {
  const doc = parseTomlFile(text, fileName);
  if (tableAt(doc, 'lib')) return true;
  const pkg = tableAt(doc, 'package') ?? tableAt(doc, 'project');
  if (pkg?.['autolib'] === false) return false;
  return fileExists('src/lib.rs');
}

/** A provider from a fixed table, e.g. facts recorded from published manifests. */
export function staticCrateFacts(table: Record<string, CrateFacts>): CrateFactsProvider {
  return (name, version) => table[`${name}@${version}`] ?? table[name];
}
