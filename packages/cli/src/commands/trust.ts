/**
 * `vet trust <pkg> <publisher>`: trust every version of <pkg> that <publisher> (an npm user
 * name) published inside a date window — `[[trusted.<pkg>]]` in audits.toml, with the
 * registry's publication facts for the versions in use kept as publisher rows in imports.lock.
 */
import { SAFE_TO_DEPLOY, VetError } from '@vet/core';
import { loadProject, type GlobalOptions } from '../context.js';
import { EXIT_OK } from '../exit-codes.js';
import type { CommandIO } from '../io.js';
import { openPackageSource } from '../package-source.js';
import { firstPublishedBy, setPublisherRows } from '../imports/publishers.js';
import { mutateStore } from '../store-tx.js';

export interface TrustOptions {
  pkg: string;
  publisher: string;
  criteria?: string[];
  startDate?: string;
  endDate?: string;
  notes?: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function plusMonths(day: string, months: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
}

export async function runTrust(g: GlobalOptions, io: CommandIO, o: TrustOptions): Promise<number> {
  if (g.locked) throw new VetError('INVALID_ARGUMENT', 'trust asks the registry who published what, which --locked and --frozen forbid');
  const p = await loadProject(g, io);
  if (p.ref.ecosystem !== 'npm') {
    throw new VetError('INVALID_ARGUMENT', `vet trust supports npm publishers; for crates use \`cargo vet trust\``);
  }
  for (const d of [o.startDate, o.endDate]) {
    if (d !== undefined && !DATE.test(d)) throw new VetError('INVALID_ARGUMENT', `${d} is not a YYYY-MM-DD date`);
  }
  const source = await openPackageSource({ ecosystem: 'npm', graph: p.graph, lockfile: p.ref.lockfile, env: io.env, ...(g.cacheDir ? { cacheDir: g.cacheDir } : {}) });
  try {
    const packument = await source.packument!(o.pkg);
    const start = o.startDate ?? firstPublishedBy(packument, o.publisher);
    if (start === undefined) {
      throw new VetError('INVALID_ARGUMENT', `${o.publisher} has published no version of ${o.pkg}`, {
        hint: 'check the npm user name (the registry\'s _npmUser of a version), or pass --start-date',
      });
    }
    const maxEnd = plusMonths(p.today, 12);
    const end = o.endDate ?? maxEnd;
    if (end > maxEnd) throw new VetError('INVALID_ARGUMENT', `--end-date ${end} is more than 12 months away`, { hint: `the latest allowed is ${maxEnd}` });
    const criteria = o.criteria?.length ? o.criteria : [SAFE_TO_DEPLOY];
    await mutateStore(p.ref.storeDir, (store) => {
      (store.audits.trusted[o.pkg] ??= []).push({
        criteria,
        identity: { kind: 'user-login', userLogin: o.publisher },
        start,
        end,
        aggregatedFrom: [],
        ...(o.notes ? { notes: o.notes } : {}),
      });
      setPublisherRows(store, p.graph, o.pkg, packument);
    });
    io.err(`Trusted ${o.publisher} for ${o.pkg} (${criteria.join(', ')}) from ${start} until ${end}.\n`);
    return EXIT_OK;
  } finally {
    await source.close();
  }
}
