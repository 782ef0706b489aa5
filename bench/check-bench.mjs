// Issue 2 bench: wall time and peak memory of `vet check` on withastro__astro (store exempting
// everything), next to a bare `node` that only reads and parses the same lockfile and store.
// Target: within 1.5x of that floor. Needs ../shared/corpus and a built CLI (`pnpm build`).
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure } from './lib/measure.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const corpus = path.resolve(root, '../shared/corpus/npm/withastro__astro');
if (!existsSync(corpus)) {
  console.log(`skipped: ${corpus} is absent (the corpus ships with the shared folder)`);
  process.exit(0);
}
const bin = path.join(root, 'packages/cli/dist/bundle/bin.js');
const dir = mkdtempSync(path.join(os.tmpdir(), 'vet-bench-'));
try {
  // Work on a scratch copy: the corpus is read-only and never modified.
  cpSync(corpus, dir, { recursive: true });
  const init = measure([bin, 'init'], { cwd: dir, runs: 1 });
  if (init.status !== 0) throw new Error(`vet init failed: ${init.stderr}`);

  const floorScript = path.join(dir, 'floor.mjs');
  writeFileSync(
    floorScript,
    `import { readFileSync } from 'node:fs';
     import { createRequire } from 'node:module';
     const require = createRequire(${JSON.stringify(path.join(root, 'packages/core/package.json'))});
     const YAML = require('yaml'); const TOML = require('@iarna/toml');
     const docs = YAML.parseAllDocuments(readFileSync('pnpm-lock.yaml', 'utf8')).map((d) => d.toJS());
     const cfg = TOML.parse(readFileSync('supply-chain/config.toml', 'utf8'));
     const aud = TOML.parse(readFileSync('supply-chain/audits.toml', 'utf8'));
     process.stdout.write(String(docs.length + Object.keys(cfg.exemptions ?? {}).length + Object.keys(aud).length));`,
  );
  const runs = Number(process.env.BENCH_RUNS ?? 7);
  const floor = measure([floorScript], { cwd: dir, runs });
  const check = measure([bin, 'check', '--locked'], { cwd: dir, runs });
  if (check.status !== 0) throw new Error(`vet check failed (${check.status}): ${check.stdout}${check.stderr}`);
  const ratio = check.medianMs / floor.medianMs;
  console.log(`withastro__astro: ${check.stdout.trim().split('\n')[0]}`);
  console.log(
    `floor (node: read + parse pnpm-lock.yaml and the store): ${floor.medianMs.toFixed(0)} ms median, ${floor.maxRssMb.toFixed(0)} MB peak RSS`,
  );
  console.log(
    `vet check --locked:                                      ${check.medianMs.toFixed(0)} ms median, ${check.maxRssMb.toFixed(0)} MB peak RSS`,
  );
  console.log(
    `ratio: ${ratio.toFixed(2)}x time, ${(check.maxRssMb / floor.maxRssMb).toFixed(2)}x memory (target ≤ 1.5x)`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
