/**
 * When each entry was received (the `received_at` column), for dates on pages, the
 * per-day chart and date-range search. Entries are append-only, so the times are read once
 * and extended as the log grows.
 */
export interface EntryTimes {
  /** ms since epoch, or undefined past the stored entries. */
  at(index: number): number | undefined;
  /** Reads the times of entries up to `size` not read yet. */
  refresh(size: number): void;
  readonly size: number;
}

export function makeEntryTimes(read: (start: number, end: number) => number[]): EntryTimes {
  let times = new Float64Array(1024);
  let n = 0;
  return {
    get size() {
      return n;
    },
    at: (i) => (Number.isInteger(i) && i >= 0 && i < n ? times[i] : undefined),
    refresh(size) {
      if (size <= n) return;
      const rows = read(n, size);
      if (n + rows.length > times.length) {
        const grown = new Float64Array(Math.max(times.length * 2, n + rows.length));
        grown.set(times.subarray(0, n));
        times = grown;
      }
      times.set(rows, n);
      n += rows.length;
    },
  };
}

/** Entries per UTC day over the last `days` days (oldest first), from entry times. */
export function perDay(times: EntryTimes, now: number, days: number): { day: number; count: number }[] {
  const DAY = 86_400_000;
  const today = Math.floor(now / DAY);
  const counts = new Array<number>(days).fill(0);
  for (let i = times.size - 1; i >= 0; i--) {
    const t = times.at(i) ?? 0;
    const d = today - Math.floor(t / DAY);
    if (d >= days) break;
    if (d >= 0) counts[days - 1 - d] = (counts[days - 1 - d] ?? 0) + 1;
  }
  return counts.map((count, k) => ({ day: (today - (days - 1) + k) * DAY, count }));
}
