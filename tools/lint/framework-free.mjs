// Folders (and single files in folders that also hold Nest code) whose code is framework-free:
// pure logic, unit-tested without Nest, wired by Nest modules that live elsewhere.
// eslint.config.mjs keeps Nest out of them (and the libs that re-export it);
// tools/lint/framework-free.spec.ts proves the rule fails a build and that every path here
// exists. Add a path here when its docs or comments make that claim.
export const FRAMEWORK_FREE_PATHS = [
  'libs/comparison/src',
  'libs/concurrency/src',
  'libs/contracts/src',
  'libs/database/src',
  'libs/idempotency/src',
  'libs/messaging/src',
  'libs/shopify/src',
  'libs/health/src/probe.ts',
  'apps/gateway/src/routes',
  'apps/gateway/src/router',
  'apps/gateway/src/stats',
  'apps/gateway/src/guards',
  'apps/gateway/src/reports',
  'apps/gateway/src/persistence',
  'apps/gateway/src/upstream',
  'apps/pricing/src/rules',
  'apps/pricing/src/read-model/read-model.ts',
  'apps/webhook-ingest/src/delivery',
  'apps/reconciler/src/domains',
  'apps/reconciler/src/persistence',
  'apps/reconciler/src/reconcile',
  'apps/shopify-sim/src/b2b',
];

/** Imports that bring Nest in: Nest itself, and our libs that are Nest modules or re-export Nest. */
export const FRAMEWORK_IMPORTS = {
  patterns: [{ group: ['@nestjs/*'], message: 'this code is framework-free (tools/lint/framework-free.mjs): keep Nest in the module that wires it' }],
  paths: ['@understudy/platform', '@understudy/health'].map((name) => ({
    name,
    message: `${name} is Nest code; this code is framework-free (tools/lint/framework-free.mjs). Errors: use @understudy/contracts.`,
  })),
};
