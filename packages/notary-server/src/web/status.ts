/**
 * `vet-notary status <dir>`: what the home page shows, for a terminal. Asks the running
 * server for the home page's JSON (the same data the page prints) and formats it; every
 * string from the log is printed through core's escapeText.
 */
import { readFileSync } from 'node:fs';
import { escapeText, VetError } from '@vet/core';
import { serverUrlFile } from '../operator.js';
import type { homeData } from './data.js';
import { age } from './time.js';

export type HomeData = ReturnType<typeof homeData>;

export async function fetchStatus(dataDir: string): Promise<HomeData> {
  let url: string;
  try {
    url = readFileSync(serverUrlFile(dataDir), 'utf8').trim();
  } catch {
    throw new VetError('NOT_FOUND', `no running notary server found for ${dataDir}`, {
      hint: 'start it with `vet-notary serve <dir>`',
    });
  }
  let res: Response;
  try {
    res = await fetch(`${url}/`, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(10_000) });
  } catch (cause) {
    throw new VetError('HTTP_ERROR', `cannot reach the notary at ${url}/ (is it running?)`, { cause });
  }
  if (!res.ok) throw new VetError('HTTP_ERROR', `${url}/ answered HTTP ${res.status}`);
  return (await res.json()) as HomeData;
}

export function formatStatus(d: HomeData): string {
  const e = escapeText;
  const lines = [
    `origin:        ${e(d.origin)}`,
    ...d.verifierKeys.map((k) => `verifier key:  ${e(k)}`),
    `tree size:     ${d.treeSize}`,
    `latest entry:  ${d.checkpoint.ageSeconds === undefined ? 'none (empty log)' : `${age(d.checkpoint.ageSeconds * 1000)} ago`}`,
    `witnesses:     ${d.witnesses.length === 0 ? 'none' : d.witnesses.map((w) => e(w.name)).join(', ')}`,
    `last 7 days:   ${d.submissionsPerDay
      .slice(-7)
      .map((x) => x.count)
      .join(' ')} entries per day`,
    `policy:        quorum ${d.policy.quorum}, cooldown ${d.policy.cooldownDays} days`,
    `criteria:      ${d.criteria.map(e).join(', ')}`,
    `auditors:      ${d.auditors.length}`,
    ...d.auditors.map((a) => `  ${e(a.name)} (${e(a.keyid)})${a.active ? '' : ' removed'}`),
  ];
  for (const w of d.watch ?? []) {
    lines.push(
      `watch ${w.ecosystem}:${' '.repeat(Math.max(1, 7 - w.ecosystem.length))}${w.stale ? `STALE (${w.failures} failed polls${w.lastError ? `: ${e(w.lastError.message)}` : ''})` : `ok, checked ${w.lastOk ?? ''}`}`,
    );
  }
  return lines.join('\n');
}
