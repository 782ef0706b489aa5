/**
 * The derived cargo-vet feed: an `audits.toml` per ecosystem that `cargo vet` can import
 * with `[imports.<name>] url = "<notary>/v1/feeds/cargo/audits.toml"`. Serialised by
 * @vet/core's serializeAudits (cargo-vet 0.10.2 canonical form). cargo-vet cannot verify
 * it, so the header names the checkpoint it was built from; `vet` rebuilds the same rows
 * from the log and compares (spec/notary.md §9).
 */
import { serializeAudits, type AuditEntry, type AuditsFile } from '@vet/core';
import { BUILTIN_CRITERIA, type NotaryPolicy } from '../config.js';
import type { PublishedAudit } from './approvals.js';

export function formatAuditsFeed(
  rows: Map<string, PublishedAudit[]>,
  policy: NotaryPolicy,
  source: { origin: string; ecosystem: string; size: number; rootHash: string },
): string {
  const file: AuditsFile = { criteria: {}, wildcardAudits: {}, audits: {}, trusted: {} };
  for (const c of policy.criteria.filter((x) => !BUILTIN_CRITERIA.includes(x))) {
    file.criteria[c] = { description: policy.criteriaDescriptions[c] ?? c, implies: [], aggregatedFrom: [] };
  }
  for (const [name, list] of rows) file.audits[name] = list.map(toEntry);
  const header = [
    `# Derived from the vet notary log ${source.origin} (${source.ecosystem} entries)`,
    `# at checkpoint size ${source.size}, root ${source.rootHash}.`,
    '# A convenience copy: the signed log at this notary is the source of truth.',
  ].join('\n');
  return serializeAudits(file).replace('# cargo-vet audits file\n', `# cargo-vet audits file\n${header}\n`);
}

function toEntry(r: PublishedAudit): AuditEntry {
  const notes = [r.notes, `notary log entries: ${r.entries.join(', ')}`].filter(Boolean).join('\n\n');
  const e: AuditEntry = { who: r.who, criteria: r.criteria, kind: r.kind, importable: true, notes, aggregatedFrom: [] };
  if (r.kind === 'full') e.version = r.version;
  else if (r.kind === 'delta' && r.delta) e.delta = r.delta;
  else if (r.violation !== undefined) e.violation = r.violation;
  return e;
}
