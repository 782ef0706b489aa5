/**
 * The sparse registry protocol (cargo reference, "Registry index"), pure: where a crate's index
 * file lives, its JSON-lines records, and the download URL from `config.json`'s `dl` template.
 */
import { VetError } from '@vet/core';

export interface IndexRecord {
  name: string;
  vers: string;
  /** sha256 of the .crate file, lowercase hex. */
  cksum: string;
  yanked: boolean;
}

/** `serde` → `se/rd/serde`, `syn` → `3/s/syn`, `cc` → `2/cc`, `a` → `1/a` (lower-cased). */
export function indexPath(name: string): string {
  const n = name.toLowerCase();
  if (n.length === 1) return `1/${n}`;
  if (n.length === 2) return `2/${n}`;
  if (n.length === 3) return `3/${n[0]}/${n}`;
  return `${n.slice(0, 2)}/${n.slice(2, 4)}/${n}`;
}

/** The records of one index file; lines that are not records are skipped, as cargo does. */
export function parseIndexFile(text: string, url: string): IndexRecord[] {
  const out: IndexRecord[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let r: unknown;
    try {
      r = JSON.parse(line);
    } catch {
      continue;
    }
    const o = r as Record<string, unknown>;
    if (typeof o?.name !== 'string' || typeof o.vers !== 'string' || typeof o.cksum !== 'string') continue;
    if (!/^[0-9a-f]{64}$/.test(o.cksum))
      throw new VetError('PARSE_ERROR', `${url}: ${o.name} ${o.vers} has a malformed cksum`, { file: url });
    out.push({ name: o.name, vers: o.vers, cksum: o.cksum, yanked: o.yanked === true });
  }
  return out;
}

/** `config.json`'s `dl`, with cargo's markers; without markers, `/{crate}/{version}/download` is appended. */
export function downloadUrl(dl: string, name: string, version: string, cksum: string): string {
  const markers = /\{(crate|version|prefix|lowerprefix|sha256-checksum)\}/;
  if (!markers.test(dl))
    return `${dl.replace(/\/+$/, '')}/${encodeURIComponent(name)}/${encodeURIComponent(version)}/download`;
  const prefix = indexPath(name).split('/').slice(0, -1).join('/');
  const originalPrefix =
    name.length <= 2 ? prefix : name.length === 3 ? `3/${name[0]}` : `${name.slice(0, 2)}/${name.slice(2, 4)}`;
  return dl
    .replaceAll('{crate}', encodeURIComponent(name))
    .replaceAll('{version}', encodeURIComponent(version))
    .replaceAll('{prefix}', originalPrefix)
    .replaceAll('{lowerprefix}', prefix)
    .replaceAll('{sha256-checksum}', cksum);
}
