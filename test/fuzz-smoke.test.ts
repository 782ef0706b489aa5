/**
 * A few seconds of scripts/fuzz.mjs (issue 10) in the suite: the script still runs against the
 * bundled CLI and, for a fixed seed, finds no crash and no hang. The real runs (≥ 30 s per
 * format) are `node scripts/fuzz.mjs`, outside `pnpm test`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers/project.js';

describe('fuzz smoke', () => {
  it('mutated lockfiles and store files give verdicts or clean errors, never a crash', () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'vet-fuzz-smoke-'));
    try {
      const r = spawnSync(
        process.execPath,
        [
          'scripts/fuzz.mjs',
          ...['--seconds', '2', '--jobs', '1', '--seed', '7', '--out', out],
          ...['--format', 'pnpm-6,config.toml'],
        ],
        { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 },
      );
      expect(r.stdout).toMatch(/^\| format \| seeds \| runs \|/);
      const total = r.stdout.split('\n').find((l) => l.startsWith('| total |'));
      expect(total).toMatch(/^\| total \| {2}\| [1-9]\d* \| \d+ \| \d+ \| 0 \| 0 \|/);
      expect(readdirSync(out)).toEqual([]);
      expect(r.status).toBe(0);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 90_000);
});
