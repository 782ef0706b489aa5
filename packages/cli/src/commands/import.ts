/**
 * `vet import <name> [url…]`: add (or replace) a peer whose audits we use — a plain
 * cargo-vet audits.toml feed, or a notary (`--notary URL --key VERIFIER-KEY`) whose log is
 * verified before anything from it is believed. Fetches it at once and writes imports.lock.
 */
import { dict, VetError, escapeText, type ImportConfig } from '@vet/core';
import { loadProject, type GlobalOptions } from '../context.js';
import { EXIT_OK } from '../exit-codes.js';
import type { CommandIO } from '../io.js';
import { IMPORT_HINTS } from '../imports/fetch-audits.js';
import { refreshImports } from '../imports/refresh.js';
import { createHttpClient } from '../registry/index.js';
import { mutateStore } from '../store-tx.js';
import { notaryRefresher } from '../notary/index.js';

export interface ImportOptions {
  name: string;
  urls: string[];
  notary?: string;
  key?: string;
  maxAge?: string;
  witness?: string[];
  witnessQuorum?: string;
  criteriaMap?: string[];
  exclude?: string[];
}

export function importConfigFrom(o: ImportOptions): ImportConfig {
  const criteriaMap = dict<string[]>();
  for (const pair of o.criteriaMap ?? []) {
    const [theirs, ours] = pair.split('=').map((s) => s.trim());
    if (!theirs || !ours) throw new VetError('INVALID_ARGUMENT', `--criteria-map ${pair}: expected THEIRS=OURS`);
    (criteriaMap[theirs] ??= []).push(ours);
  }
  if (o.notary !== undefined) {
    if (o.key === undefined) {
      throw new VetError('INVALID_ARGUMENT', 'a notary import needs its verifier key', {
        hint: 'pass --key <name>+<keyhash>+<base64 key>, as published by the notary operator',
      });
    }
    const maxAge = o.maxAge === undefined ? undefined : parseDuration(o.maxAge);
    const witnesses = o.witness ?? [];
    const quorum = o.witnessQuorum === undefined ? undefined : Number(o.witnessQuorum);
    if (quorum !== undefined && (!Number.isInteger(quorum) || quorum < 1 || quorum > witnesses.length)) {
      throw new VetError(
        'INVALID_ARGUMENT',
        `--witness-quorum ${o.witnessQuorum}: expected a whole number from 1 to the number of --witness keys (${witnesses.length})`,
      );
    }
    if (maxAge !== undefined && witnesses.length === 0) {
      // Checkpoints carry no time of their own: only witness cosignatures say how fresh one is.
      throw new VetError(
        'INVALID_ARGUMENT',
        '--max-age needs witnesses: a checkpoint is only dated by witness cosignatures',
        {
          hint: 'add --witness <verifier key> (repeatable) and --witness-quorum <k>',
        },
      );
    }
    return {
      url: [],
      exclude: o.exclude ?? [],
      criteriaMap,
      notary: {
        url: o.notary,
        key: o.key,
        ...(maxAge !== undefined ? { maxAgeSeconds: maxAge } : {}),
        ...(witnesses.length ? { witnesses, witnessQuorum: quorum ?? witnesses.length } : {}),
      },
    };
  }
  if (o.urls.length === 0) {
    throw new VetError('INVALID_ARGUMENT', `import '${o.name}' needs a URL`, {
      hint: 'vet import NAME https://example.com/supply-chain/audits.toml, or --notary URL --key KEY',
    });
  }
  return { url: o.urls, exclude: o.exclude ?? [], criteriaMap };
}

/** "3600", "90s", "30m", "24h", "7d" → seconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+)\s*([smhd]?)$/.exec(text.trim());
  if (!m)
    throw new VetError('INVALID_ARGUMENT', `${text} is not a duration`, {
      hint: 'use seconds, or a number with s, m, h or d',
    });
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2] as '' | 's' | 'm' | 'h' | 'd'];
  return Number(m[1]) * unit;
}

export async function runImport(g: GlobalOptions, io: CommandIO, o: ImportOptions): Promise<number> {
  if (g.locked) throw new VetError('INVALID_ARGUMENT', 'import fetches the peer, which --locked and --frozen forbid');
  const p = await loadProject(g, io);
  const config = importConfigFrom(o);
  const http = createHttpClient({ hints: IMPORT_HINTS });
  try {
    await mutateStore(p.ref.storeDir, async (store) => {
      store.config.imports[o.name] = config;
      const refreshed = await refreshImports(store, p.graph, {
        http,
        only: o.name,
        notary: notaryRefresher({ http, io, storeDir: p.ref.storeDir }),
      });
      for (const w of refreshed.warnings) io.err(`warning: ${escapeText(w)}\n`);
      Object.assign(store, refreshed.store);
    });
  } finally {
    await http.close();
  }
  const kept = Object.values((await loadProject(g, io)).store.importsLock.audits[o.name]?.audits ?? {}).reduce(
    (a, l) => a + l.length,
    0,
  );
  io.err(`Imported '${escapeText(o.name)}': ${kept} audit${kept === 1 ? '' : 's'} of packages this project uses.\n`);
  return EXIT_OK;
}
