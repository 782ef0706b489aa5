// Bundles the built `vet` CLI (packages/cli/dist, from tsc) into packages/cli/dist/bundle with
// esbuild: one entry plus lazily loaded chunks, so a command loads a handful of files instead
// of ~200 modules. On withastro/astro that took ~200 ms off `vet check --locked` (of ~1.8 s),
// most of it module resolution and file I/O. The tsc output stays the package's library API.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
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
 * Large dependencies that `vet check --locked` on a cached graph never calls live in files of
 * their own under `lazy/`, loaded by a synchronous `require()` on first call. Bundled inline
 * they cost twice: CommonJS bodies run where they are imported (esbuild hoists them to the top
 * of the chunk: `yaml` alone took ~60 ms of a ~250 ms warm check), and even code that never
 * runs is read and pre-parsed by V8 when its chunk loads (~650 KB of the ~1.4 MB a check
 * loaded; issue 12). semver too: building its ~100 regular expressions took ~5 ms of every start,
 * and a check of x.y.z and pre-release versions no longer needs it (core/src/version/npm.ts).
 * Each import is served by a stub with the named functions (and a default
 * export with the same names as getters, for `import x from`).
 */
const LAZY = {
  yaml: ['parseAllDocuments'],
  '@yarnpkg/parsers': ['parseSyml'],
  tweetnacl: ['sign'],
  semver: ['parse', 'satisfies', 'validRange'],
};
const lazyFile = (pkg) => `./lazy/${pkg.replace(/[@/]/g, (c) => (c === '@' ? '' : '+'))}.cjs`;
const lazyModules = {
  name: 'lazy-modules',
  setup(b) {
    const filter = new RegExp(
      `^(${Object.keys(LAZY)
        .map((n) => n.replace(/[/.]/g, '\\$&'))
        .join('|')})$`,
    );
    b.onResolve({ filter: /^\.\/lazy\// }, (args) => ({ path: args.path, external: true }));
    b.onResolve({ filter }, (args) =>
      args.kind === 'import-statement' && args.namespace !== 'lazy-modules'
        ? { path: args.path, namespace: 'lazy-modules' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-modules' }, (args) => {
      const load = `require(${JSON.stringify(lazyFile(args.path))})`;
      const names = LAZY[args.path];
      return {
        contents: [
          ...names.map((f) => `export function ${f}(...a) { return ${load}.${f}(...a); }`),
          `export default { ${names.map((f) => `get ${f}() { return ${load}.${f}; }`).join(', ')} };`,
        ].join('\n'),
        loader: 'js',
      };
    });
  },
};

/**
 * commander requires `child_process` for executable subcommands, which vet has none of; loading
 * it costs ~1.6 ms of every start. It is required on first use instead.
 */
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      /[\\/]commander[\\/]/.test(args.importer)
        ? { path: 'child_process', namespace: 'lazy-child-process' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-child-process' }, () => ({
      contents: "let m; module.exports = new Proxy({}, { get: (_, k) => (m ??= require('node:child_process'))[k] });",
      loader: 'js',
    }));
  },
};

/** Each lazy package as one CommonJS file (resolved from core, whose dependencies they are). */
async function buildLazy() {
  const requireCore = createRequire(path.join(cli, '../core/package.json'));
  for (const pkg of Object.keys(LAZY)) {
    await build({
      entryPoints: [requireCore.resolve(pkg)],
      outfile: path.join(outdir, lazyFile(pkg)),
      bundle: true,
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      logLevel: 'warning',
    });
  }
}

await build({
  plugins: [lazyModules, lazyChildProcess],
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
  // Whitespace and syntax minified: V8 pre-parses every byte of a chunk it loads (~2 % of a warm
  // `check --locked`, measured in instructions). Names are kept, for the trace of an internal error.
  minifyWhitespace: true,
  minifySyntax: true,
  define: { __VET_BUILD_ID__: JSON.stringify(buildId()) },
  logLevel: 'warning',
});
await buildLazy();
