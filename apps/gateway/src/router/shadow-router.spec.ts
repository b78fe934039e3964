import { signLegacyCartToken } from '@understudy/contracts';
import pino from 'pino';
import { Registry } from 'prom-client';
import { gatewayMetrics } from '../gateway-metrics';
import { LiveRoutes } from '../routes/live-routes';
import { type RouteConfigInput, routeConfigSchema } from '../routes/route-config';
import { DiffRecorder } from '../persistence/diff-recorder';
import { Breakers } from '../upstream/breakers';
import type { CallOptions, CallResult, UpstreamClient } from '../upstream/upstream-client';
import { type CheckoutRoute, INVENTORY_CHECK, INVENTORY_RESERVE, type UpstreamName } from '../routes/checkout-routes';
import { ShadowRouter } from './shadow-router';
import { ShadowSlots } from './shadow-slots';
import { CartTokenMigration } from './token-migration';

const SECRET = 'router-test-secret-000';

const ok = (body: unknown, status = 200): CallResult => ({ kind: 'response', status, body: Buffer.from(JSON.stringify(body)), contentType: 'application/json', replayed: false, ms: 2 });
const refused: CallResult = { kind: 'failed', failure: 'error', detail: 'ECONNREFUSED', reached: false, ms: 1 };
const timedOut = (ms: number): CallResult => ({ kind: 'failed', failure: 'timeout', detail: `no answer within ${ms} ms`, reached: true, ms });

/** An upstream that records its calls and answers what the test says. */
function fakeUpstream(answer: (options: CallOptions) => Promise<CallResult> | CallResult) {
  const calls: CallOptions[] = [];
  const client = { call: async (options: CallOptions) => (calls.push(options), answer(options)) } as unknown as UpstreamClient;
  return { client, calls };
}

interface SetupOptions {
  readonly capacity?: number;
  readonly target?: CheckoutRoute;
  readonly breakerVolume?: number;
}

function setup(
  route: Partial<RouteConfigInput>,
  upstreams: { monolith: ReturnType<typeof fakeUpstream>; inventory: ReturnType<typeof fakeUpstream> },
  { capacity = 10, target = INVENTORY_CHECK as CheckoutRoute, breakerVolume = 1000 }: SetupOptions = {},
) {
  const routes = new LiveRoutes([routeConfigSchema.parse({ ...target.defaults, ...route })], { now: Date.now });
  routes.apply(routeConfigSchema.parse({ ...target.defaults, ...route, version: 1 }), 'postgres');
  const metrics = gatewayMetrics(new Registry());
  const breakers = new Breakers({ errorThresholdPercentage: 50, volumeThreshold: breakerVolume, resetTimeoutMs: 60_000, rollingWindowMs: 10_000 });
  const router = new ShadowRouter({
    routes,
    upstreams: { client: (name: UpstreamName) => (name === 'monolith' ? upstreams.monolith.client : upstreams.inventory.client) },
    breakers,
    slots: new ShadowSlots(capacity),
    metrics,
    diffs: new DiffRecorder(async () => undefined, { perSecond: 0, maxQueued: 10, now: Date.now }),
    logger: pino({ level: 'silent' }),
    replica: 'test',
    tokens: new CartTokenMigration([SECRET]),
    primaryMaxBodyBytes: 1_000_000,
    shadowMaxBodyBytes: 10_000,
    random: () => 0,
  });
  const serve = (body: Record<string, unknown>, requestId = 'req-1') =>
    router.serve(target, { requestId, rawBody: body, body: target.request.parse(body), headers: { 'x-request-id': requestId } });
  const counts = () => routes.get(target.name)!.stats.guardStats().promotion.counts;
  return { router, routes, serve, counts, breakers };
}

const monolithAnswer = { variantId: 1, requested: 1, available: true, availableQuantity: 5, generatedAt: '2026-01-01T00:00:00.000001Z' };
const moduleAnswer = { variantId: '1', requested: 1, available: true, availableQuantity: 5 };

describe('ShadowRouter', () => {
  it('answers from the primary before the shadow is even called, then compares', async () => {
    const monolith = fakeUpstream(() => ok(monolithAnswer));
    let release!: () => void;
    const inventory = fakeUpstream(() => new Promise<CallResult>((resolve) => (release = () => resolve(ok(moduleAnswer)))));
    const { serve, counts, breakers } = setup({ mode: 'shadow', shadowPercent: 100 }, { monolith, inventory });

    const { answer, after } = await serve({ variantId: 1, quantity: 1 });
    expect(answer).toMatchObject({ status: 200, upstream: 'monolith' });
    expect(JSON.parse(answer.body.toString())).toEqual(monolithAnswer);
    expect(inventory.calls).toHaveLength(0);

    const background = after();
    await new Promise((resolve) => setImmediate(resolve));
    expect(inventory.calls).toHaveLength(1);
    expect(inventory.calls[0]!.headers['x-understudy-shadow']).toBe('1');
    expect(monolith.calls[0]!.headers['x-understudy-shadow']).toBeUndefined();
    release();
    await background;
    expect(counts()).toMatchObject({ match: 1, mismatch: 0 });
    breakers.shutdown();
  });

  it('skips (and counts) the shadow when every slot is taken, never queueing it', async () => {
    const monolith = fakeUpstream(() => ok(monolithAnswer));
    const inventory = fakeUpstream(() => ok(moduleAnswer));
    const { serve, counts, breakers } = setup({ mode: 'shadow', shadowPercent: 100 }, { monolith, inventory }, { capacity: 0 });
    const { after } = await serve({ variantId: 1, quantity: 1 });
    await after();
    expect(inventory.calls).toHaveLength(0);
    expect(counts()).toMatchObject({ skipped: 1, match: 0 });
    breakers.shutdown();
  });

  it('gives the module the cart id, the monolith its own signed token', async () => {
    const monolith = fakeUpstream(() => ok(monolithAnswer));
    const inventory = fakeUpstream(() => ok(moduleAnswer));
    const { serve, routes, breakers } = setup({ mode: 'shadow', shadowPercent: 100 }, { monolith, inventory });
    const cartToken = signLegacyCartToken('cart_9', SECRET);
    const { after } = await serve({ variantId: 1, quantity: 1, cartToken });
    await after();
    expect(JSON.parse(monolith.calls[0]!.body).cartToken).toBe(cartToken);
    expect(JSON.parse(inventory.calls[0]!.body).cartToken).toBe('cart_9');
    // Promotion counts the comparison under its client (the cart), not as an anonymous request.
    expect(routes.get('inventory.check')!.stats.guardStats().promotion.clients).toMatchObject({ compared: 1, unmatched: 0 });
    breakers.shutdown();
  });

  it('never sends a forged token to the module: the monolith answers alone', async () => {
    const monolith = fakeUpstream(() => ok({ error: { code: 'INVALID_CART_TOKEN' } }, 400));
    const inventory = fakeUpstream(() => ok(moduleAnswer));
    const { serve, counts, breakers } = setup({ mode: 'module-primary', shadowPercent: 100 }, { monolith, inventory });
    const { answer, after } = await serve({ variantId: 1, quantity: 1, cartToken: signLegacyCartToken('cart_9', 'not-the-monolith-secret') });
    await after();
    expect(answer).toMatchObject({ status: 400, upstream: 'monolith' });
    expect(inventory.calls).toHaveLength(0);
    expect(counts()).toMatchObject({ match: 0, mismatch: 0, error: 0 });
    breakers.shutdown();
  });

  it('in module-only mode refuses a forged token itself', async () => {
    const monolith = fakeUpstream(() => ok(monolithAnswer));
    const inventory = fakeUpstream(() => ok(moduleAnswer));
    const { serve, breakers } = setup({ mode: 'module-only' }, { monolith, inventory });
    const { answer } = await serve({ variantId: 1, quantity: 1, cartToken: 'lm1.forged.token' });
    expect(answer).toMatchObject({ status: 400, upstream: 'gateway' });
    expect(monolith.calls).toHaveLength(0);
    breakers.shutdown();
  });

  it('falls back to the monolith when the module (primary) fails, charging the module', async () => {
    const monolith = fakeUpstream(() => ok(monolithAnswer));
    const inventory = fakeUpstream(() => refused);
    const { serve, routes, breakers } = setup({ mode: 'module-primary', shadowPercent: 100 }, { monolith, inventory });
    const { answer, after } = await serve({ variantId: 1, quantity: 1 });
    expect(answer).toMatchObject({ status: 200, upstream: 'monolith' });
    await after();
    expect(monolith.calls).toHaveLength(1); // the fallback is the comparison's other side: no second monolith call
    const stats = routes.get('inventory.check')!.stats.guardStats().promotion;
    expect(stats).toMatchObject({ moduleCalls: 1, moduleFailures: 1, counts: { error: 1 } });
    breakers.shutdown();
  });

  it('relays a failure of the only upstream as a gateway error, not a 500', async () => {
    const monolith = fakeUpstream(() => timedOut(5000));
    const inventory = fakeUpstream(() => ok(moduleAnswer));
    const { serve, breakers } = setup({ mode: 'monolith' }, { monolith, inventory });
    const { answer } = await serve({ variantId: 1, quantity: 1 });
    expect(answer).toMatchObject({ status: 504, upstream: 'gateway' });
    expect(JSON.parse(answer.body.toString()).error.code).toBe('UPSTREAM_TIMEOUT');
    breakers.shutdown();
  });

  it('with noise detection calls the primary a second time as a dry run and learns from the pair', async () => {
    let n = 0;
    const monolith = fakeUpstream(() => ok({ ...monolithAnswer, generatedAt: `t${(n += 1)}` }));
    const inventory = fakeUpstream(() => ok(moduleAnswer));
    const { serve, routes, breakers } = setup(
      { mode: 'shadow', shadowPercent: 100, comparison: { transforms: [{ path: '$.variantId', op: 'toString' }] }, noise: { enabled: true, sampleRate: 1, minObservations: 2, minDifferences: 2, minRatio: 0.5 } },
      { monolith, inventory },
    );
    for (let i = 0; i < 2; i += 1) await (await serve({ variantId: 1, quantity: 1 })).after();
    expect(monolith.calls).toHaveLength(4);
    expect(monolith.calls[1]!.headers['x-understudy-shadow']).toBe('1');
    expect(routes.get('inventory.check')!.learnedIgnore).toEqual(['$.generatedAt']);
    breakers.shutdown();
  });

  it('does not keep (or shadow) a primary answer above the body cap', async () => {
    const monolith = fakeUpstream(() => ok({ ...monolithAnswer, padding: 'x'.repeat(20_000) }));
    const inventory = fakeUpstream(() => ok(moduleAnswer));
    const { serve, counts, breakers } = setup({ mode: 'shadow', shadowPercent: 100 }, { monolith, inventory });
    await (await serve({ variantId: 1, quantity: 1 })).after();
    expect(inventory.calls).toHaveLength(0);
    expect(counts().skipped).toBe(1);
    breakers.shutdown();
  });

  it('a token in an unknown format never reaches the module either: the monolith answers (and refuses it)', async () => {
    const monolith = fakeUpstream(() => ok({ error: { code: 'INVALID_CART_TOKEN' } }, 400));
    const inventory = fakeUpstream(() => ok(moduleAnswer));
    const { serve, breakers } = setup({ mode: 'module-primary', shadowPercent: 100 }, { monolith, inventory });
    const { answer, after } = await serve({ variantId: 1, quantity: 1, cartToken: 'cart_9' });
    await after();
    expect(answer).toMatchObject({ status: 400, upstream: 'monolith' });
    expect(inventory.calls).toHaveLength(0);
    breakers.shutdown();
  });

  it('in module-only mode refuses a token in an unknown format itself, with 400', async () => {
    const monolith = fakeUpstream(() => ok(monolithAnswer));
    const inventory = fakeUpstream(() => ok(moduleAnswer));
    const { serve, breakers } = setup({ mode: 'module-only' }, { monolith, inventory });
    const { answer } = await serve({ variantId: 1, quantity: 1, cartToken: 'cart_9' });
    expect(answer).toMatchObject({ status: 400, upstream: 'gateway' });
    expect(JSON.parse(answer.body.toString()).error.code).toBe('INVALID_CART_TOKEN');
    expect([monolith.calls.length, inventory.calls.length]).toEqual([0, 0]);
    breakers.shutdown();
  });

  it('module-primary: a monolith slower than shadowMs but faster than primaryMs fails its shadows without closing the door on fallbacks', async () => {
    // The monolith answers in 600 ms: every call held to the 500 ms shadow timeout times out, a 2,000 ms primary call does not.
    const monolith = fakeUpstream((options) => (options.timeoutMs < 600 ? timedOut(options.timeoutMs) : ok(monolithAnswer)));
    let moduleDown = false;
    const inventory = fakeUpstream(() => (moduleDown ? refused : ok(moduleAnswer)));
    const { serve, breakers } = setup({ mode: 'module-primary', shadowPercent: 100, timeouts: { primaryMs: 2_000, shadowMs: 500 } }, { monolith, inventory }, { breakerVolume: 5 });
    for (let i = 0; i < 10; i += 1) {
      const { answer, after } = await serve({ variantId: 1, quantity: 1 });
      expect(answer).toMatchObject({ status: 200, upstream: 'module' });
      await after();
    }
    expect(breakers.state('inventory.check', 'monolith', 'shadow')).toBe('open');
    expect(breakers.state('inventory.check', 'monolith', 'primary')).toBe('closed');
    moduleDown = true;
    const { answer } = await serve({ variantId: 1, quantity: 1 });
    expect(answer).toMatchObject({ status: 200, upstream: 'monolith' });
    expect(monolith.calls.at(-1)!.timeoutMs).toBe(2_000);
    breakers.shutdown();
  });

  describe('writes (inventory.reserve) in module-primary', () => {
    const reservation = { cartToken: signLegacyCartToken('cart_9', SECRET), lines: [{ variantId: '1', quantity: 1 }] };
    const held = { id: 'r1', cartToken: 'cart_9', status: 'active', lines: [{ variantId: '1', quantity: 1 }] };
    const primaryCalls = (upstream: ReturnType<typeof fakeUpstream>) => upstream.calls.filter((call) => call.headers['x-understudy-shadow'] === undefined);

    it('a module timeout is a 504 in the platform shape, never repeated on the monolith (the module may have committed)', async () => {
      const monolith = fakeUpstream(() => ok(held, 201));
      const inventory = fakeUpstream((options) => timedOut(options.timeoutMs));
      const { serve, breakers } = setup({ mode: 'module-primary', shadowPercent: 100 }, { monolith, inventory }, { target: INVENTORY_RESERVE as CheckoutRoute });
      const { answer, after } = await serve(reservation);
      await after();
      expect(answer).toMatchObject({ status: 504, upstream: 'gateway' });
      expect(JSON.parse(answer.body.toString()).error).toMatchObject({ code: 'UPSTREAM_TIMEOUT', details: { upstream: 'module', mayHaveBeenApplied: true } });
      expect(primaryCalls(monolith)).toHaveLength(0);
      breakers.shutdown();
    });

    it('a module 5xx is relayed, not repeated on the monolith', async () => {
      const monolith = fakeUpstream(() => ok(held, 201));
      const inventory = fakeUpstream(() => ok({ error: { code: 'INTERNAL', message: 'internal error' } }, 500));
      const { serve, breakers } = setup({ mode: 'module-primary', shadowPercent: 100 }, { monolith, inventory }, { target: INVENTORY_RESERVE as CheckoutRoute });
      const { answer } = await serve(reservation);
      expect(answer).toMatchObject({ status: 500, upstream: 'module' });
      expect(primaryCalls(monolith)).toHaveLength(0);
      breakers.shutdown();
    });

    it('falls back to the monolith when the request never reached the module (connection refused, breaker open)', async () => {
      const monolith = fakeUpstream(() => ok(held, 201));
      const inventory = fakeUpstream(() => refused);
      const { serve, breakers } = setup({ mode: 'module-primary', shadowPercent: 100 }, { monolith, inventory }, { target: INVENTORY_RESERVE as CheckoutRoute, breakerVolume: 2 });
      for (let i = 0; i < 3; i += 1) expect((await serve(reservation)).answer).toMatchObject({ status: 201, upstream: 'monolith' });
      expect(breakers.state('inventory.reserve', 'module')).toBe('open');
      expect(inventory.calls).toHaveLength(2); // the third never left: the breaker answered
      expect(primaryCalls(monolith)).toHaveLength(3);
      breakers.shutdown();
    });

    it('makes a fresh Idempotency-Key per request, never from the client-chosen request id', async () => {
      const monolith = fakeUpstream(() => ok(held, 201));
      const inventory = fakeUpstream(() => ok(held, 201));
      const { serve, breakers } = setup({ mode: 'module-primary', shadowPercent: 100 }, { monolith, inventory }, { target: INVENTORY_RESERVE as CheckoutRoute });
      await serve(reservation, 'same-id');
      await serve(reservation, 'same-id');
      const keys = inventory.calls.map((call) => call.headers['idempotency-key']!);
      expect(keys).toHaveLength(2);
      expect(new Set(keys).size).toBe(2);
      for (const key of keys) expect(key).not.toContain('same-id');
      breakers.shutdown();
    });
  });
});
