// Folders whose code is framework-free: pure logic, unit-tested without Nest, wired by
// Nest modules that live elsewhere. eslint.config.mjs keeps Nest out of them (and the
// libs that re-export it); tools/lint/framework-free.spec.ts proves the rule fails a
// build and that every folder here exists. Add a folder here when it makes that claim.
export const FRAMEWORK_FREE_FOLDERS = [
  'libs/comparison/src',
  'libs/concurrency/src',
  'libs/contracts/src',
  'libs/shopify/src',
  'apps/gateway/src/routes',
  'apps/gateway/src/router',
  'apps/gateway/src/stats',
  'apps/gateway/src/guards',
  'apps/gateway/src/reports',
  'apps/gateway/src/persistence',
  'apps/gateway/src/upstream',
  'apps/pricing/src/rules',
  'apps/webhook-ingest/src/delivery',
  'apps/reconciler/src/domains',
  'apps/reconciler/src/persistence',
  'apps/reconciler/src/reconcile',
  'apps/shopify-sim/src/b2b',
];

/** Imports that bring Nest in: Nest itself, and our libs that are Nest modules or re-export Nest. */
export const FRAMEWORK_IMPORTS = {
  patterns: [{ group: ['@nestjs/*'], message: 'this folder is framework-free (tools/lint/framework-free.mjs): keep Nest in the module that wires it' }],
  paths: ['@understudy/platform', '@understudy/health'].map((name) => ({
    name,
    message: `${name} is Nest code; this folder is framework-free (tools/lint/framework-free.mjs). Errors: use @understudy/contracts.`,
  })),
};
