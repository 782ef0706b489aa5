import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Tests run from TypeScript source: cross-package imports resolve to src, not dist.
const src = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/**
 * The notary tests that go through the harness run a second time with the log in
 * PostgreSQL (VET_NOTARY_DB=postgres: a fresh database per test notary). Left out: the
 * files about SQLite itself (crash/recovery/storage/stored-entry/migrate/tokens/publish,
 * which open notary.db), the CLI's, the browser's, and pure units; PostgreSQL's own tests
 * (src/pg/) run in the default project.
 */
const NOTARY_ON_POSTGRES = [
  'abuse',
  'archive/archive',
  'archive/registry-fetch',
  'identity',
  'lookup',
  'policy',
  'quirks',
  'readyz',
  'server',
  'watch/watch',
  'web/pages',
]
  .map((f) => `packages/notary-server/src/${f}.test.ts`)
  // The cross-package notary tests: clients, the vet CLI and vet-notary against a real server.
  .concat(
    [
      'notary-client',
      'notary-cli',
      'notary-archive',
      'cli-notary',
      'notary-npm-view',
      'notary-pypi-view',
      'notary-crates-view',
      'notary-static-s3',
    ].map((f) => `test/${f}.test.ts`),
  );

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
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'default', include: ['packages/*/src/**/*.test.ts', 'test/**/*.test.ts'] } },
      // VET_SKIP_POSTGRES=1: no PostgreSQL here (the PG tests in src/pg/ skip too); otherwise
      // PostgreSQL not answering fails these loudly, naming how to start it.
      ...(process.env.VET_SKIP_POSTGRES === '1'
        ? []
        : [
            {
              extends: true as const,
              test: { name: 'notary-postgres', include: NOTARY_ON_POSTGRES, env: { VET_NOTARY_DB: 'postgres' } },
            },
          ]),
    ],
  },
});
