/**
 * The derived cargo-vet feed: an `audits.toml` per ecosystem that `cargo vet` can import
 * with `[imports.<name>] url = "<notary>/v1/feeds/cargo/audits.toml"`. cargo-vet cannot
 * verify it, so the header names the checkpoint it was built from; `vet` rebuilds the same
 * rows from the log and compares (spec/notary.md §9). Strings are TOML basic strings
 * (JSON escapes are a subset of TOML's), key order follows cargo-vet (§4.2).
 */
import { BUILTIN_CRITERIA, type NotaryPolicy } from '../config.js';
import type { PublishedAudit } from './approvals.js';

const q = (s: string) => JSON.stringify(s);
const key = (k: string) => (/^[A-Za-z0-9_-]+$/.test(k) ? k : q(k));
const list = (xs: string[]) => (xs.length === 1 ? q(xs[0] ?? '') : `[${xs.map(q).join(', ')}]`);

export function formatAuditsFeed(
  rows: Map<string, PublishedAudit[]>,
  policy: NotaryPolicy,
  source: { origin: string; ecosystem: string; size: number; rootHash: string },
): string {
  const out: string[] = [
    '',
    '# cargo-vet audits file',
    `# Derived from the vet notary log ${source.origin} (${source.ecosystem} entries)`,
    `# at checkpoint size ${source.size}, root ${source.rootHash}.`,
    '# A convenience copy: the signed log at this notary is the source of truth.',
  ];
  for (const c of policy.criteria.filter((x) => !BUILTIN_CRITERIA.includes(x))) {
    out.push('', `[criteria.${key(c)}]`, `description = ${q(policy.criteriaDescriptions[c] ?? c)}`);
  }
  const names = [...rows.keys()].sort(cmp);
  if (names.length === 0) out.push('', '[audits]');
  for (const name of names) {
    for (const r of rows.get(name) ?? []) {
      out.push('', `[[audits.${key(name)}]]`, `who = ${list(r.who)}`, `criteria = ${list(r.criteria)}`);
      if (r.kind === 'full') out.push(`version = ${q(r.version ?? '')}`);
      else if (r.kind === 'delta') out.push(`delta = ${q(`${r.delta?.from ?? ''} -> ${r.delta?.to ?? ''}`)}`);
      else out.push(`violation = ${q(r.violation ?? '')}`);
      const notes = [r.notes, `notary log entries: ${r.entries.join(', ')}`].filter(Boolean).join('\n\n');
      out.push(`notes = ${q(notes)}`);
    }
  }
  return out.join('\n') + '\n';
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
