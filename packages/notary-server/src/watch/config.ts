/**
 * `watch` in notary.json: the release watch polls the registries of packages the log has
 * approvals for (and any listed) and shows their new releases as pending. No registry is
 * built in: each ecosystem's base URL is configured, as for the CLI.
 */
import { ECOSYSTEMS, type Ecosystem } from '../entries/model.js';

export interface WatchConfig {
  /** Seconds between polls of one package. */
  intervalSeconds: number;
  /** Requests in flight at once, over all registries. */
  concurrency: number;
  /** Per-request timeout. */
  timeoutMs: number;
  /** Base URL per ecosystem: npm registry, PyPI (JSON API root), Cargo sparse index. */
  registries: Partial<Record<Ecosystem, string>>;
  /** Packages to watch besides those with approvals: `<ecosystem>/<name>`. */
  packages: string[];
}

type Json = Record<string, unknown>;

export function parseWatchConfig(v: unknown, bad: (m: string) => void): WatchConfig | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    bad('watch must be an object');
    return undefined;
  }
  const raw = v as Json;
  const out: WatchConfig = { intervalSeconds: 3600, concurrency: 4, timeoutMs: 15_000, registries: {}, packages: [] };
  out.intervalSeconds = int(raw.intervalSeconds, out.intervalSeconds, 1, 604_800, 'watch.intervalSeconds', bad);
  out.concurrency = int(raw.concurrency, out.concurrency, 1, 64, 'watch.concurrency', bad);
  out.timeoutMs = int(raw.timeoutMs, out.timeoutMs, 100, 600_000, 'watch.timeoutMs', bad);
  const regs = (raw.registries ?? {}) as Json;
  for (const [eco, url] of Object.entries(regs)) {
    if (!ECOSYSTEMS.includes(eco as Ecosystem)) bad(`watch.registries: unknown ecosystem "${eco}" (npm, pypi, cargo)`);
    else if (typeof url !== 'string' || !/^https?:\/\/[^\s]+$/.test(url))
      bad(`watch.registries.${eco} must be an http(s) URL`);
    else out.registries[eco as Ecosystem] = url.replace(/\/+$/, '');
  }
  if (raw.packages !== undefined) {
    const list = raw.packages;
    if (!Array.isArray(list) || !list.every((p) => typeof p === 'string' && /^(npm|pypi|cargo)\/.+$/.test(p)))
      bad('watch.packages must be a list of "<ecosystem>/<name>"');
    else out.packages = list as string[];
  }
  return out;
}

function int(v: unknown, dflt: number, min: number, max: number, name: string, bad: (m: string) => void): number {
  if (v === undefined) return dflt;
  if (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max) return v;
  bad(`${name} must be an integer in [${min}, ${max}]`);
  return dflt;
}
