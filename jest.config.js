// One jest run, two tiers. `unit` = *.spec.ts beside the code, no I/O.
// `integration` = test/*.int-spec.ts against the real PostgreSQL, Redis and Kafka
// started by `npm run infra:up` (see tools/jest/integration-setup.js).
// `contracts` = apps/*/test/contracts/*.pact-spec.ts, only with --selectProjects contracts (npm run test:contracts).
// `faults` = tools/faults/*.fault-spec.ts, only with --selectProjects faults (npm run test:faults).
const { readFileSync } = require('node:fs');
const path = require('node:path');

const swcrc = JSON.parse(readFileSync(path.join(__dirname, '.swcrc'), 'utf8'));
delete swcrc.$schema;
// jest resolves aliases itself (moduleNameMapper); swc must leave them alone.
delete swcrc.jsc.paths;
delete swcrc.jsc.baseUrl;

const { compilerOptions } = JSON.parse(readFileSync(path.join(__dirname, 'tsconfig.base.json'), 'utf8'));
const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [`^${alias}$`, `<rootDir>/${target}`]),
);

const shared = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest', { ...swcrc, swcrc: false }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper,
  // .tools/ holds Go's module cache and virtualenvs (tools/charts/install-tools.sh): not ours to scan.
  modulePathIgnorePatterns: ['<rootDir>/.tools/'],
};

module.exports = {
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/{apps,libs}/*/src/**/*.spec.ts', '<rootDir>/tools/**/*.spec.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/dist/', '\\.int-spec\\.ts$'],
    },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/{apps,libs}/*/test/**/*.int-spec.ts', '<rootDir>/tools/**/*.int-spec.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/dist/'],
      globalSetup: '<rootDir>/tools/jest/integration-setup.js',
      setupFilesAfterEnv: ['<rootDir>/tools/jest/integration-timeout.js'],
    },
    {
      // `npm run test:contracts` / `npm run contracts:verify`: Pact consumer tests and provider verification (docs/contracts.md).
      ...shared,
      displayName: 'contracts',
      testMatch: ['<rootDir>/apps/*/test/contracts/**/*.pact-spec.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/dist/'],
      setupFiles: ['<rootDir>/tools/jest/contracts-env.js'],
      globalSetup: '<rootDir>/tools/jest/integration-setup.js',
      setupFilesAfterEnv: ['<rootDir>/tools/jest/integration-timeout.js'],
    },
    {
      // `npm run test:demo`: a whole `npm start` with the demo, watched in chromium (tools/demo). `npm test`
      // runs it in the background beside the integration tests: it mostly waits on the demo's guard windows.
      ...shared,
      displayName: 'demo',
      testMatch: ['<rootDir>/tools/demo/**/*.demo-spec.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/dist/'],
      globalSetup: '<rootDir>/tools/jest/integration-setup.js',
      setupFilesAfterEnv: ['<rootDir>/tools/jest/integration-timeout.js'],
    },
    {
      // `npm run test:faults`: real processes on private PostgreSQL, Redis, Kafka and toxiproxy (tools/faults).
      ...shared,
      displayName: 'faults',
      testMatch: ['<rootDir>/tools/faults/**/*.fault-spec.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/dist/'],
      setupFilesAfterEnv: ['<rootDir>/tools/faults/support/timeout.js'],
      globalSetup: '<rootDir>/tools/faults/support/clear-results.ts',
      globalTeardown: '<rootDir>/tools/faults/support/write-results.ts',
    },
  ],
};
