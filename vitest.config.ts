import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Tests run from TypeScript source: cross-package imports resolve to src, not dist.
const src = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  resolve: {
    alias: {
      '@vet/core': src('./packages/core/src/index.ts'),
      '@vet/cli': src('./packages/cli/src/index.ts'),
      '@vet/notary-server': src('./packages/notary-server/src/index.ts'),
    },
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
