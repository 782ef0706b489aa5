// Runs every benchmark one after another (they compete for the same cores, so never in
// parallel) and prints their figures. Needs a build (`pnpm build`); corpus-based ones skip
// without ../shared. Note the machine load: figures on a busy machine are not comparable.
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runs = [
  ['vet check --locked vs. a bare read + parse, four corpus projects (issues 2, 12)', ['bench/check-bench.mjs']],
  ['vet check --locked on wasmtime (issue 3)', ['bench/cargo-check-bench.mjs']],
  [
    'resolver alone: 5k / 20k / 50k packages, 4 audit entries each (issue 12)',
    ['--import', 'tsx', 'bench/resolve-bench.ts'],
  ],
  ['vet suggest, 300 packages, local registry (issue 4)', ['bench/suggest-bench.mjs']],
  ['notary server submissions and reads (issue 5)', ['bench/notary-bench.mjs']],
  ['notary client import, 100k entries (issue 6)', ['bench/notary-import-bench.mjs']],
  [
    'Ed25519 verification: node:crypto vs tweetnacl',
    ['--import', 'tsx', 'packages/core/src/sig/bench/ed25519-verify.mjs'],
  ],
];
let failed = 0;
for (const [title, args] of runs) {
  console.log(
    `\n=== ${title} (load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')})`,
  );
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exitCode = failed === 0 ? 0 : 1;
