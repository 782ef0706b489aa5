/**
 * The `[cargo-vet] version` gate (spec/cargo-vet-format.md §3.1, §14.2). vet emulates
 * cargo-vet 0.10: a newer store is always an error; an older one only under `--locked`
 * (unlocked runs silently bump it on the next write).
 */
import { VetError } from '../errors.js';
import { STORE_VERSION } from './model.js';

/** What a store without a `[cargo-vet]` table is taken to be. */
export const MISSING_STORE_VERSION = '0.4';

export interface StoreVersionCheck {
  /** The store's version as read ("0.4" when missing). */
  storeVersion: string;
  /** True when an unlocked run should write STORE_VERSION back. */
  needsUpdate: boolean;
}

function parseMajorMinor(v: string): [bigint, bigint] | undefined {
  const m = /^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$/.exec(v);
  return m === null ? undefined : [BigInt(m[1]!), BigInt(m[2]!)];
}

export function checkStoreVersion(
  version: string | undefined,
  opts: { locked: boolean; file?: string; toolVersion?: string },
): StoreVersionCheck {
  const tool = opts.toolVersion ?? STORE_VERSION;
  const storeVersion = version ?? MISSING_STORE_VERSION;
  const s = parseMajorMinor(storeVersion);
  const t = parseMajorMinor(tool);
  const file = opts.file;
  if (s === undefined || t === undefined) {
    throw new VetError('STORE_VERSION', `invalid store version "${storeVersion}" (expected "<major>.<minor>")`, {
      file,
    });
  }
  const cmp = s[0] !== t[0] ? (s[0] < t[0] ? -1 : 1) : s[1] < t[1] ? -1 : s[1] > t[1] ? 1 : 0;
  if (cmp > 0) {
    throw new VetError(
      'STORE_VERSION',
      `the store was created with a newer version (${storeVersion}) than this vet supports (${tool})`,
      {
        file,
        hint: 'upgrade vet',
        details: { storeVersion, toolVersion: tool },
      },
    );
  }
  if (cmp < 0 && opts.locked) {
    throw new VetError(
      'STORE_VERSION',
      `the store was created with an incompatible version (${storeVersion}; vet writes ${tool})`,
      {
        file,
        hint: 'run vet without --locked to update the store',
        details: { storeVersion, toolVersion: tool },
      },
    );
  }
  return { storeVersion, needsUpdate: cmp < 0 };
}
