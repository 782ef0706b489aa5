/**
 * `vet regenerate exemptions`: make `check` pass with the fewest exemptions — exempt what fails
 * (with exactly the missing criteria), then drop exemptions the audits made unnecessary.
 * For accepting a dependency update wholesale; every exemption it adds shows up in review.
 */
import { resolve } from '@vet/core';
import { loadProject, type GlobalOptions } from '../context.js';
import { EXIT_OK } from '../exit-codes.js';
import type { CommandIO } from '../io.js';
import { mutateStore } from '../store-tx.js';
import { pruneStore } from './prune.js';
import type { LoadedProject } from '../context.js';

export function regenerateExemptions(p: LoadedProject): { added: number; removed: number } {
  const report = resolve({ graph: p.graph, store: p.store, scheme: p.scheme, today: p.today });
  let added = 0;
  for (const f of report.failures) {
    const list = (p.store.config.exemptions[f.node.name] ??= []);
    const existing = list.find((e) => e.version === f.node.version && e.suggest);
    if (existing) existing.criteria = [...new Set([...existing.criteria, ...f.missingCriteria])];
    else list.push({ version: f.node.version, criteria: [...f.missingCriteria], suggest: true });
    added++;
  }
  const { removed } = pruneStore(p);
  return { added, removed };
}

export async function runRegenerateExemptions(g: GlobalOptions, io: CommandIO): Promise<number> {
  const p = await loadProject(g, io);
  const r = await mutateStore(p.ref.storeDir, (store) => regenerateExemptions({ ...p, store }));
  io.err(
    `Exempted ${r.added} failing package version${r.added === 1 ? '' : 's'}; removed ${r.removed} unneeded exemption${r.removed === 1 ? '' : 's'}.\n`,
  );
  return EXIT_OK;
}
