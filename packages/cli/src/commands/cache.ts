/**
 * `vet cache info` and `vet cache clean` (issue 12): what the download and parse cache holds,
 * its limit and where that comes from; and emptying it. The limit itself is enforced after
 * every command that adds to the cache (registry/cache-limit.ts).
 */
import type { Command } from 'commander';
import type { GlobalOptions } from '../context.js';
import { EXIT_OK } from '../exit-codes.js';
import type { CommandIO } from '../io.js';
import { resolveCacheDir } from '../registry/cache.js';
import { cacheEntries, cacheLimit, clearCache, formatSize, trim } from '../registry/cache-limit.js';

type RunWrapper = (fn: (g: GlobalOptions, cmd: Command) => Promise<number>) => (this: Command) => Promise<void>;

export function registerCacheCommand(program: Command, io: CommandIO, run: RunWrapper): void {
  const cache = program.command('cache').description("show or empty vet's download and parse cache");
  cache
    .command('info')
    .description('where the cache is, its size limit, and what it holds')
    .action(run((g) => runCacheInfo(g, io)));
  cache
    .command('clean')
    .description('remove every cache entry')
    .action(run((g) => runCacheClean(g, io)));
}

function rootOf(g: GlobalOptions, io: CommandIO): string {
  return resolveCacheDir({ ...(g.cacheDir ? { cacheDir: g.cacheDir } : {}), env: io.env });
}

export function runCacheInfo(g: GlobalOptions, io: CommandIO): Promise<number> {
  const root = rootOf(g, io);
  const limit = cacheLimit(io.env);
  const entries = cacheEntries(root);
  const kinds = new Map<string, { entries: number; bytes: number }>();
  for (const e of entries) {
    const k = kinds.get(e.kind) ?? { entries: 0, bytes: 0 };
    k.entries++;
    k.bytes += e.bytes;
    kinds.set(e.kind, k);
  }
  const bytes = entries.reduce((n, e) => n + e.bytes, 0);
  // Measured for real here, so the running total other commands use starts from the truth.
  trim(root, 0, Number.POSITIVE_INFINITY);
  const sorted = [...kinds].sort(([a], [b]) => (a < b ? -1 : 1));
  if (g.outputFormat === 'json') {
    const body = { root, limit: limit.bytes, limitFrom: limit.from, bytes, entries: entries.length };
    io.out(`${JSON.stringify({ ...body, kinds: Object.fromEntries(sorted) }, null, 2)}\n`);
    return Promise.resolve(EXIT_OK);
  }
  let text = `cache: ${JSON.stringify(root)}\nlimit: ${formatSize(limit.bytes)} (${limit.from === 'default' ? 'default' : `from ${limit.from}`})\n`;
  text += `used:  ${formatSize(bytes)} in ${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}\n`;
  for (const [kind, k] of sorted) text += `  ${kind.padEnd(12)} ${formatSize(k.bytes).padStart(10)}  ${k.entries}\n`;
  io.out(text);
  return Promise.resolve(EXIT_OK);
}

export function runCacheClean(g: GlobalOptions, io: CommandIO): Promise<number> {
  const root = rootOf(g, io);
  const removed = clearCache(root);
  trim(root, 0, Number.POSITIVE_INFINITY);
  const bytes = removed.reduce((n, e) => n + e.bytes, 0);
  if (g.outputFormat === 'json') io.out(`${JSON.stringify({ root, removed: removed.length, bytes }, null, 2)}\n`);
  else
    io.out(
      `Removed ${removed.length} cache entr${removed.length === 1 ? 'y' : 'ies'} (${formatSize(bytes)}) from ${JSON.stringify(root)}\n`,
    );
  return Promise.resolve(EXIT_OK);
}
