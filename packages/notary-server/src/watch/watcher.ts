/**
 * The release watch: polls the registry of every watched package (those with an approval
 * in the log, plus `watch.packages`) once per interval with bounded concurrency; a
 * registry that fails is retried with exponential backoff and reported stale — never as
 * "no new releases". A release is *pending* when the log has no approval of it and it came
 * out after the newest approved release (by the registry's publish time; for Cargo's
 * sparse index, which has none, by its publish order).
 */
import type { Ecosystem } from '../entries/model.js';
import type { WatchConfig } from './config.js';
import { fetchReleases, type FetchResult, type Release } from './sources.js';

export interface PendingRelease {
  ecosystem: Ecosystem;
  package: string;
  version: string;
  /** The registry's publish time (ms), when it states one. */
  publishedAt?: number;
  /** When the watch first saw it (ms). */
  seenAt: number;
  /** The newest approved version: the natural base of a delta audit. */
  suggestedFrom?: string;
}

export interface RegistryHealth {
  ecosystem: Ecosystem;
  lastOk?: number;
  lastError?: { at: number; message: string };
  failures: number;
  /** No successful poll within two intervals, or the last poll failed. */
  stale: boolean;
}

export interface WatchDeps {
  config: WatchConfig;
  /** Packages with approvals in the log (`<eco>/<name>`). */
  approvedPackages(): Iterable<string>;
  /** Versions of a package the log approves (not revoked). */
  approvedVersions(eco: Ecosystem, name: string): Set<string>;
  now(): number;
  fetch?: (
    eco: Ecosystem,
    base: string,
    name: string,
    etag: string | undefined,
    timeoutMs: number,
  ) => Promise<FetchResult>;
  log?: (event: Record<string, unknown>) => void;
}

interface Known {
  etag?: string;
  releases: Release[];
  seen: Map<string, number>;
}

export class ReleaseWatch {
  readonly #deps: WatchDeps;
  readonly #known = new Map<string, Known>();
  readonly #health = new Map<Ecosystem, RegistryHealth>();
  readonly #retryAt = new Map<Ecosystem, number>();
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  /** Requests answered 304 / 200 (tests and metrics). */
  readonly counts = { unchanged: 0, fetched: 0, failed: 0 };

  constructor(deps: WatchDeps) {
    this.#deps = deps;
  }

  start(): void {
    const tick = () => {
      this.#timer = setTimeout(() => void this.pollOnce().finally(tick), this.#deps.config.intervalSeconds * 1000);
      this.#timer.unref();
    };
    void this.pollOnce().finally(tick);
  }

  async stop(): Promise<void> {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  /** One round over every watched package (a round already running is joined). */
  pollOnce(): Promise<void> {
    this.#running ??= this.#round().finally(() => (this.#running = undefined));
    return this.#running;
  }

  watched(): { eco: Ecosystem; name: string }[] {
    const keys = new Set([...this.#deps.approvedPackages(), ...this.#deps.config.packages]);
    return [...keys].map((k) => {
      const i = k.indexOf('/');
      return { eco: k.slice(0, i) as Ecosystem, name: k.slice(i + 1) };
    });
  }

  async #round(): Promise<void> {
    const now = this.#deps.now();
    const todo = this.watched().filter(
      (p) => this.#deps.config.registries[p.eco] !== undefined && (this.#retryAt.get(p.eco) ?? 0) <= now,
    );
    const failedThisRound = new Set<Ecosystem>();
    let next = 0;
    const worker = async () => {
      while (next < todo.length) {
        const p = todo[next++]!;
        if (failedThisRound.has(p.eco)) continue;
        const ok = await this.#poll(p.eco, p.name);
        if (!ok) failedThisRound.add(p.eco);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.#deps.config.concurrency, todo.length) }, worker));
  }

  async #poll(eco: Ecosystem, name: string): Promise<boolean> {
    const key = `${eco}/${name}`;
    const known = this.#known.get(key);
    const base = this.#deps.config.registries[eco]!;
    const fetcher = this.#deps.fetch ?? fetchReleases;
    try {
      const r = await fetcher(eco, base, name, known?.etag, this.#deps.config.timeoutMs);
      const now = this.#deps.now();
      if (r.status === 'unchanged') this.counts.unchanged += 1;
      else {
        this.counts.fetched += 1;
        const seen = known?.seen ?? new Map<string, number>();
        for (const rel of r.releases) if (!seen.has(rel.version)) seen.set(rel.version, now);
        this.#known.set(key, { ...(r.etag !== undefined && { etag: r.etag }), releases: r.releases, seen });
      }
      this.#ok(eco, now);
      return true;
    } catch (e) {
      this.counts.failed += 1;
      this.#failed(eco, e instanceof Error ? e.message : String(e));
      return false;
    }
  }

  #ok(eco: Ecosystem, now: number): void {
    this.#health.set(eco, { ecosystem: eco, lastOk: now, failures: 0, stale: false });
    this.#retryAt.delete(eco);
  }

  #failed(eco: Ecosystem, message: string): void {
    const now = this.#deps.now();
    const h = this.#health.get(eco) ?? { ecosystem: eco, failures: 0, stale: true };
    const failures = h.failures + 1;
    // Exponential backoff from 1 s, at most one interval, with jitter.
    const delay = Math.min(this.#deps.config.intervalSeconds * 1000, 1000 * 2 ** Math.min(failures, 20));
    this.#retryAt.set(eco, now + delay * (0.75 + Math.random() * 0.5));
    this.#health.set(eco, { ...h, failures, lastError: { at: now, message }, stale: true });
    this.#deps.log?.({ event: 'watch_failed', ecosystem: eco, failures, error: message });
  }

  health(): RegistryHealth[] {
    const now = this.#deps.now();
    const limit = 2 * this.#deps.config.intervalSeconds * 1000;
    return (Object.keys(this.#deps.config.registries) as Ecosystem[]).map((eco) => {
      const h = this.#health.get(eco) ?? { ecosystem: eco, failures: 0, stale: true };
      return { ...h, stale: h.stale || h.lastOk === undefined || now - h.lastOk > limit };
    });
  }

  /** The registry's publish time of a release the watch has seen (ms). */
  publishedAt(eco: string, name: string, version: string): number | undefined {
    return this.#known.get(`${eco}/${name}`)?.releases.find((r) => r.version === version)?.publishedAt;
  }

  /** Pending releases of one package, oldest first. */
  pendingFor(eco: Ecosystem, name: string): PendingRelease[] {
    const known = this.#known.get(`${eco}/${name}`);
    if (known === undefined) return [];
    const approved = this.#deps.approvedVersions(eco, name);
    const rels = known.releases;
    const approvedIdx = rels.map((r, i) => (approved.has(r.version) ? i : -1)).filter((i) => i >= 0);
    const timed = eco !== 'cargo';
    const newestApproved = approvedIdx
      .map((i) => rels[i]!)
      .reduce<Release | undefined>(
        (best, r) => (best === undefined || order(r, rels, timed) > order(best, rels, timed) ? r : best),
        undefined,
      );
    const after = newestApproved === undefined ? -Infinity : order(newestApproved, rels, timed);
    return rels
      .filter(
        (r) => !approved.has(r.version) && order(r, rels, timed) > after && (!timed || r.publishedAt !== undefined),
      )
      .sort((a, b) => order(a, rels, timed) - order(b, rels, timed))
      .map((r) => ({
        ecosystem: eco,
        package: name,
        version: r.version,
        ...(r.publishedAt !== undefined && { publishedAt: r.publishedAt }),
        seenAt: known.seen.get(r.version) ?? 0,
        ...(newestApproved !== undefined && { suggestedFrom: newestApproved.version }),
      }));
  }

  /** Every pending release, oldest first. */
  pending(): PendingRelease[] {
    return this.watched()
      .flatMap((p) => this.pendingFor(p.eco, p.name))
      .sort((a, b) => (a.publishedAt ?? a.seenAt) - (b.publishedAt ?? b.seenAt));
  }
}

/** Publish time where the registry states it, else the index position (Cargo). */
function order(r: Release, all: readonly Release[], timed: boolean): number {
  return timed ? (r.publishedAt ?? -Infinity) : all.indexOf(r);
}
