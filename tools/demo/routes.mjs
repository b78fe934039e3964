// The demo's route settings: demo-sized guard windows so a newcomer watches a
// ramp in minutes instead of the production defaults' hours (10,000 samples,
// an hour's window, 5 minutes' cool-down per step). Applied through the admin
// API like any operator change, so they are in the audit log as `admin:demo`.

/** Every step of the standard ramp up to module-primary 100 %: going module-only stays a person's decision. */
const DEMO_RAMP = [
  { mode: 'shadow', percent: 1 },
  { mode: 'shadow', percent: 10 },
  { mode: 'shadow', percent: 50 },
  { mode: 'shadow', percent: 100 },
  { mode: 'module-primary', percent: 1 },
  { mode: 'module-primary', percent: 10 },
  { mode: 'module-primary', percent: 50 },
  { mode: 'module-primary', percent: 100 },
];

const DEMO_PROMOTION = { enabled: true, minSamples: 10, windowSeconds: 120, minMatchRate: 0.97, cooldownSeconds: 45 };
const DEMO_ROLLBACK = { enabled: true, minSamples: 20, windowSeconds: 30, maxErrorRate: 0.05, maxMismatchRate: 0.1, maxP99Ms: 2500 };
// One machine runs the seven services, the infrastructure and the demo's own traffic: on a busy
// 2-core box the module's answers took over 2 s (the production shadow deadline), so shadows
// counted as timeouts and inventory.check never left shadow 1 %. Shadows are off the client's
// path; the demo gives them 5 s (and the rollback guard a 2.5 s p99) so what it shows is the
// comparison, not the laptop's CPU.
const DEMO_TIMEOUTS = { shadowMs: 5_000 };

export const DEMO_ROUTES = {
  'inventory.check': {
    mode: 'shadow',
    shadowPercent: 1,
    frozen: false,
    ramp: DEMO_RAMP,
    timeouts: DEMO_TIMEOUTS,
    guards: { promotion: DEMO_PROMOTION, rollback: DEMO_ROLLBACK },
  },
  'inventory.reserve': {
    mode: 'shadow',
    shadowPercent: 10,
    frozen: false,
    ramp: DEMO_RAMP,
    timeouts: DEMO_TIMEOUTS,
    // Fewer requests (a reservation per checkout), so fewer samples and a slower walk behind inventory.check.
    guards: { promotion: { ...DEMO_PROMOTION, minSamples: 5, cooldownSeconds: 90 }, rollback: DEMO_ROLLBACK },
  },
  // The monolith's multi-catalog bug makes real mismatches here, so the promotion guard holds.
  // Rollback is off so the route stays in the shadow where the evidence keeps coming: with it on,
  // the mismatch (or, without a pricing module, error) rate would send it back to the monolith.
  'pricing.quote': {
    mode: 'shadow',
    shadowPercent: 10,
    frozen: false,
    ramp: DEMO_RAMP,
    timeouts: DEMO_TIMEOUTS,
    guards: { promotion: DEMO_PROMOTION, rollback: { ...DEMO_ROLLBACK, enabled: false } },
  },
};

/** Puts every route at the start of its demo ramp (a fresh start of the demo, whatever a previous one left). */
export async function applyDemoRoutes(admin, attempts = 5) {
  for (const [name, settings] of Object.entries(DEMO_ROUTES)) {
    // A gateway starved of CPU (a busy laptop, the first minutes of a start) may miss a deadline:
    // read and patch again. A patch that did land before its answer was lost only repeats itself.
    for (let attempt = 1; ; attempt += 1) {
      try {
        const route = await admin.get(`/admin/routes/${name}`);
        await admin.send('PATCH', `/admin/routes/${name}`, { version: route.version, reason: 'demo: start the ramp with demo-sized guard windows', ...settings });
        break;
      } catch (error) {
        if (attempt >= attempts) throw error;
        await new Promise((resolve) => setTimeout(resolve, 2_000 * attempt));
      }
    }
  }
}
