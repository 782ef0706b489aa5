/** The release watch over a running notary: what it watches comes from the log's approvals. */
import type { Ecosystem } from '../entries/model.js';
import { NotaryState } from '../entries/state.js';
import type { Notary } from '../notary.js';
import { ReleaseWatch } from './watcher.js';

export function createReleaseWatch(notary: Notary): ReleaseWatch | undefined {
  const config = notary.config.watch;
  if (config === undefined) return undefined;
  const state = notary.reads.source.state;
  return new ReleaseWatch({
    config,
    now: notary.now,
    log: (e) => notary.logEvent(e),
    approvedPackages: () => state.byPackage.keys(),
    approvedVersions(eco: Ecosystem, name: string) {
      const out = new Set<string>();
      for (const i of state.byPackage.get(NotaryState.packageKey(eco, name)) ?? []) {
        const c = state.entries[i]?.claim;
        if (c?.type === 'audit' && !state.revoked.has(i)) out.add(c.version);
      }
      return out;
    },
  });
}
