// Bundles the built `vet` CLI (packages/cli/dist, from tsc) into packages/cli/dist/bundle with
// esbuild: one entry plus lazily loaded chunks, so a command loads a handful of files instead
// of ~200 modules. On withastro/astro that took ~200 ms off `vet check --locked` (of ~1.8 s),
// most of it module resolution and file I/O. The tsc output stays the package's library API.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const cli = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../packages/cli');
const outdir = path.join(cli, 'dist/bundle');
rmSync(outdir, { recursive: true, force: true });

/** A digest of the compiled code and the dependency lockfile: caches of derived data are per build. */
function buildId() {
  const h = createHash('sha256');
  for (const dir of [path.join(cli, '../core/dist'), path.join(cli, 'dist')]) {
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.js') && !f.startsWith('bundle'))
      .sort();
    for (const f of files)
      h.update(f)
        .update('\0')
        .update(readFileSync(path.join(dir, f)))
        .update('\0');
  }
  h.update(readFileSync(path.join(cli, '../../pnpm-lock.yaml')));
  return h.digest('hex').slice(0, 32);
}

/**
 * CommonJS dependencies run their whole module body where they are imported, and esbuild hoists
 * that to the top of the chunk: `yaml` alone took ~60 ms (of a ~250 ms warm `vet check --locked`)
 * before anything ran, though only a pnpm or yarn lockfile that misses the parse cache needs it.
 * These imports are served by a stub whose functions `require()` the package on first call
 * (esbuild bundles that require where it stands, so nothing loads until then).
 */
const LAZY = { yaml: ['parseAllDocuments'], '@yarnpkg/parsers': ['parseSyml'], '@iarna/toml': ['parse'] };
const lazyCommonJs = {
  name: 'lazy-commonjs',
  setup(b) {
    const filter = new RegExp(
      `^(${Object.keys(LAZY)
        .map((n) => n.replace(/[/.]/g, '\\$&'))
        .join('|')})$`,
    );
    b.onResolve({ filter }, (args) =>
      args.kind === 'import-statement'
        ? { path: args.path, namespace: 'lazy-commonjs', pluginData: { resolveDir: args.resolveDir } }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-commonjs' }, (args) => ({
      contents: [
        ...LAZY[args.path].map(
          (f) => `export function ${f}(...a) { return require(${JSON.stringify(args.path)}).${f}(...a); }`,
        ),
        // `import X from` gets the same functions (and nothing else) as the default export.
        `export default { ${LAZY[args.path].join(', ')} };`,
      ].join('\n'),
      // The require resolves where the original import did (core's dependencies).
      resolveDir: args.pluginData.resolveDir,
      loader: 'js',
    }));
  },
};

await build({
  plugins: [lazyCommonJs],
  // Worker threads start from their own module (core's startWorker, and the diff pool: a
  // sibling of the chunk that starts them), so each worker module is an entry of its own.
  entryPoints: [
    path.join(cli, 'dist/bin.js'),
    { in: path.join(cli, '../core/dist/sig/verify-worker.js'), out: 'verify-worker' },
    { in: path.join(cli, 'dist/audit/diff-worker.js'), out: 'diff-worker' },
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
  define: { __VET_BUILD_ID__: JSON.stringify(buildId()) },
  logLevel: 'warning',
});
