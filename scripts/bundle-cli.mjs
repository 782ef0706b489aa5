// Bundles the built `vet` CLI (packages/cli/dist, from tsc) into packages/cli/dist/bundle with
// esbuild: one entry plus lazily loaded chunks, so a command loads a handful of files instead
// of ~200 modules. On withastro/astro that took ~200 ms off `vet check --locked` (of ~1.8 s),
// most of it module resolution and file I/O. The tsc output stays the package's library API.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const cli = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../packages/cli');
const outdir = path.join(cli, 'dist/bundle');
rmSync(outdir, { recursive: true, force: true });
await build({
  // Worker threads start from their own module (core's startWorker: a sibling of the chunk
  // that starts them), so each worker module is an entry of its own.
  entryPoints: [
    path.join(cli, 'dist/bin.js'),
    { in: path.join(cli, '../core/dist/sig/verify-worker.js'), out: 'verify-worker' },
  ],
  outdir,
  bundle: true,
  splitting: true, // keeps the commands' dynamic imports lazy
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // ESM builds first: jsonc-parser's UMD build requires its own files at run time.
  mainFields: ['module', 'main'],
  // CommonJS dependencies inside an ESM bundle still call require() for Node's built-ins.
  banner: {
    js: "import { createRequire as __vetCreateRequire } from 'node:module'; const require = __vetCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
