/**
 * `vet suggest`: the cheapest audits that would vet everything (spec §8): resolve as if
 * every exemption that allows suggestions were gone, then for each failure measure every
 * candidate delta (or full audit) and keep the smallest. Also shows the risk signals an
 * auditor needs: install scripts, native code, new dependencies, a new publisher, dependents.
 */
import {
  cloneData,
  buildSuggestReport,
  formatSuggestHuman,
  isVetError,
  notableParents,
  resolve,
  suggestCandidates,
  type MeasuredSuggestion,
  type ResolveReport,
  type Store,
  toSafeJson,
  escapeText,
} from '@vet/core';
import { hasBase, type BaseSpec } from './check-options.js';
import { failuresSinceBase, sinceBaseText } from './suggest-base.js';
import { loadProject, type GlobalOptions, type LoadedProject } from '../context.js';
import { EXIT_OK } from '../exit-codes.js';
import type { CommandIO } from '../io.js';
import { emit } from '../output.js';
import { openProjectSource } from './project-source.js';
import { computeSuggestions, createProgress, formatRiskSignal, type SuggestFailure } from '../audit/index.js';
import { openCache } from '../registry/index.js';
import { mapLimit } from '../registry/limiter.js';

/** The store with every `suggest = true` exemption removed. */
export function withoutSuggestableExemptions(store: Store): Store {
  const next = cloneData(store);
  for (const [name, list] of Object.entries(next.config.exemptions)) {
    const kept = list.filter((e) => !e.suggest);
    if (kept.length) next.config.exemptions[name] = kept;
    else delete next.config.exemptions[name];
  }
  return next;
}

/** This version is exempted today (so `suggest` lists it only to shrink the exemptions). */
export function isExempted(store: Store, name: string, version: string): boolean {
  const list = Object.hasOwn(store.config.exemptions, name) ? store.config.exemptions[name] : undefined;
  return list?.some((e) => e.version === version) ?? false;
}

export function failuresToMeasure(report: ResolveReport): SuggestFailure[] {
  return report.failures.map((f) => ({
    name: f.node.name,
    version: f.node.version,
    criteria: [...f.missingCriteria],
    candidates: suggestCandidates(report, f.node).map((c) => ({
      ...(c.from !== undefined ? { from: c.from } : {}),
      to: c.to,
    })),
  }));
}

export async function suggestFor(p: LoadedProject, report: ResolveReport, g: GlobalOptions, io: CommandIO) {
  const failures = failuresToMeasure(report);
  // Count and bytes on a terminal's stderr; nothing in CI or when stderr is redirected.
  const progress = createProgress(
    { isTTY: io.stderrIsTTY ?? process.stderr.isTTY === true, write: (s: string) => io.err(s) },
    failures.reduce((n, f) => n + f.candidates.length, 0),
    'measuring audits',
    io.env,
  );
  const source = await openProjectSource(p, io, g.cacheDir, (n) => progress.bytes(n));
  try {
    const measured = await computeSuggestions(failures, source.suggestFetcher(), {
      graph: p.graph,
      cache: openCache({ ...(g.cacheDir ? { cacheDir: g.cacheDir } : {}), env: io.env }),
      progress,
    });
    const byId = new Map(report.failures.map((f) => [`${f.node.name}@${f.node.version}`, f.node]));
    const fetcher = source.suggestFetcher();
    const logins = new Map<string, string>();
    // Publisher look-ups run concurrently (bounded), like the fetches that came before them.
    if (source.packument)
      await mapLimit(measured.suggestions, 8, async (s) => {
        const doc = fetcher.manifests ? fetcher.manifests(s.name, [s.to]) : fetcher.packument(s.name);
        const login = await doc.then(
          (pk) => pk.versions[s.to]?.npmUser?.name,
          (e: unknown) => {
            if (isVetError(e) && e.code === 'NETWORK_ERROR') throw e; // registry down: exit 2, said once
            return undefined;
          },
        );
        if (login) logins.set(`${s.name}@${s.to}`, login);
      });
    const items: MeasuredSuggestion[] = measured.suggestions.map((s) => ({
      node: byId.get(`${s.name}@${s.version}`)!,
      criteria: s.criteria,
      ...(s.from !== undefined ? { from: s.from } : {}),
      to: s.to,
      diffstat: s.diffstat,
      notableParents: notableParents(p.graph, byId.get(`${s.name}@${s.version}`)!.id),
      ...(logins.has(`${s.name}@${s.to}`) ? { publisherLogin: logins.get(`${s.name}@${s.to}`)! } : {}),
      risk: s.risk.map(formatRiskSignal),
      ...(isExempted(p.store, s.name, s.version) ? { exempted: true } : {}),
    }));
    const warnings = measured.problems.map((pr) => `${pr.name}:${pr.version}: ${pr.error.message}`);
    return { suggest: buildSuggestReport(report, items, warnings), measured };
  } finally {
    await source.close();
  }
}

export async function runSuggest(g: GlobalOptions, io: CommandIO, spec?: BaseSpec): Promise<number> {
  const p = await loadProject(g, io);
  const full = resolve({
    graph: p.graph,
    store: withoutSuggestableExemptions(p.store),
    scheme: p.scheme,
    today: p.today,
  });
  const since = hasBase(spec) ? await failuresSinceBase(g, p, full, spec) : undefined;
  const report = since?.report ?? full;
  if (report.conclusion === 'success' || report.failures.length === 0) {
    const nothing = since
      ? `Nothing to suggest: the change since ${escapeText(since.label)} introduces no unvetted package version${since.skipped ? ` (${since.skipped} the base already had are not listed)` : ''}.\n`
      : "Nothing to suggest, you're fully audited!\n";
    await emit(g, io, g.outputFormat === 'json' ? toSafeJson({ suggestions: [], total_lines: 0 }) : nothing);
    return EXIT_OK;
  }
  const { suggest, measured } = await suggestFor(p, report, g, io);
  if (g.outputFormat === 'json') {
    await emit(
      g,
      io,
      toSafeJson({
        suggestions: measured.suggestions.map((s) => ({
          name: s.name,
          version: s.version,
          suggested_criteria: s.criteria,
          suggested_diff: {
            from: s.from ?? null,
            to: s.to,
            diffstat: {
              insertions: s.diffstat.insertions,
              deletions: s.diffstat.deletions,
              files_changed: s.diffstat.filesChanged,
              ...(s.diffstat.binaryFiles
                ? { binary_files: s.diffstat.binaryFiles, binary_bytes: s.diffstat.binaryBytes ?? 0 }
                : {}),
            },
          },
          risk: s.risk,
          exempted: isExempted(p.store, s.name, s.version),
        })),
        problems: measured.problems.map((pr) => ({
          name: pr.name,
          version: pr.version,
          code: pr.error.code,
          message: pr.error.message,
        })),
        total_lines: suggest.totalLines,
        ...(since ? { base: since.label, unvetted_in_base: since.skipped } : {}),
      }),
    );
    return EXIT_OK;
  }
  await emit(g, io, (since ? sinceBaseText(since) : '') + formatSuggestHuman(suggest));
  return EXIT_OK;
}
