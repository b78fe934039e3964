// The demo's route settings: demo-sized guard windows so a newcomer watches a
// ramp in minutes instead of the production defaults' hours (10,000 samples,
// an hour's window, 5 minutes' cool-down per step). Applied through the admin
// API like any operator change, so they are in the audit log as `admin:demo`.

const DEMO_PROMOTION = { enabled: true, minSamples: 10, windowSeconds: 120, minMatchRate: 0.97, cooldownSeconds: 45 };
const DEMO_ROLLBACK = { enabled: true, minSamples: 20, windowSeconds: 30, maxErrorRate: 0.05, maxMismatchRate: 0.1, maxP99Ms: 2500 };
// One machine runs the seven services, the infrastructure and the demo's own traffic: on a busy
// 2-core box the module's answers took over 2 s (the production shadow deadline), so shadows
// counted as timeouts and inventory.check never left shadow 1 %. Shadows are off the client's
// path; the demo gives them 5 s (and the rollback guard a 2.5 s p99) so what it shows is the
// comparison, not the laptop's CPU.
const DEMO_TIMEOUTS = { shadowMs: 5_000 };

/** Where each route starts (shadow at `shadowPercent`) and its guards; its ramp is the route's own, up to module-only. */
export const DEMO_ROUTES = {
  'inventory.check': { shadowPercent: 1, guards: { promotion: DEMO_PROMOTION, rollback: DEMO_ROLLBACK } },
  // Fewer requests (a reservation per checkout), so fewer samples and a slower walk behind inventory.check.
  'inventory.reserve': { shadowPercent: 10, guards: { promotion: { ...DEMO_PROMOTION, minSamples: 5, cooldownSeconds: 90 }, rollback: DEMO_ROLLBACK } },
  // The monolith's multi-catalog bug makes real mismatches here, so the promotion guard holds.
  // Rollback is off so the route stays in the shadow where the evidence keeps coming: with it on,
  // the mismatch (or, without a pricing module, error) rate would send it back to the monolith.
  'pricing.quote': { shadowPercent: 10, guards: { promotion: DEMO_PROMOTION, rollback: { ...DEMO_ROLLBACK, enabled: false } } },
};

/**
 * Puts every route at the start of its demo ramp (a fresh start of the demo, whatever a previous one left).
 * The ramp is the route's own (the gateway's standard one, apps/gateway/src/routes/route-config.ts) without
 * its module-only step: going module-only stays a person's decision.
 */
export async function applyDemoRoutes(admin, attempts = 5) {
  for (const [name, { shadowPercent, guards }] of Object.entries(DEMO_ROUTES)) {
    // A gateway starved of CPU (a busy laptop, the first minutes of a start) may miss a deadline:
    // read and patch again. A patch that did land before its answer was lost only repeats itself.
    for (let attempt = 1; ; attempt += 1) {
      try {
        const route = await admin.get(`/admin/routes/${name}`);
        await admin.send('PATCH', `/admin/routes/${name}`, {
          version: route.version,
          reason: 'demo: start the ramp with demo-sized guard windows',
          mode: 'shadow',
          shadowPercent,
          frozen: false,
          ramp: route.config.ramp.filter((step) => step.mode !== 'module-only'),
          timeouts: DEMO_TIMEOUTS,
          guards,
        });
        break;
      } catch (error) {
        if (attempt >= attempts) throw error;
        await new Promise((resolve) => setTimeout(resolve, 2_000 * attempt));
      }
    }
  }
}
