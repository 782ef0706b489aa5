/**
 * Date-dependent warnings of a successful `check` (spec/cargo-vet-format.md §7.8 step 6):
 * local wildcard audits of packages in the graph that have expired or end within six
 * weeks, unless `renew = false`. Today is a parameter; nothing here reads the clock.
 */
import type { DependencyGraph } from '../graph.js';
import type { PublisherIdentity, Store } from '../store/model.js';

const SIX_WEEKS_MS = 42 * 24 * 3600 * 1000;

function dayMs(date: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : undefined;
}

export function identityLabel(id: PublisherIdentity): string {
  switch (id.kind) {
    case 'user-id':
      return `user-id ${id.userId}`;
    case 'trusted-publisher':
      return id.trustedPublisher;
    case 'user-login':
      return id.userLogin;
  }
}

export function wildcardExpiryWarnings(store: Store, graph: DependencyGraph, today: string): string[] {
  const now = dayMs(today);
  if (now === undefined) return [];
  // Most stores have few wildcard audits: look those up in the graph, not every name in the store.
  const wild = Object.keys(store.audits.wildcardAudits);
  if (wild.length === 0) return [];
  const names = new Set(graph.nodes.map((n) => n.name));
  const out: string[] = [];
  for (const name of wild.filter((n) => names.has(n)).sort()) {
    for (const w of store.audits.wildcardAudits[name] ?? []) {
      const end = dayMs(w.end);
      if (end === undefined || w.renew === false) continue;
      const who = identityLabel(w.identity);
      if (end <= now) out.push(`wildcard audit of ${name} for ${who} expired on ${w.end}; run \`vet renew ${name}\``);
      else if (end - now < SIX_WEEKS_MS)
        out.push(`wildcard audit of ${name} for ${who} expires on ${w.end}; run \`vet renew ${name}\``);
    }
  }
  return out;
}
