// Bundles the notary entry page's self-check (packages/notary-server/web-client/verify.ts)
// for the browser with esbuild: core's own verifier modules, with node:crypto, node:buffer
// and node:module replaced by the small shims next to it, into one ES module the notary
// serves as /web/verify.js (packages/notary-server/dist/web/verify.js).
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../packages/notary-server');
const shim = (name) => path.join(pkg, 'web-client/shims', name);

await build({
  entryPoints: [path.join(pkg, 'web-client/verify.ts')],
  outfile: path.join(pkg, 'dist/web/verify.js'),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  legalComments: 'none',
  alias: {
    'node:crypto': shim('crypto.ts'),
    'node:buffer': shim('buffer.ts'),
    'node:module': shim('module.ts'),
    tweetnacl: shim('tweetnacl.ts'),
  },
  logLevel: 'warning',
});
