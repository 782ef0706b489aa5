// ESLint flat config: typescript-eslint's type-checked rules over every TypeScript file
// (sources, tests and benches, through tsconfig.test.json); the plain-JS scripts get the
// recommended rules with Node's globals. Prettier owns formatting.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeGlobals = Object.fromEntries(
  [
    'process',
    'console',
    'Buffer',
    'URL',
    'URLSearchParams',
    'TextEncoder',
    'TextDecoder',
    'setTimeout',
    'clearTimeout',
    'setInterval',
    'clearInterval',
    'setImmediate',
    'queueMicrotask',
    'structuredClone',
    'performance',
    'fetch',
    'AbortController',
    'AbortSignal',
  ].map((name) => [name, 'readonly']),
);

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'coverage/**', 'bench/.out/**'] },
  { files: ['**/*.js', '**/*.mjs'], ...js.configs.recommended, languageOptions: { globals: nodeGlobals } },
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { project: './tsconfig.test.json', tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Tests read JSON bodies and reports (`any` by design) and let `expect` check their shape at
    // run time; the no-unsafe-* family would demand a cast on every assertion. Sources keep it.
    files: [
      '**/*.test.ts',
      'test/**/*.ts',
      '**/__fixtures__/**/*.ts',
      'packages/test-support/**/*.ts',
      'bench/**/*.ts',
    ],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // Fakes implement async interfaces without awaiting, and `expect(fake.method)` reads spies.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      // Tests assert that control characters are (or are not) present.
      'no-control-regex': 'off',
    },
  },
);
