// Issue 3 bench: wall time and peak memory of `vet check --locked` on bytecodealliance__wasmtime
// (Cargo.lock + 98 workspace manifests + a 5,000-entry store with imports). Runs in place:
// a --locked check writes nothing. Needs ../shared/corpus and a built CLI (`pnpm build`).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure } from './lib/measure.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const repo = path.resolve(root, '../shared/corpus/cargo/bytecodealliance__wasmtime');
if (!existsSync(repo)) {
  console.log(`skipped: ${repo} is absent (the corpus ships with the shared folder)`);
  process.exit(0);
}
const bin = path.join(root, 'packages/cli/dist/bundle/bin.js');
const r = measure([bin, 'check', '--locked', '--current-time=2026-08-22T12:00:00Z'], {
  cwd: repo,
  runs: Number(process.env.BENCH_RUNS ?? 7),
});
if (r.status !== 0) throw new Error(`vet check failed (${r.status}): ${r.stdout}${r.stderr}`);
console.log(`bytecodealliance__wasmtime: ${r.stdout.trim()}`);
console.log(
  `vet check --locked: ${r.medianMs.toFixed(0)} ms median (min ${r.minMs.toFixed(0)} ms), ${r.maxRssMb.toFixed(0)} MB peak RSS`,
);
