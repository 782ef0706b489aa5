/**
 * `vet prune`: remove exemptions the audits have made unnecessary, and exemptions of
 * versions no longer in the lockfile. Also used by certify for the certified package.
 */
import { cloneData, resolve, type Store } from '@vet/core';
import { loadProject, type GlobalOptions, type LoadedProject } from '../context.js';
import { EXIT_OK } from '../exit-codes.js';
import type { CommandIO } from '../io.js';
import { mutateStore } from '../store-tx.js';

function resolveWith(p: LoadedProject, store: Store) {
  return resolve({ graph: p.graph, store, scheme: p.scheme, today: p.today });
}

/**
 * Drop exemptions of `pkg` one at a time, keeping each drop only if every node of
 * `pkg` still vets. Few exemptions per package, so trial resolution is cheap enough.
 */
export function pruneExemptionsFor(p: LoadedProject, pkg: string): number {
  const list = p.store.config.exemptions[pkg];
  if (!list?.length) return 0;
  const failsFor = (s: Store) => resolveWith(p, s).failures.filter((f) => f.node.name === pkg).length;
  const baseline = failsFor(p.store);
  let removed = 0;
  for (const entry of [...list]) {
    const idx = list.indexOf(entry);
    list.splice(idx, 1);
    if (failsFor(p.store) > baseline) list.splice(idx, 0, entry);
    else removed++;
  }
  if (list.length === 0) delete p.store.config.exemptions[pkg];
  return removed;
}

/**
 * Whole-store prune: an exemption is unused when its version is not in the graph, or when
 * every node of that version is fully audited without it (the resolver prefers audits to
 * exemptions, so such a node's paths use none). Verified by one final resolution; packages
 * that got worse fall back to the per-package trial.
 */
export function pruneStore(p: LoadedProject): { removed: number } {
  const before = resolveWith(p, p.store);
  const fully = new Set(before.vettedFully.map((n) => `${n.name}@${n.version}`));
  const present = new Map<string, boolean>();
  for (const n of p.graph.nodes) {
    if (n.firstParty) continue;
    const key = `${n.name}@${n.version}`;
    present.set(key, (present.get(key) ?? true) && fully.has(key));
  }
  const snapshot = cloneData(p.store.config.exemptions);
  let removed = 0;
  for (const [name, list] of Object.entries(p.store.config.exemptions)) {
    const kept = list.filter((e) => present.get(`${name}@${e.version}`) === false);
    removed += list.length - kept.length;
    if (kept.length) p.store.config.exemptions[name] = kept;
    else delete p.store.config.exemptions[name];
  }
  const after = resolveWith(p, p.store);
  const worse = new Set(after.failures.map((f) => f.node.name));
  for (const f of before.failures) worse.delete(f.node.name);
  for (const name of worse) {
    const original = snapshot[name];
    if (!original) continue;
    removed -= original.length - (p.store.config.exemptions[name]?.length ?? 0);
    p.store.config.exemptions[name] = cloneData(original);
    removed += pruneExemptionsFor(p, name);
  }
  return { removed };
}

export async function runPrune(g: GlobalOptions, io: CommandIO): Promise<number> {
  const p = await loadProject(g, io);
  const { removed } = await mutateStore(p.ref.storeDir, (store) => pruneStore({ ...p, store }));
  io.err(removed === 0 ? 'Nothing to prune.\n' : `Removed ${removed} unneeded exemption${removed === 1 ? '' : 's'}.\n`);
  return EXIT_OK;
}
