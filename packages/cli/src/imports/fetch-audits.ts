/**
 * Fetching a peer's audits.toml (cargo-vet imports, spec §3.3, §7.9, §11.5): every URL of an
 * import, base64-decoded when served by gitiles, parsed leniently (a foreign entry we do not
 * understand is dropped with a warning), several URLs merged with aggregate's rules.
 */
import { VetError, emptyAuditsFile, parseAudits, type AuditsFile, type StoreWarning } from '@vet/core';
import type { HttpClient } from '../registry/index.js';

/** What a failed fetch of an import points the user at (the HTTP client's hints). */
export const IMPORT_HINTS = {
  config: 'the import URL in supply-chain/config.toml ([imports.<name>] url)',
  credentials: 'that the import URL is public (vet sends no credentials to peers)',
};

/** A peer's audits file can be large (google's aggregated set is several MB). */
const MAX_AUDITS_BYTES = 64 * 1024 * 1024;

export async function fetchForeignAudits(
  http: HttpClient,
  urls: string[],
  warnings: StoreWarning[],
): Promise<AuditsFile> {
  const files: { url: string; audits: AuditsFile }[] = [];
  for (const url of urls) {
    const res = await http.get(url, {
      maxBytes: MAX_AUDITS_BYTES,
      what: `audits from ${url}`,
      accept: 'text/plain, application/toml, */*',
    });
    let text = res.body.toString('utf8');
    // googlesource serves "?format=TEXT" files base64-encoded and says so in this header.
    if (res.headers['x-gitiles-object-type'] !== undefined) text = Buffer.from(text, 'base64').toString('utf8');
    files.push({ url, audits: parseAudits(text, url, { foreign: true, warnings }) });
  }
  return files.length === 1 ? files[0]!.audits : mergeAudits(files);
}

/** aggregate's merge (spec §7.9): criteria by name must agree; entries gain `aggregated-from`. */
export function mergeAudits(files: { url: string; audits: AuditsFile }[]): AuditsFile {
  const out = emptyAuditsFile();
  for (const { url, audits } of files) {
    for (const [name, c] of Object.entries(audits.criteria)) {
      const existing = out.criteria[name];
      if (!existing) {
        out.criteria[name] = { ...c, aggregatedFrom: [...c.aggregatedFrom, url] };
      } else if (existing.description !== c.description || existing.descriptionUrl !== c.descriptionUrl) {
        throw new VetError(
          'INVALID_STORE',
          `criteria '${name}' is described differently by ${url} and an earlier source of the same import`,
          {
            hint: 'imports with several URLs must agree on the criteria they share',
          },
        );
      }
    }
    for (const [name, list] of Object.entries(audits.audits)) {
      (out.audits[name] ??= []).push(...list.map((a) => ({ ...a, aggregatedFrom: [...a.aggregatedFrom, url] })));
    }
    for (const [name, list] of Object.entries(audits.wildcardAudits)) {
      (out.wildcardAudits[name] ??= []).push(
        ...list.map((a) => ({ ...a, aggregatedFrom: [...a.aggregatedFrom, url] })),
      );
    }
    for (const [name, list] of Object.entries(audits.trusted)) {
      (out.trusted[name] ??= []).push(...list.map((a) => ({ ...a, aggregatedFrom: [...a.aggregatedFrom, url] })));
    }
  }
  return out;
}
