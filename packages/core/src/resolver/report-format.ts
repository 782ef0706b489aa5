/**
 * What `check` prints (spec/cargo-vet-format.md §10): the human text and the JSON
 * document, both pure functions of the report. The CLI appends its own next-command
 * hints and chooses where the text goes.
 */
import { escapeMultiline, escapeText } from '../escape.js';
import type { AuditEntry, ExemptionEntry } from '../store/model.js';
import { canonicalVersion, displayRequirement } from './scheme-ext.js';
import { formatShortList } from './short-list.js';
import { formatSuggestHuman, type MeasuredSuggestion, type SuggestReport } from './suggest-report.js';
import type { NodeRef, ResolveReport, VetFailure } from './types.js';
import type { ViolationConflict } from './violations.js';
import { dictFrom } from '../dict.js';

const byteOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Rust `{:?}` of a `Vec<String>`: `["a", "b"]` (outside strings, so escaped). */
export const debugList = (items: readonly string[]): string =>
  `[${items.map((s) => escapeText(JSON.stringify(s))).join(', ')}]`;

/** `name:version` of a package from outside, escaped for printing. */
export const pkgText = (name: string, version: string): string => `${escapeText(name)}:${escapeText(version)}`;

function successLine(r: ResolveReport): string {
  const parts: string[] = [];
  if (r.vettedFully.length) parts.push(`${r.vettedFully.length} fully audited`);
  if (r.vettedPartially.length) parts.push(`${r.vettedPartially.length} partially audited`);
  if (r.vettedWithExemptions.length) parts.push(`${r.vettedWithExemptions.length} exempted`);
  return parts.length === 0
    ? 'Vetting Succeeded (because you have no third-party dependencies)\n'
    : `Vetting Succeeded (${parts.join(', ')})\n`;
}

function entryText(r: ResolveReport, source: string | null, e: AuditEntry): string {
  const v = (s: string): string => escapeText(canonicalVersion(r.scheme, s));
  let out = source === null ? 'own ' : `foreign (${escapeText(source)}) `;
  if (e.kind === 'full') out += `audit ${v(e.version ?? '')}\n`;
  else if (e.kind === 'delta') out += `audit ${v(e.delta?.from ?? '')} -> ${v(e.delta?.to ?? '')}\n`;
  else out += `violation against ${escapeText(displayRequirement(r.scheme, e.violation ?? ''))}\n`;
  out += `      criteria: ${debugList(e.criteria)}\n`;
  if (e.who.length > 0) out += `      who: ${escapeText(e.who.join(', '))}\n`;
  if (e.notes !== undefined) out += `      notes: ${escapeMultiline(e.notes, '        ')}\n`;
  return out;
}

function conflictText(r: ResolveReport, c: ViolationConflict): string {
  let out = '    the ';
  if (c.kind === 'exemption') {
    out += `exemption ${escapeText(canonicalVersion(r.scheme, c.exemption.version))}\n      criteria: ${debugList(c.exemption.criteria)}\n`;
    if (c.exemption.notes !== undefined) out += `      notes: ${escapeMultiline(c.exemption.notes, '        ')}\n`;
  } else out += entryText(r, c.auditSource, c.audit);
  return `${out}    conflicts with ${entryText(r, c.violationSource, c.violation)}\n`;
}

/** Violation keys (`name:version`; names never contain ':') in (name, version) order. */
function violationKeys(r: ResolveReport): string[] {
  const split = (k: string): [string, string] => [k.slice(0, k.indexOf(':')), k.slice(k.indexOf(':') + 1)];
  return Object.keys(r.violations).sort((a, b) => {
    const [an, av] = split(a);
    const [bn, bv] = split(b);
    return byteOrder(an, bn) || r.scheme.compare(av, bv);
  });
}

/**
 * §10.1 text. `suggest` (unlocked runs only) is appended after the failures; `annotate` adds
 * to a failure's line (vet's own notes, e.g. a revoked approval; cargo-vet has none).
 */
export function formatCheckHuman(
  r: ResolveReport,
  suggest?: SuggestReport | null,
  tool = 'vet',
  annotate: (f: VetFailure) => string = () => '',
): string {
  switch (r.conclusion) {
    case 'success':
      return successLine(r);
    case 'fail (vetting)': {
      let out = `Vetting Failed!\n\n${r.failures.length} unvetted dependencies:\n`;
      for (const f of r.failures)
        out += `  ${pkgText(f.node.name, canonicalVersion(r.scheme, f.node.version))} missing ${debugList(f.missingCriteria)}${annotate(f)}\n`;
      if (suggest) out += `\n${formatSuggestHuman(suggest, tool)}`;
      return out;
    }
    case 'fail (violation)': {
      let out = 'Violations Found!\n';
      for (const key of violationKeys(r)) {
        out += `  ${escapeText(key)}\n`;
        for (const c of r.violations[key]!) out += conflictText(r, c);
      }
      return out;
    }
  }
}

// ---- JSON (§10.2) -------------------------------------------------------------------

const stringOrList = (l: readonly string[]): string | string[] => (l.length === 1 ? l[0]! : [...l]);

function auditJson(r: ResolveReport, e: AuditEntry): Record<string, unknown> {
  const v = (s: string): string => canonicalVersion(r.scheme, s);
  return {
    ...(e.who.length > 0 ? { who: stringOrList(e.who) } : {}),
    criteria: stringOrList(e.criteria),
    version: e.kind === 'full' && e.version !== undefined ? v(e.version) : null,
    delta: e.kind === 'delta' && e.delta ? `${v(e.delta.from)} -> ${v(e.delta.to)}` : null,
    violation: e.kind === 'violation' ? displayRequirement(r.scheme, e.violation ?? '') : null,
    importable: e.importable ? null : false,
    notes: e.notes ?? null,
    ...(e.aggregatedFrom.length > 0 ? { 'aggregated-from': stringOrList(e.aggregatedFrom) } : {}),
  };
}

function exemptionJson(r: ResolveReport, x: ExemptionEntry): Record<string, unknown> {
  return {
    version: canonicalVersion(r.scheme, x.version),
    criteria: stringOrList(x.criteria),
    ...(x.suggest ? {} : { suggest: false }),
    notes: x.notes ?? null,
  };
}

function conflictJson(r: ResolveReport, c: ViolationConflict): Record<string, unknown> {
  if (c.kind === 'exemption') {
    return {
      UnauditedConflict: {
        violation_source: c.violationSource,
        violation: auditJson(r, c.violation),
        exemptions: exemptionJson(r, c.exemption),
      },
    };
  }
  return {
    AuditConflict: {
      violation_source: c.violationSource,
      violation: auditJson(r, c.violation),
      audit_source: c.auditSource,
      audit: auditJson(r, c.audit),
    },
  };
}

function suggestItemJson(r: ResolveReport, s: MeasuredSuggestion): Record<string, unknown> {
  return {
    name: s.node.name,
    notable_parents: formatShortList(s.notableParents),
    suggested_criteria: r.criteria.minimalNames(r.criteria.closureOf(s.criteria)),
    suggested_diff: {
      from: s.from === undefined ? null : canonicalVersion(r.scheme, s.from),
      to: canonicalVersion(r.scheme, s.to),
      diffstat: {
        insertions: s.diffstat.insertions,
        deletions: s.diffstat.deletions,
        files_changed: s.diffstat.filesChanged,
      },
    },
  };
}

/** §10.2 document as a plain object (`JSON.stringify(x, null, 2)` gives cargo-vet's text). */
export function toCargoVetJson(r: ResolveReport, suggest?: SuggestReport | null): Record<string, unknown> {
  const pkg = (n: NodeRef) => ({ name: n.name, version: canonicalVersion(r.scheme, n.version) });
  switch (r.conclusion) {
    case 'success':
      return {
        conclusion: r.conclusion,
        vetted_fully: r.vettedFully.map(pkg),
        vetted_partially: r.vettedPartially.map(pkg),
        vetted_with_exemptions: r.vettedWithExemptions.map(pkg),
      };
    case 'fail (vetting)':
      return {
        conclusion: r.conclusion,
        failures: r.failures.map((f) => ({ ...pkg(f.node), missing_criteria: f.missingCriteria })),
        suggest: suggest
          ? {
              suggestions: suggest.suggestions.map((s) => suggestItemJson(r, s)),
              suggest_by_criteria: dictFrom(
                suggest.byCriteria.map(([label, items]) => [label, items.map((s) => suggestItemJson(r, s))]),
              ),
              total_lines: suggest.totalLines,
            }
          : null,
      };
    case 'fail (violation)':
      return {
        conclusion: r.conclusion,
        violations: dictFrom(
          Object.keys(r.violations)
            .sort(byteOrder)
            .map((k) => [k, r.violations[k]!.map((c) => conflictJson(r, c))]),
        ),
      };
  }
}
