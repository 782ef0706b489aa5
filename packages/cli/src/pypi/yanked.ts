/**
 * PEP 592 yank status of a locked release, for `vet check` to warn about (lockfiles.md §12.2).
 * A release is yanked when every one of its files is yanked; the first non-empty reason is
 * reported.
 */
import { createPypiClient, type PypiClient, type PypiClientOptions } from './client.js';
import type { PypiFile } from './simple-api.js';

export interface PypiYankState {
  yanked: boolean;
  reason?: string;
}

export function yankStateOf(files: readonly PypiFile[]): PypiYankState {
  if (files.length === 0 || files.some((f) => f.yanked === false)) return { yanked: false };
  const reason = files.map((f) => f.yanked).find((r): r is string => typeof r === 'string' && r !== '');
  return reason === undefined ? { yanked: true } : { yanked: true, reason };
}

/** Is `name==version` yanked on the configured index? NOT_FOUND when the index lacks it. */
export async function pypiYanked(
  name: string,
  version: string,
  opts: PypiClientOptions & { client?: PypiClient } = {},
): Promise<PypiYankState> {
  const client = opts.client ?? (await createPypiClient(opts));
  try {
    return yankStateOf(await client.release(name, version));
  } finally {
    if (!opts.client) await client.close();
  }
}
