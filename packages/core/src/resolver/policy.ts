/**
 * Policy lookup (spec/cargo-vet-format.md §3.4): a `[policy]` key is either `name` or
 * `name:version` (split at the first `:`). A package's policy is its exact-version entry,
 * else the unversioned one. Versions are compared in the scheme's canonical form so that
 * `1.0.0 @git:…` and `1.0.0@git:…` name the same package.
 */
import type { PackageNode } from '../graph.js';
import type { PolicyEntry } from '../store/model.js';
import { canonicalVersion, type SchemeLike } from './scheme-ext.js';

interface PackagePolicies {
  unversioned?: PolicyEntry;
  versioned: Map<string, PolicyEntry>;
}

export class PolicyIndex {
  private readonly byName = new Map<string, PackagePolicies>();

  constructor(
    policy: Record<string, PolicyEntry>,
    private readonly scheme: SchemeLike,
  ) {
    for (const [key, entry] of Object.entries(policy)) {
      const colon = key.indexOf(':');
      const name = colon < 0 ? key : key.slice(0, colon);
      let p = this.byName.get(name);
      if (!p) this.byName.set(name, (p = { versioned: new Map() }));
      if (colon < 0) p.unversioned = entry;
      else p.versioned.set(canonicalVersion(scheme, key.slice(colon + 1)), entry);
    }
  }

  get(name: string, version: string): PolicyEntry | undefined {
    const p = this.byName.get(name);
    if (!p) return undefined;
    return p.versioned.get(canonicalVersion(this.scheme, version)) ?? p.unversioned;
  }

  /**
   * Third-party ⇔ not first-party in the graph, or forced by `audit-as-crates-io = true`
   * (§7.2). `false` cannot demote a registry package (§3.4).
   */
  isThirdParty(node: PackageNode): boolean {
    return !node.firstParty || this.get(node.name, node.version)?.auditAsCratesIo === true;
  }
}
