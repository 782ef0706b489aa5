/**
 * File descriptors left to this process, from /proc (Linux). A server out of descriptors
 * cannot accept connections or open SQLite files, so /readyz reports not ready while fewer
 * than a reserve are left — early enough that the probe itself is still answered. Where
 * /proc is absent the check is skipped (undefined).
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Left unused before /readyz says not ready: 1/16 of the limit, 16–256. */
export function fdReserve(limit: number): number {
  return Math.min(256, Math.max(16, Math.floor(limit / 16)));
}

/** A one-line problem, or undefined when descriptors are plentiful (or cannot be counted). */
export function fileDescriptorProblem(): string | undefined {
  let open: number;
  try {
    open = readdirSync('/proc/self/fd').length;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'EMFILE' || code === 'ENFILE' ? `exhausted (${code})` : undefined;
  }
  const limit = openFilesLimit();
  if (limit === undefined) return undefined;
  return limit - open < fdReserve(limit) ? `${open} of ${limit} in use (reserve ${fdReserve(limit)})` : undefined;
}

function openFilesLimit(): number | undefined {
  try {
    const m = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}
