import { evaluateGuards, nextStep, previousStep } from './evaluate-guards';
import { DEFAULT_RAMP, type RouteConfig, type RouteConfigInput, routeConfigSchema } from '../routes/route-config';
import type { Observation } from '../stats/observation';
import { RouteStats } from '../stats/route-stats';

const route = (input: Partial<RouteConfigInput> = {}): RouteConfig =>
  routeConfigSchema.parse({
    name: 'inventory.check',
    mode: 'shadow',
    shadowPercent: 10,
    guards: {
      promotion: { minSamples: 1000, windowSeconds: 600, minMatchRate: 0.999, cooldownSeconds: 60 },
      rollback: { minSamples: 50, windowSeconds: 30, maxErrorRate: 0.05, maxMismatchRate: 0.02, maxP99Ms: 500 },
    },
    ...input,
  });

const ok = (moduleMs = 20, side: 'primary' | 'shadow' = 'shadow'): Observation => ({
  outcome: 'match',
  module: { side, failed: false },
  ...(side === 'shadow' ? { primaryMs: 15, shadowMs: moduleMs } : { primaryMs: moduleMs, shadowMs: 15 }),
});
const mismatch: Observation = { outcome: 'mismatch', module: { side: 'shadow', failed: false }, diffs: [{ path: '$.a', kind: 'changed' }] };
const moduleError: Observation = { outcome: 'error', module: { side: 'shadow', failed: true } };
const monolithError: Observation = { outcome: 'error', module: { side: 'shadow', failed: false } };

/** Each fed request is from a client of its own unless the observation names one. */
function harness(config: RouteConfig) {
  let t = 1_700_000_000_000;
  let clients = 0;
  const now = () => t;
  const stats = new RouteStats(config.guards, { now });
  return {
    stats,
    advance: (ms: number) => (t += ms),
    feed: (observation: Observation, n: number, spreadMs = 0) => {
      for (let i = 0; i < n; i += 1) {
        stats.record({ client: `cart:${(clients += 1)}`, ...observation });
        t += spreadMs;
      }
    },
    evaluate: (r: RouteConfig = config) => evaluateGuards(r, stats.guardStats(), now()),
  };
}

describe('evaluateGuards: promotion', () => {
  it('promotes to the next step with enough matching samples after the cool-down', () => {
    const h = harness(route());
    h.advance(61_000);
    h.feed(ok(), 1100); // distinct clients are estimated (±2 %): a margin over minSamples
    expect(h.evaluate()).toMatchObject({
      action: 'promote',
      fromStep: { mode: 'shadow', percent: 10 },
      toStep: { mode: 'shadow', percent: 50 },
    });
  });

  it('holds while collecting samples', () => {
    const h = harness(route());
    h.advance(61_000);
    h.feed(ok(), 900);
    expect(h.evaluate()).toMatchObject({ action: 'hold', reason: expect.stringMatching(/^collecting samples: \d+ of 1000 distinct clients \(900 requests\)$/) });
  });

  it('holds during the cool-down even with plenty of samples', () => {
    const h = harness(route());
    h.feed(ok(), 5000);
    h.advance(30_000);
    expect(h.evaluate()).toMatchObject({ action: 'hold', reason: expect.stringMatching(/^cooling down: 30s of 60s/) });
  });

  it('holds below the match-rate threshold (but above the rollback one)', () => {
    const h = harness(route());
    h.advance(61_000);
    h.feed(ok(), 1095, 100);
    h.feed(mismatch, 5); // 0.5%: short of 99.9% matching, not enough to roll back at 2%
    const decision = h.evaluate();
    expect(decision).toMatchObject({ action: 'hold' });
    expect(decision.reason).toMatch(/client match rate 99\.\d+% below 99.9% \(5 of \d+ clients saw a difference\)/);
  });

  it('counts errors and timeouts against the match rate', () => {
    const h = harness(route());
    h.advance(61_000);
    h.feed(ok(), 1090, 100);
    h.feed(monolithError, 10, 100);
    expect(h.evaluate().action).toBe('hold');
  });

  it('walks from shadow 100% to module-primary 1%, and holds on the last step', () => {
    const onShadow100 = harness(route({ shadowPercent: 100 }));
    onShadow100.advance(61_000);
    onShadow100.feed(ok(), 1100);
    expect(onShadow100.evaluate().toStep).toEqual({ mode: 'module-primary', percent: 1 });

    const last = harness(route({ mode: 'module-only' }));
    last.advance(61_000);
    last.feed(ok(20, 'primary'), 1100);
    expect(last.evaluate()).toMatchObject({ action: 'hold', reason: 'on the last ramp step' });
  });

  it('never promotes into module-only by itself: leaving no monolith fallback is a person\'s decision', () => {
    const h = harness(route({ mode: 'module-primary', shadowPercent: 100 }));
    h.advance(61_000);
    h.feed(ok(20, 'primary'), 20_000);
    expect(h.evaluate()).toMatchObject({ action: 'hold', reason: expect.stringContaining('module-only'), fromStep: { mode: 'module-primary', percent: 100 } });
  });

  it("counts clients, not requests: one client's flood of matching requests cannot dilute other clients' mismatches", () => {
    const h = harness(route());
    h.advance(61_000);
    h.feed(ok(), 1090, 50);
    h.feed(mismatch, 11, 50); // 1 % of clients see a difference: below 99.9 %, not enough to roll back at 2 %
    h.feed({ ...ok(), client: 'cart:flood' }, 100_000); // 99.99 % of requests now match
    expect(h.stats.guardStats().promotion.matchRate).toBeGreaterThan(0.999);
    const decision = h.evaluate();
    expect(decision.action).toBe('hold');
    expect(decision.reason).toMatch(/^client match rate 9\d\.\d+% below 99.9% \(11 of \d+ clients saw a difference\)$/);
  });

  it("one client's flood does not count as the clients promotion waits for", () => {
    const h = harness(route());
    h.advance(61_000);
    h.feed({ ...ok(), client: 'cart:flood' }, 50_000);
    expect(h.evaluate()).toMatchObject({ action: 'hold', reason: 'collecting samples: 1 of 1000 distinct clients (50000 requests)' });
  });

  it('holds when the promotion window itself breaches a rollback limit that the short window does not see', () => {
    const h = harness(route({ guards: { promotion: { minSamples: 100, minMatchRate: 0 }, rollback: { minSamples: 50, maxP99Ms: 500 } } }));
    h.feed(ok(900), 60); // slow, then gone from the 60 s rollback window
    h.advance(400_000);
    h.feed(ok(20), 110);
    const decision = h.evaluate();
    expect(decision.action).toBe('hold');
    expect(decision.reason).toMatch(/module p99 .* over the promotion window/);
  });

  it('can be switched off', () => {
    const h = harness(route({ guards: { promotion: { enabled: false } } }));
    h.advance(10_000_000);
    h.feed(ok(), 20_000);
    expect(h.evaluate()).toMatchObject({ action: 'hold', reason: 'automatic promotion is disabled' });
  });
});

describe('evaluateGuards: rollback', () => {
  it('rolls back to the previous step when the module error rate crosses the limit', () => {
    const h = harness(route({ shadowPercent: 50 }));
    h.feed(ok(), 90);
    h.feed(moduleError, 10);
    const decision = h.evaluate();
    expect(decision).toMatchObject({ action: 'rollback', fromStep: { mode: 'shadow', percent: 50 }, toStep: { mode: 'shadow', percent: 10 } });
    expect(decision.reason).toMatch(/module error rate 10% > 5% \(10 of 100 calls\) over the last 30s/);
  });

  it('does not roll back on one error (minimum samples)', () => {
    const h = harness(route());
    h.feed(moduleError, 1);
    h.feed(ok(), 10);
    expect(h.evaluate().action).toBe('hold');
  });

  it('does not charge monolith failures to the module', () => {
    const h = harness(route());
    h.feed(ok(), 80);
    h.feed(monolithError, 20);
    expect(h.evaluate().action).toBe('hold');
  });

  it('rolls back on the mismatch rate', () => {
    const h = harness(route({ mode: 'module-primary', shadowPercent: 10 }));
    h.feed(ok(), 95);
    h.feed(mismatch, 5);
    expect(h.evaluate()).toMatchObject({ action: 'rollback', toStep: { mode: 'module-primary', percent: 1 } });
  });

  it('rolls back on the module p99, wherever the module sat', () => {
    const primary = harness(route({ mode: 'module-primary', shadowPercent: 50 }));
    primary.feed(ok(20, 'primary'), 90);
    primary.feed(ok(2000, 'primary'), 10);
    expect(primary.evaluate()).toMatchObject({ action: 'rollback', reason: expect.stringMatching(/module p99 2000ms > 500ms/) });

    // The monolith being slow is not the module's p99.
    const slowMonolith = harness(route());
    slowMonolith.feed({ outcome: 'match', module: { side: 'shadow', failed: false }, primaryMs: 3000, shadowMs: 20 }, 100);
    expect(slowMonolith.evaluate().action).toBe('hold');
  });

  it('rolls back from the first step to monolith, and from module-only to module-primary 100%', () => {
    const first = harness(route({ shadowPercent: 1 }));
    first.feed(moduleError, 100);
    expect(first.evaluate().toStep).toEqual({ mode: 'monolith', percent: 0 });

    const only = harness(route({ mode: 'module-only' }));
    only.feed({ module: { side: 'primary', failed: true }, primaryMs: 5 }, 100);
    expect(only.evaluate().toStep).toEqual({ mode: 'module-primary', percent: 100 });
  });

  it('ignores the cool-down: a bad new step goes back at once', () => {
    const h = harness(route());
    h.feed(moduleError, 50);
    expect(h.evaluate().action).toBe('rollback');
  });

  it('forgets a burst of errors once it leaves the rollback window', () => {
    const h = harness(route());
    h.feed(moduleError, 60);
    h.advance(31_000);
    h.feed(ok(), 10);
    expect(h.evaluate().action).toBe('hold');
  });

  it('rollback wins over promotion', () => {
    const h = harness(route({ guards: { promotion: { minSamples: 100, minMatchRate: 0, cooldownSeconds: 0 } } }));
    h.feed(moduleError, 100);
    expect(h.evaluate().action).toBe('rollback');
  });

  it('can be switched off', () => {
    const h = harness(route({ guards: { rollback: { enabled: false } } }));
    h.feed(moduleError, 1000);
    expect(h.evaluate().action).toBe('hold');
  });
});

describe('evaluateGuards: frozen and monolith', () => {
  it('never changes a frozen route, good or bad', () => {
    const bad = harness(route({ frozen: true }));
    bad.feed(moduleError, 1000);
    expect(bad.evaluate()).toMatchObject({ action: 'hold', reason: 'route is frozen' });

    const good = harness(route({ frozen: true }));
    good.advance(61_000);
    good.feed(ok(), 5000);
    expect(good.evaluate().action).toBe('hold');
  });

  it('does not start a ramp from monolith by itself', () => {
    const h = harness(route({ mode: 'monolith' }));
    h.advance(61_000);
    h.feed(ok(), 5000);
    expect(h.evaluate()).toMatchObject({ action: 'hold', fromStep: { mode: 'monolith', percent: 0 } });
  });
});

describe('after a change', () => {
  it('judges the new step on fresh stats, after its own cool-down', () => {
    const config = route();
    const h = harness(config);
    h.advance(61_000);
    h.feed(ok(), 1100);
    const decision = h.evaluate();
    expect(decision.action).toBe('promote');

    // The caller applies the step and resets the stats.
    const promoted = { ...config, shadowPercent: decision.toStep!.percent, version: config.version + 1 };
    h.stats.reset();
    expect(h.evaluate(promoted)).toMatchObject({ action: 'hold', reason: expect.stringMatching(/^cooling down/) });
    h.advance(61_000);
    expect(h.evaluate(promoted)).toMatchObject({ action: 'hold', reason: 'collecting samples: 0 of 1000 distinct clients (0 requests)' });
    h.feed(ok(), 1100);
    expect(h.evaluate(promoted)).toMatchObject({ action: 'promote', toStep: { mode: 'shadow', percent: 100 } });
  });
});

describe('ramp navigation', () => {
  it('finds next and previous steps, including for a route moved off the ramp by hand', () => {
    expect(nextStep(DEFAULT_RAMP, { mode: 'shadow', percent: 25 })).toEqual({ mode: 'shadow', percent: 50 });
    expect(previousStep(DEFAULT_RAMP, { mode: 'shadow', percent: 25 })).toEqual({ mode: 'shadow', percent: 10 });
    expect(nextStep(DEFAULT_RAMP, { mode: 'monolith', percent: 0 })).toEqual({ mode: 'shadow', percent: 1 });
    expect(previousStep(DEFAULT_RAMP, { mode: 'module-primary', percent: 1 })).toEqual({ mode: 'shadow', percent: 100 });
    expect(nextStep(DEFAULT_RAMP, { mode: 'module-only', percent: 100 })).toBeUndefined();
  });
});
