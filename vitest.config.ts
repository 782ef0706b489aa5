import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Tests run from TypeScript source: cross-package imports resolve to src, not dist.
const src = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  resolve: {
    // Exact matches: '@vet/core' must not also rewrite '@vet/core/node'.
    alias: [
      { find: /^@vet\/core$/, replacement: src('./packages/core/src/index.ts') },
      { find: /^@vet\/core\/node$/, replacement: src('./packages/core/src/node/index.ts') },
      { find: /^@vet\/cli$/, replacement: src('./packages/cli/src/index.ts') },
      { find: /^@vet\/notary-server$/, replacement: src('./packages/notary-server/src/index.ts') },
      { find: /^@vet\/test-support\/(.+)$/, replacement: src('./packages/test-support/src/$1.ts') },
    ],
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
