/** `vet add-exemption <pkg> <version>` and `vet record-violation <pkg> <requirement>`. */
import { VetError, DEFAULT_CRITERIA, type Store } from '@vet/core';
import { loadProject, type GlobalOptions } from '../context.js';
import { EXIT_OK } from '../exit-codes.js';
import type { CommandIO } from '../io.js';
import { mutateStore } from '../store-tx.js';
import { requireWho } from '../who.js';

export interface ExemptionOptions {
  pkg: string;
  version: string;
  criteria?: string[];
  notes?: string;
  noSuggest?: boolean;
  force?: boolean;
}

export async function runAddExemption(g: GlobalOptions, io: CommandIO, o: ExemptionOptions): Promise<number> {
  const p = await loadProject(g, io);
  const bad = p.scheme.validate(o.version);
  if (bad) throw new VetError('INVALID_VERSION', `${o.version}: ${bad}`);
  if (!o.force && !p.graph.nodes.some((n) => n.name === o.pkg && n.version === o.version)) {
    throw new VetError('INVALID_ARGUMENT', `${o.pkg}:${o.version} is not in the lockfile`, {
      hint: 'pass --force to add the exemption anyway',
    });
  }
  const criteria = o.criteria?.length ? o.criteria : [p.store.config.defaultCriteria ?? DEFAULT_CRITERIA];
  const existing = coveringExemption(p.store, o.pkg, o.version, criteria);
  if (existing !== undefined) {
    // Idempotent: the same exemption twice would only be a duplicate for `vet fmt` to keep.
    io.err(`${o.pkg}:${o.version} is already exempted for ${existing.criteria.join(', ')}; nothing changed.\n`);
    return EXIT_OK;
  }
  await mutateStore(p.ref.storeDir, (store) => {
    (store.config.exemptions[o.pkg] ??= []).push({
      version: o.version,
      criteria,
      suggest: !o.noSuggest,
      ...(o.notes ? { notes: o.notes } : {}),
    });
  });
  io.err(`Exempted ${o.pkg}:${o.version} for ${criteria.join(', ')}.\n`);
  return EXIT_OK;
}

/** An exemption of exactly this version that already grants every criterion asked for. */
function coveringExemption(
  store: Store,
  pkg: string,
  version: string,
  criteria: readonly string[],
): { criteria: string[] } | undefined {
  const list = Object.hasOwn(store.config.exemptions, pkg) ? store.config.exemptions[pkg] : undefined;
  return list?.find((e) => e.version === version && criteria.every((c) => e.criteria.includes(c)));
}

export interface ViolationOptions {
  pkg: string;
  requirement: string;
  criteria?: string[];
  who?: string[];
  notes?: string;
  force?: boolean;
}

export async function runRecordViolation(g: GlobalOptions, io: CommandIO, o: ViolationOptions): Promise<number> {
  const p = await loadProject(g, io);
  const bad = p.scheme.validateRequirement(o.requirement);
  if (bad) throw new VetError('INVALID_VERSION', `${o.requirement}: ${bad}`);
  const criteria = o.criteria?.length ? o.criteria : [p.store.config.defaultCriteria ?? DEFAULT_CRITERIA];
  const who = requireWho(o.who, g.cwd, 'record-violation');
  await mutateStore(p.ref.storeDir, (store) => {
    (store.audits.audits[o.pkg] ??= []).push({
      kind: 'violation',
      violation: o.requirement,
      criteria,
      who,
      importable: true,
      aggregatedFrom: [],
      ...(o.notes ? { notes: o.notes } : {}),
    });
  });
  io.err(
    `Recorded a violation of ${criteria.join(', ')} for ${o.pkg} ${o.requirement}.\n` +
      (p.ref.ecosystem === 'npm'
        ? 'If this is a vulnerability, consider reporting it to the GitHub Advisory Database too.\n'
        : p.ref.ecosystem === 'cargo'
          ? 'If this is a vulnerability, consider reporting it to the RustSec advisory database too.\n'
          : 'If this is a vulnerability, consider reporting it to the PyPA advisory database too.\n'),
  );
  return EXIT_OK;
}
