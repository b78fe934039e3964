// Lint = correctness + architecture. @nx/enforce-module-boundaries turns the
// project tags into real rules (see docs/architecture.md):
//   scope:  an app may import only scope:shared libs and its own scope; shared libs only shared libs.
//   type:   app → feature | data-access | util | contracts;  feature → data-access | util | contracts;
//           data-access → data-access | util | contracts;  contracts → util;  util → util.
//   Nothing may import an app (no constraint allows type:app), and only test code may import type:testing.
// tools/lint/boundaries.spec.ts proves that violations fail.
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';
import { FRAMEWORK_FREE_PATHS, FRAMEWORK_IMPORTS } from './tools/lint/framework-free.mjs';

const APPS = ['gateway', 'webhook-ingest', 'inventory', 'pricing', 'reconciler', 'shopify-sim', 'legacy-monolith'];

function boundaries({ allowTesting }) {
  const testing = allowTesting ? ['type:testing'] : [];
  return [
    'error',
    {
      enforceBuildableLibDependency: false,
      allow: [],
      depConstraints: [
        ...APPS.map((app) => ({ sourceTag: `scope:${app}`, onlyDependOnLibsWithTags: ['scope:shared', `scope:${app}`] })),
        { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
        { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:util', 'type:contracts', ...testing] },
        { sourceTag: 'type:feature', onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:util', 'type:contracts', ...testing] },
        { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:data-access', 'type:util', 'type:contracts', ...testing] },
        { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts', 'type:util'] },
        { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util', ...testing] },
        { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:util', 'type:contracts', 'type:testing'] },
      ],
    },
  ];
}

const TEST_FILES = ['**/*.spec.ts', '**/test/**/*.ts'];
const PROM_CLIENT = { name: 'prom-client', allowTypeImports: true, message: 'declare metrics with counter/gauge/histogram from @understudy/observability' };

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '.infra/**', '.tools/**', '.nx/**', 'tmp/**', 'coverage/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': boundaries({ allowTesting: false }),
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      // No consistent-type-imports: Nest's DI reads constructor types from decorator metadata, which type-only imports erase.
      'no-console': 'error',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    // One way to declare metrics: libs/observability's counter/gauge/histogram (types from prom-client are fine).
    files: ['**/*.ts'],
    ignores: ['libs/observability/src/**', ...TEST_FILES],
    rules: { 'no-restricted-imports': ['error', { paths: [PROM_CLIENT] }] },
  },
  {
    // Framework-free folders and files (the list and why: tools/lint/framework-free.mjs).
    files: FRAMEWORK_FREE_PATHS.map((entry) => (entry.endsWith('.ts') ? entry : `${entry}/**/*.ts`)),
    ignores: TEST_FILES,
    // (A later block replaces a rule's options, so this one repeats the metrics restriction.)
    rules: { 'no-restricted-imports': ['error', { ...FRAMEWORK_IMPORTS, paths: [...FRAMEWORK_IMPORTS.paths, PROM_CLIENT] }] },
  },
  {
    files: TEST_FILES,
    rules: {
      '@nx/enforce-module-boundaries': boundaries({ allowTesting: true }),
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', Buffer: 'readonly', __dirname: 'readonly', require: 'readonly', module: 'writable', fetch: 'readonly', AbortSignal: 'readonly', setInterval: 'readonly', clearInterval: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off', 'no-console': 'off' },
  },
);
