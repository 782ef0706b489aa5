/**
 * Turning a peer's audits.toml into what imports.lock keeps (spec/cargo-vet-format.md §5.3, §6):
 * each imported entry's criteria become LOCAL names — the union of the `criteria-map`
 * mappings of every criterion in the entry's FOREIGN closure; built-ins map to themselves.
 * imports.lock keeps only foreign criteria that are criteria-map keys (for change detection).
 */
import { CriteriaIndex, type CriteriaSet } from '../resolver/criteria.js';
import { SAFE_TO_DEPLOY, SAFE_TO_RUN, emptyAuditsFile, type AuditsFile, type ImportConfig } from '../store/model.js';

export interface TranslateOptions {
  importName: string;
  /** Keep audits only for these package names (the graph's); undefined keeps all. */
  packages?: ReadonlySet<string>;
}

export interface TranslateResult {
  audits: AuditsFile;
  warnings: string[];
}

export function translateImport(
  foreign: AuditsFile,
  config: ImportConfig,
  local: CriteriaIndex,
  opts: TranslateOptions,
): TranslateResult {
  const warnings: string[] = [];
  const foreignIndex = new CriteriaIndex(foreign.criteria, `import '${opts.importName}'`);
  const mapped = foreignIndex.names.map((f) => mapOne(f, config, local));
  const translate = (criteria: string[], what: string): string[] | undefined => {
    const known = criteria.filter((c) => foreignIndex.has(c));
    if (known.length === 0) {
      warnings.push(`import '${opts.importName}': dropped ${what}: no known criteria in [${criteria.join(', ')}]`);
      return undefined;
    }
    let set: CriteriaSet = 0n;
    for (const i of foreignIndex.indices(foreignIndex.closureOf(known))) set |= mapped[i]!;
    return local.minimalNames(set);
  };
  const keep = (name: string) => opts.packages === undefined || opts.packages.has(name);
  const out = emptyAuditsFile();

  for (const f of Object.keys(config.criteriaMap)) {
    const entry = foreign.criteria[f];
    if (entry)
      out.criteria[f] = {
        ...(entry.description !== undefined ? { description: entry.description } : {}),
        implies: [],
        aggregatedFrom: [],
      };
  }
  const excluded = new Set(config.exclude);
  for (const [name, list] of Object.entries(foreign.audits)) {
    if (excluded.has(name) || !keep(name)) continue;
    const kept = [];
    for (const a of list) {
      if (!a.importable) continue; // peers never import local-only audits
      const criteria = translate(a.criteria, `an audit of ${name}`);
      if (criteria) kept.push({ ...a, criteria, importable: true });
    }
    if (kept.length) out.audits[name] = kept;
  }
  for (const [name, list] of Object.entries(foreign.wildcardAudits)) {
    if (!keep(name)) continue;
    const kept = list.flatMap((w) => {
      const criteria = translate(w.criteria, `a wildcard audit of ${name}`);
      return criteria ? [{ ...w, criteria }] : [];
    });
    if (kept.length) out.wildcardAudits[name] = kept;
  }
  return { audits: out, warnings };
}

function mapOne(foreignName: string, config: ImportConfig, local: CriteriaIndex): CriteriaSet {
  const target = config.criteriaMap[foreignName];
  if (target !== undefined) return local.closureOf(target, { context: `criteria-map of '${foreignName}'` });
  if (foreignName === SAFE_TO_RUN || foreignName === SAFE_TO_DEPLOY) return local.closureOf([foreignName]);
  return 0n;
}
