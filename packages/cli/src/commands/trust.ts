/**
 * `vet trust <pkg> [<publisher>]`: trust every version of <pkg> that <publisher> (an npm user
 * name) published inside a date window — `[[trusted.<pkg>]]` in audits.toml, with the
 * registry's publication facts for the versions in use kept as publisher rows in imports.lock.
 * Without <publisher>, the one npm user who published the versions in use.
 *
 * `vet trust --all <publisher>` does the same for every package that is failing or only
 * exempted (spec cargo-vet-format §11.4) and whose versions in use were all published by that
 * user; `--allow-multiple-publishers` also takes packages where they published only some.
 *
 * An existing entry with the same criteria and publisher whose window lies inside the new one
 * is widened rather than duplicated (unless --notes is given), as cargo-vet does.
 */
import { cloneData, dict, SAFE_TO_DEPLOY, VetError, resolve, type Store, type TrustedEntry } from '@vet/core';
import { loadProject, type GlobalOptions, type LoadedProject } from '../context.js';
import { EXIT_OK } from '../exit-codes.js';
import type { CommandIO } from '../io.js';
import { openPackageSource } from '../package-source.js';
import { firstPublishedBy, setPublisherRows } from '../imports/publishers.js';
import type { Packument } from '../registry/index.js';
import { mutateStore } from '../store-tx.js';

export interface TrustOptions {
  pkg?: string;
  publisher?: string;
  /** `--all <publisher>`. */
  all?: string;
  allowMultiplePublishers?: boolean;
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

/** Publishers (npm user names) of the versions of `pkg` in use; undefined for a version the registry names nobody for. */
function publishersInUse(p: LoadedProject, pkg: string, packument: Packument): Array<string | undefined> {
  const versions = new Set(p.graph.nodes.filter((n) => n.name === pkg && !n.firstParty).map((n) => n.version));
  return [...versions].map((v) => packument.versions[v]?.npmUser?.name);
}

/** Adds the entry, or widens an existing one it contains (same criteria and publisher, no notes). */
export function addOrWidenTrust(store: Store, pkg: string, entry: TrustedEntry): 'added' | 'widened' | 'unchanged' {
  const list = (store.audits.trusted[pkg] ??= []);
  const sameCriteria = (a: string[]) =>
    a.length === entry.criteria.length && a.every((c) => entry.criteria.includes(c));
  if (entry.notes === undefined) {
    const inside = list.find(
      (t) =>
        sameCriteria(t.criteria) &&
        JSON.stringify(t.identity) === JSON.stringify(entry.identity) &&
        t.start >= entry.start &&
        t.end <= entry.end,
    );
    if (inside) {
      if (inside.start === entry.start && inside.end === entry.end) return 'unchanged';
      inside.start = entry.start;
      inside.end = entry.end;
      return 'widened';
    }
  }
  list.push(entry);
  return 'added';
}

export async function runTrust(g: GlobalOptions, io: CommandIO, o: TrustOptions): Promise<number> {
  if (g.locked)
    throw new VetError(
      'INVALID_ARGUMENT',
      'trust asks the registry who published what, which --locked and --frozen forbid',
    );
  if (o.all !== undefined && (o.pkg !== undefined || o.publisher !== undefined)) {
    throw new VetError('INVALID_ARGUMENT', 'give either <package> [<publisher>] or --all <publisher>, not both');
  }
  if (o.all === undefined && o.pkg === undefined)
    throw new VetError('INVALID_ARGUMENT', 'name a package, or use --all <publisher>');
  if (o.allowMultiplePublishers && o.all === undefined)
    throw new VetError('INVALID_ARGUMENT', '--allow-multiple-publishers goes with --all');
  const p = await loadProject(g, io);
  if (p.ref.ecosystem !== 'npm') {
    throw new VetError('INVALID_ARGUMENT', `vet trust supports npm publishers; for crates use \`cargo vet trust\``);
  }
  for (const d of [o.startDate, o.endDate]) {
    if (d !== undefined && !DATE.test(d)) throw new VetError('INVALID_ARGUMENT', `${d} is not a YYYY-MM-DD date`);
  }
  const maxEnd = plusMonths(p.today, 12);
  const end = o.endDate ?? maxEnd;
  if (end > maxEnd)
    throw new VetError('INVALID_ARGUMENT', `--end-date ${end} is more than 12 months away`, {
      hint: `the latest allowed is ${maxEnd}`,
    });
  const criteria = o.criteria?.length ? o.criteria : [SAFE_TO_DEPLOY];

  const source = await openPackageSource({
    ecosystem: 'npm',
    graph: p.graph,
    lockfile: p.ref.lockfile,
    env: io.env,
    ...(g.cacheDir ? { cacheDir: g.cacheDir } : {}),
  });
  try {
    const plans: Array<{ pkg: string; publisher: string; start: string; packument: Packument }> = [];
    if (o.all === undefined) {
      const pkg = o.pkg!;
      const packument = await source.packument!(pkg);
      let publisher = o.publisher;
      if (publisher === undefined) {
        const inUse = [...new Set(publishersInUse(p, pkg, packument))];
        if (inUse.length !== 1 || inUse[0] === undefined) {
          const named = inUse.filter((u): u is string => u !== undefined);
          throw new VetError(
            'INVALID_ARGUMENT',
            `name the publisher to trust for ${pkg}: the versions in use were published by ${named.length ? named.join(', ') : 'no one the registry names'}`,
            {
              hint: `vet trust ${pkg} <npm user>`,
            },
          );
        }
        publisher = inUse[0];
      }
      const start = o.startDate ?? firstPublishedBy(packument, publisher);
      if (start === undefined) {
        throw new VetError('INVALID_ARGUMENT', `${publisher} has published no version of ${pkg}`, {
          hint: "check the npm user name (the registry's _npmUser of a version), or pass --start-date",
        });
      }
      plans.push({ pkg, publisher, start, packument });
    } else {
      const publisher = o.all;
      // Failing or only exempted: what fails once every exemption is set aside.
      const bare = cloneData(p.store);
      bare.config.exemptions = dict();
      const report = resolve({ graph: p.graph, store: bare, scheme: p.scheme, today: p.today });
      const names = [...new Set(report.failures.map((f) => f.node.name))].sort();
      const packuments = await Promise.all(names.map((n) => source.packument!(n).then((pk) => [n, pk] as const)));
      for (const [pkg, packument] of packuments) {
        const inUse = publishersInUse(p, pkg, packument);
        const ok = o.allowMultiplePublishers
          ? inUse.includes(publisher)
          : inUse.length > 0 && inUse.every((u) => u === publisher);
        const start = o.startDate ?? firstPublishedBy(packument, publisher);
        if (ok && start !== undefined) plans.push({ pkg, publisher, start, packument });
      }
      if (plans.length === 0) {
        io.err(
          `No failing or exempted package is published ${o.allowMultiplePublishers ? 'in part ' : 'only '}by ${publisher}; nothing to trust.\n`,
        );
        return EXIT_OK;
      }
    }
    const outcome = new Map<string, string>();
    await mutateStore(p.ref.storeDir, (store) => {
      for (const plan of plans) {
        const entry: TrustedEntry = {
          criteria,
          identity: { kind: 'user-login', userLogin: plan.publisher },
          start: plan.start,
          end,
          aggregatedFrom: [],
          ...(o.notes ? { notes: o.notes } : {}),
        };
        outcome.set(plan.pkg, addOrWidenTrust(store, plan.pkg, entry));
        setPublisherRows(store, p.graph, plan.pkg, plan.packument);
      }
    });
    for (const plan of plans) {
      const how =
        outcome.get(plan.pkg) === 'widened'
          ? 'Widened trust in'
          : outcome.get(plan.pkg) === 'unchanged'
            ? 'Already trusted'
            : 'Trusted';
      io.err(`${how} ${plan.publisher} for ${plan.pkg} (${criteria.join(', ')}) from ${plan.start} until ${end}.\n`);
    }
    return EXIT_OK;
  } finally {
    await source.close();
  }
}
