/**
 * Looking packages up inside a parsed Cargo.lock: dependency strings (`name`, `name version`,
 * `name version (source)` — cargo writes the shortest one that is unambiguous, lockfiles.md
 * §11) and `[replace]` redirections, plus matching sourceless (path) packages to manifests.
 */
import type { CargoLock, CargoLockDepRef, CargoLockPackage } from './lock.js';
import { sameSource } from './lock.js';
import type { ResolvedManifest } from './inherit.js';

export type RefLookup = { index: number } | { error: string };

export class CargoLockIndex {
  private readonly byName = new Map<string, number[]>();

  constructor(readonly lock: CargoLock) {
    lock.packages.forEach((p, i) => {
      const list = this.byName.get(p.name) ?? [];
      list.push(i);
      this.byName.set(p.name, list);
    });
  }

  package(i: number): CargoLockPackage {
    const p = this.lock.packages[i];
    if (!p) throw new RangeError(`no package ${i}`);
    return p;
  }

  /** The package a dependency string names, following `replace` (cargo metadata shows the replacement). */
  lookup(ref: CargoLockDepRef): RefLookup {
    const first = this.lookupExact(ref);
    if ('error' in first) return first;
    const replace = this.package(first.index).replace;
    if (!replace) return first;
    const target = this.lookupExact(replace);
    return 'error' in target ? { error: `replacement of ${ref.raw}: ${target.error}` } : target;
  }

  private lookupExact(ref: CargoLockDepRef): RefLookup {
    // Counted in place: every dependency string of the lockfile comes through here.
    let hit = -1;
    let hits = 0;
    for (const i of this.byName.get(ref.name) ?? []) {
      const p = this.package(i);
      if (ref.version !== undefined && p.version !== ref.version) continue;
      if (ref.source !== undefined && !sameSource(p.source, ref.source)) continue;
      if (hits++ === 0) hit = i;
    }
    if (hits === 1) return { index: hit };
    if (hits === 0) return { error: `dependency "${ref.raw}" matches no [[package]]` };
    return { error: `dependency "${ref.raw}" is ambiguous (${hits} packages match)` };
  }
}

/**
 * Which manifest directory each sourceless package comes from: by package name, then by
 * version when several manifests share a name. Returns lock index → relDir.
 */
export function assignPathDirs(
  lock: CargoLock,
  manifests: ReadonlyMap<string, ResolvedManifest>,
  warnings: string[],
): Map<number, string> {
  const byName = new Map<string, string[]>();
  for (const [dir, m] of manifests) {
    if (m.name === undefined) continue;
    const dirs = byName.get(m.name);
    if (dirs === undefined) byName.set(m.name, [dir]);
    else dirs.push(dir);
  }
  // Only a name several manifests share needs its directories in order (localeCompare is
  // slow to start: sorting all of wasmtime's manifests cost ~15 ms of a cold run; issue 12).
  for (const dirs of byName.values()) if (dirs.length > 1) dirs.sort((a, b) => a.localeCompare(b));
  const taken = new Set<string>();
  const out = new Map<number, string>();
  lock.packages.forEach((p, i) => {
    if (p.source !== undefined) return;
    const free = (byName.get(p.name) ?? []).filter((d) => !taken.has(d));
    const sameVersion = free.filter((d) => manifests.get(d)?.version === p.version);
    const dir = sameVersion[0] ?? (free.length === 1 ? free[0] : undefined);
    if (dir === undefined) {
      warnings.push(
        `${lock.fileName}: no Cargo.toml supplied for path package ${p.name} ${p.version}; its edges are all treated as normal`,
      );
      return;
    }
    taken.add(dir);
    out.set(i, dir);
  });
  return out;
}
