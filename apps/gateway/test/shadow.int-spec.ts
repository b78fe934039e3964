import { SHADOW_HEADER, UPSTREAM_HEADER, verifyLegacyCartToken } from '@understudy/contracts';
import { metricValue, waitFor } from '@understudy/testing';
import { ADMIN, configure, migrateGateway, type RunningGateway, report, route, startGateway } from './support/gateway';
import { json, LOCAL_CART_TOKEN_SECRET } from './support/processes';
import { Tap } from './support/tap';
import { World } from './support/world';

/**
 * The gateway (in this process) in front of the REAL legacy monolith and the
 * REAL inventory module (each its own process, fed from the Shopify
 * simulator), with recording taps on both upstream connections.
 */
describe('shadow routing against the real monolith and inventory', () => {
  let world: World;
  let gateway: RunningGateway;
  let monolithTap: Tap;
  let inventoryTap: Tap;
  const statuses: number[] = [];

  const checkout = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const answer = await json(`${gateway.url}${path}`, 'POST', body, headers);
    statuses.push(answer.status);
    return answer;
  };
  const newCart = async () => (await json<{ cartToken: string }>(`${world.monolith.url}/carts`, 'POST')).body.cartToken;

  beforeAll(async () => {
    world = await World.start({ inventory: true });
    monolithTap = await Tap.start(world.monolith.url);
    inventoryTap = await Tap.start(world.inventory!.url);
    const database = await world.database('gateway');
    await migrateGateway(database.url);
    gateway = await startGateway({
      DATABASE_URL: database.url,
      MONOLITH_URL: monolithTap.url,
      INVENTORY_URL: inventoryTap.url,
      PRICING_URL: 'http://127.0.0.1:9',
      BREAKER_VOLUME_THRESHOLD: '5',
      BREAKER_RESET_MS: '600000',
    });
  });

  afterAll(async () => {
    // Nothing any test sent, good or bad, made the gateway answer with a 500.
    expect(statuses.filter((status) => status === 500)).toEqual([]);
    await gateway?.stop();
    await monolithTap?.close();
    await inventoryTap?.close();
    await world?.close();
  });

  it('guards the admin API with the bearer token (401 otherwise) and documents it in OpenAPI', async () => {
    for (const headers of [{} as Record<string, string>, { authorization: 'Bearer wrong-token-wrong-token' }, { authorization: `Basic ${ADMIN.authorization.slice(7)}` }]) {
      const answer = await json<{ error: { code: string } }>(`${gateway.url}/admin/routes`, 'GET', undefined, headers);
      expect(answer.status).toBe(401);
      expect(answer.body.error.code).toBe('UNAUTHORIZED');
    }
    expect((await json(`${gateway.url}/admin/routes/inventory.check/rollback`, 'POST', {})).status).toBe(401);
    expect((await json(`${gateway.url}/admin/routes`, 'GET', undefined, ADMIN)).status).toBe(200);
    const openApi = (await json<{ paths: Record<string, unknown> }>(`${gateway.url}/openapi.json`, 'GET')).body;
    expect(Object.keys(openApi.paths)).toEqual(
      expect.arrayContaining(['/v1/inventory/check', '/v1/inventory/reservations', '/v1/pricing/quote', '/admin/routes/{name}', '/admin/routes/{name}/report', '/admin/diffs', '/admin/audit']),
    );
  });

  it('answers bad input with 4xx and the failing fields, never 500', async () => {
    const variantId = world.variant().variantId;
    const cases: Array<[string, unknown, number, string?]> = [
      ['/v1/inventory/check', { variantId: 'abc', quantity: 1 }, 400, 'variantId'],
      ['/v1/inventory/check', { variantId, quantity: 0 }, 400, 'quantity'],
      ['/v1/inventory/check', { variantId, quantity: 1, cartToken: '' }, 400, 'cartToken'],
      ['/v1/inventory/check', {}, 400, 'quantity'],
      ['/v1/inventory/check', '{"variantId": ', 400],
      ['/v1/inventory/check', [1, 2], 400],
      ['/v1/inventory/reservations', { cartToken: 'c', lines: [] }, 400, 'lines'],
      ['/v1/pricing/quote', { currency: 'XXX', lines: [{ variantId, quantity: 1 }] }, 400, 'currency'],
      ['/v1/inventory/check', { variantId, quantity: 1, padding: 'x'.repeat(2 * 1024 * 1024) }, 413],
    ];
    for (const [path, body, status, field] of cases) {
      const answer = await checkout(path, body);
      expect({ path, status: answer.status }).toEqual({ path, status });
      if (field) expect((answer.body as { error: { details: { issues: Array<{ path: string }> } } }).error.details.issues.map((i) => i.path)).toContain(field);
    }
    const plain = await fetch(`${gateway.url}/v1/inventory/check`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' });
    expect(plain.status).toBe(415);

    const { version } = await route(gateway.url, 'inventory.check');
    const patch = (body: unknown) => json<{ error: { code: string } }>(`${gateway.url}/admin/routes/inventory.check`, 'PATCH', body, ADMIN);
    expect((await patch({ version, mode: 'canary' })).status).toBe(400);
    expect((await patch({ version, shadowPercent: 150 })).status).toBe(400);
    expect((await patch({ version, colour: 'blue' })).status).toBe(400);
    expect((await patch({ mode: 'shadow' })).status).toBe(400);
    expect((await patch({ version, comparison: { ignore: ['a['] } })).status).toBe(400);
    const stale = await patch({ version: version + 7, mode: 'shadow' });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('VERSION_CONFLICT');
    expect((await json(`${gateway.url}/admin/routes/nope.nope`, 'GET', undefined, ADMIN)).status).toBe(404);
    expect((await json(`${gateway.url}/admin/diffs?limit=0`, 'GET', undefined, ADMIN)).status).toBe(400);
    expect((await route(gateway.url, 'inventory.check')).version).toBe(version);
  });

  it('in monolith mode calls the monolith only', async () => {
    monolithTap.clear();
    inventoryTap.clear();
    const before = (await report(gateway.url, 'inventory.check')).overall.latency.primary.count;
    const answer = await checkout('/v1/inventory/check', { variantId: world.variant().variantId, quantity: 1 });
    expect(answer.status).toBe(200);
    expect(answer.headers.get(UPSTREAM_HEADER)).toBe('monolith');
    // Not a sleep: the request's own bookkeeping is recorded only after its shadow call (had there been one) was answered,
    // and the tap records an exchange before it answers.
    await waitFor(async () => (await report(gateway.url, 'inventory.check')).overall.latency.primary.count === before + 1, { what: "the request's stats" });
    expect(monolithTap.to('/inventory/check')).toHaveLength(1);
    expect(inventoryTap.exchanges).toHaveLength(0);
  });

  it("in shadow mode answers with the monolith's bytes while inventory gets the shadow call, token migrated", async () => {
    await configure(gateway.url, 'inventory.check', { mode: 'shadow', shadowPercent: 100 });
    monolithTap.clear();
    inventoryTap.clear();
    const variant = world.variant();
    const cartToken = await newCart();
    const cartId = (verifyLegacyCartToken(cartToken, [LOCAL_CART_TOKEN_SECRET]) as { cartId: string }).cartId;

    const answer = await checkout('/v1/inventory/check', { variantId: `gid://shopify/ProductVariant/${variant.variantId}`, quantity: 2, cartToken });
    expect(answer.status).toBe(200);
    expect(answer.headers.get(UPSTREAM_HEADER)).toBe('monolith');
    const [primary] = monolithTap.to('/inventory/check');
    expect(answer.text).toBe(primary!.response); // unchanged, byte for byte
    expect(answer.body).toMatchObject({ variantId: Number(variant.variantId), availableQuantity: variant.availableQuantity, generatedAt: expect.any(String) });
    expect(JSON.parse(primary!.body).cartToken).toBe(cartToken);
    expect(primary!.headers[SHADOW_HEADER]).toBeUndefined();

    const [shadow] = await waitFor(() => inventoryTap.to('/v1/check').length === 1 && inventoryTap.to('/v1/check'), { what: 'the shadow call to inventory' });
    expect(shadow!.headers[SHADOW_HEADER]).toBe('1');
    expect(shadow!.headers['x-request-id']).toBe(answer.headers.get('x-request-id'));
    expect(JSON.parse(shadow!.body)).toEqual({ variantId: `gid://shopify/ProductVariant/${variant.variantId}`, quantity: 2, cartToken: cartId });
    expect(JSON.parse(shadow!.response!)).toEqual({ variantId: variant.variantId, requested: 2, available: true, availableQuantity: variant.availableQuantity });

    // The seeded comparison spec knows the monolith's quirks (numeric ids, generatedAt): a match.
    const stats = await waitFor(async () => {
      const current = await report(gateway.url, 'inventory.check');
      return current.overall.samples === 1 && current;
    });
    expect(stats.overall.counts).toMatchObject({ match: 1, mismatch: 0, error: 0 });
    expect(stats.overall.latency.shadow.count).toBe(1);
    expect(await metricValue(gateway.url, 'understudy_shadow_requests_total', { route: 'inventory.check', outcome: 'match' })).toBe(1);
    expect(await metricValue(gateway.url, 'understudy_route_mode', { route: 'inventory.check', mode: 'shadow' })).toBe(1);
  });

  it('shadows a reservation as a dry run: the monolith holds the units, inventory keeps nothing', async () => {
    await configure(gateway.url, 'inventory.reserve', { mode: 'shadow', shadowPercent: 100 });
    inventoryTap.clear();
    const variant = world.variant((v) => v.tracked && (v.availableQuantity ?? 0) > 10 && v.variantId !== world.variant().variantId);
    const cartToken = await newCart();
    const answer = await checkout('/v1/inventory/reservations', { cartToken, lines: [{ variantId: variant.variantId, quantity: 3 }] });
    expect(answer.status).toBe(201);
    expect(answer.headers.get(UPSTREAM_HEADER)).toBe('monolith');
    expect(answer.body).toMatchObject({ id: expect.stringMatching(/^lmr_/), status: 'active', lines: [{ variantId: Number(variant.variantId), quantity: 3 }] });

    const [shadow] = await waitFor(() => inventoryTap.to('/v1/reservations').length === 1 && inventoryTap.to('/v1/reservations'), { what: 'the shadow reservation' });
    expect(shadow!.headers[SHADOW_HEADER]).toBe('1');
    // A fresh key of the gateway's for this request, not derived from the request id.
    expect(shadow!.headers['idempotency-key']).toMatch(/^gw-[0-9a-f-]{36}$/);
    expect(shadow!.headers['idempotency-key']).not.toContain(answer.headers.get('x-request-id'));
    expect(shadow!.status).toBe(201);
    await waitFor(async () => (await report(gateway.url, 'inventory.reserve')).overall.counts.match === 1, { what: 'the reservation comparison to match' });

    const other = { variantId: variant.variantId, quantity: 1 };
    const inInventory = await json<{ availableQuantity: number }>(`${world.inventory!.url}/v1/check`, 'POST', other);
    expect(inInventory.body.availableQuantity).toBe(variant.availableQuantity); // dry run: nothing held
    const inMonolith = await json<{ availableQuantity: number }>(`${world.monolith.url}/inventory/check`, 'POST', other);
    expect(inMonolith.body.availableQuantity).toBe(variant.availableQuantity! - 3);
  });

  it("learns the monolith's timestamp as noise by itself, then matches", async () => {
    await configure(gateway.url, 'inventory.check', {
      comparison: { ignore: [], transforms: [{ path: '$.variantId', op: 'toString' }] },
      noise: { enabled: true, sampleRate: 1, minObservations: 8, minDifferences: 3, minRatio: 0.5 },
    });
    const body = { variantId: world.variant().variantId, quantity: 1 };
    // Before it has learned anything, the timestamp is a mismatch.
    await checkout('/v1/inventory/check', body);
    const early = await waitFor(async () => {
      const current = await report(gateway.url, 'inventory.check');
      return current.overall.samples === 1 && current;
    });
    expect(early.overall.counts.mismatch).toBe(1);
    expect(early.overall.mismatchPaths.map((p) => p.path)).toEqual(['$.generatedAt']);

    let sent = 1;
    await waitFor(
      async () => {
        await checkout('/v1/inventory/check', body);
        sent += 1;
        return (await route(gateway.url, 'inventory.check')).learnedIgnore.includes('$.generatedAt');
      },
      { timeoutMs: 30_000, intervalMs: 20, what: 'the learner to flag $.generatedAt' },
    );
    expect((await route(gateway.url, 'inventory.check')).learnedIgnore).toEqual(['$.generatedAt']);
    // Every comparison sent so far is counted (the last ones run after their answers): only then count on.
    const before = await waitFor(async () => {
      const current = (await report(gateway.url, 'inventory.check')).overall;
      return current.samples === sent && current.counts;
    });
    for (let i = 0; i < 5; i += 1) await checkout('/v1/inventory/check', body);
    const after = await waitFor(async () => {
      const current = (await report(gateway.url, 'inventory.check')).overall.counts;
      return current.match + current.mismatch >= before.match + before.mismatch + 5 && current;
    });
    expect(after.match - before.match).toBe(5);
    expect(after.mismatch).toBe(before.mismatch);

    // The early mismatches were sampled into PostgreSQL with their paths.
    const diffs = await json<{ diffs: Array<{ route: string; outcome: string; diffs: Array<{ path: string; kind: string }> }> }>(
      `${gateway.url}/admin/diffs?route=inventory.check&limit=5`,
      'GET',
      undefined,
      ADMIN,
    );
    expect(diffs.body.diffs[0]).toMatchObject({ route: 'inventory.check', outcome: 'mismatch', diffs: [{ path: '$.generatedAt', kind: 'missing' }] });
    const audit = await json<{ entries: Array<{ action: string; actor: string }> }>(`${gateway.url}/admin/audit?route=inventory.check`, 'GET', undefined, ADMIN);
    expect(audit.body.entries.map((entry) => entry.action)).toEqual(['update', 'update', 'seed']);
  });

  it('keeps a plausible client request id, replaces an implausible one, and never makes a reservation key from it', async () => {
    await configure(gateway.url, 'inventory.reserve', { mode: 'module-primary', shadowPercent: 100 });
    inventoryTap.clear();
    const variant = world.variant((v) => v.tracked && (v.availableQuantity ?? 0) > 10 && v.variantId !== world.variant().variantId);
    const reused = { 'x-request-id': 'client-reused-id' };
    // Two different reservations that happen to carry the same request id, without an Idempotency-Key.
    const first = await checkout('/v1/inventory/reservations', { cartToken: await newCart(), lines: [{ variantId: variant.variantId, quantity: 1 }] }, reused);
    const second = await checkout('/v1/inventory/reservations', { cartToken: await newCart(), lines: [{ variantId: variant.variantId, quantity: 2 }] }, reused);
    for (const answer of [first, second]) {
      expect([answer.status, answer.headers.get(UPSTREAM_HEADER), answer.headers.get('idempotent-replayed')]).toEqual([201, 'module', null]);
      expect(answer.headers.get('x-request-id')).toBe('client-reused-id');
    }
    expect((second.body as { lines: unknown }).lines).toEqual([{ variantId: variant.variantId, quantity: 2 }]);
    const keys = inventoryTap.to('/v1/reservations').map((exchange) => exchange.headers['idempotency-key']);
    expect(new Set(keys).size).toBe(2);

    for (const odd of ['x'.repeat(300), 'has space', '<script>']) {
      const answer = await checkout('/v1/inventory/check', { variantId: world.variant().variantId, quantity: 1 }, { 'x-request-id': odd });
      expect(answer.status).toBe(200);
      expect(answer.headers.get('x-request-id')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    }
  });

  it('a reservation the module does not answer in time is a 504, never repeated on the monolith (the module may have made it)', async () => {
    await configure(gateway.url, 'inventory.reserve', { mode: 'module-primary', shadowPercent: 100, timeouts: { primaryMs: 300, shadowMs: 1_000 } });
    monolithTap.clear();
    inventoryTap.delayMs = 2_000;
    try {
      const variant = world.variant((v) => v.tracked && (v.availableQuantity ?? 0) > 10 && v.variantId !== world.variant().variantId);
      const answer = await checkout('/v1/inventory/reservations', { cartToken: await newCart(), lines: [{ variantId: variant.variantId, quantity: 1 }] }, { 'idempotency-key': 'timeout-test-key-1' });
      expect([answer.status, answer.headers.get(UPSTREAM_HEADER)]).toEqual([504, 'gateway']);
      expect(answer.body).toMatchObject({ error: { code: 'UPSTREAM_TIMEOUT', message: expect.stringContaining('same Idempotency-Key'), details: { mayHaveBeenApplied: true } } });
      // The monolith sees this reservation only as the comparison's dry run.
      const calls = await waitFor(() => monolithTap.to('/inventory/reservations').length > 0 && monolithTap.to('/inventory/reservations'), { what: 'the shadow call to the monolith' });
      expect(calls.map((call) => call.headers[SHADOW_HEADER])).toEqual(['1']);
    } finally {
      inventoryTap.delayMs = 0;
      await configure(gateway.url, 'inventory.reserve', { mode: 'monolith', timeouts: { primaryMs: 3_000, shadowMs: 1_000 } });
    }
  });

  it('refuses a cart token in an unknown format with 400: the module never acts on a cart id a client made up', async () => {
    await configure(gateway.url, 'inventory.check', { mode: 'module-only' });
    inventoryTap.clear();
    try {
      const answer = await checkout('/v1/inventory/check', { variantId: world.variant().variantId, quantity: 1, cartToken: 'someone-elses-cart' });
      expect([answer.status, answer.headers.get(UPSTREAM_HEADER)]).toEqual([400, 'gateway']);
      expect(answer.body).toMatchObject({ error: { code: 'INVALID_CART_TOKEN' } });
      expect(inventoryTap.exchanges).toHaveLength(0);
    } finally {
      await configure(gateway.url, 'inventory.check', { mode: 'shadow', shadowPercent: 100 });
    }
  });

  it('module-primary: a monolith slower than shadowMs but faster than primaryMs opens its shadow breaker only, never the one fallbacks use', async () => {
    await configure(gateway.url, 'inventory.check', { mode: 'module-primary', shadowPercent: 100, noise: { enabled: false }, timeouts: { primaryMs: 10_000, shadowMs: 100 } });
    monolithTap.delayMs = 1_000;
    try {
      // The shadow breaker's window still holds the noise calls' successes of the test above: the timeouts must outweigh them.
      let sent = 0;
      while ((await route(gateway.url, 'inventory.check')).shadowBreakers?.monolith !== 'open') {
        expect(sent).toBeLessThan(200);
        const answer = await checkout('/v1/inventory/check', { variantId: world.variant().variantId, quantity: 1 });
        expect([answer.status, answer.headers.get(UPSTREAM_HEADER)]).toEqual([200, 'module']);
        sent += 1;
      }
      const timeouts = await report(gateway.url, 'inventory.check');
      expect(timeouts.overall.counts.timeout).toBeGreaterThanOrEqual(5);
      expect((await route(gateway.url, 'inventory.check')).breakers.monolith).toBe('closed');
      expect(await metricValue(gateway.url, 'understudy_gateway_breaker_open', { route: 'inventory.check', upstream: 'monolith', role: 'shadow' })).toBe(1);
      expect(await metricValue(gateway.url, 'understudy_gateway_breaker_open', { route: 'inventory.check', upstream: 'monolith', role: 'primary' })).not.toBe(1);
    } finally {
      monolithTap.delayMs = 0;
      await configure(gateway.url, 'inventory.check', { mode: 'shadow', timeouts: { primaryMs: 2_000, shadowMs: 500 } });
    }
  });

  describe('with inventory stopped', () => {
    const body = () => ({ variantId: world.variant().variantId, quantity: 1 });

    beforeAll(async () => {
      await configure(gateway.url, 'inventory.check', { noise: { enabled: false }, comparison: { ignore: ['$.generatedAt'] } });
      await world.stopInventory();
    });

    it('module-primary answers from the monolith (fallback) and the breaker opens', async () => {
      await configure(gateway.url, 'inventory.check', { mode: 'module-primary', shadowPercent: 100 });
      expect((await route(gateway.url, 'inventory.check')).breakers.module).toBe('closed');
      // The breaker's window still holds the successful calls of the tests above; failures must outweigh them.
      let sent = 0;
      while ((await route(gateway.url, 'inventory.check')).breakers.module !== 'open') {
        expect(sent).toBeLessThan(200);
        const answer = await checkout('/v1/inventory/check', body());
        sent += 1;
        expect(answer.status).toBe(200);
        expect(answer.headers.get(UPSTREAM_HEADER)).toBe('monolith');
        expect(answer.body).toHaveProperty('generatedAt');
      }
      // Open: the module is not even tried, the monolith answers at once.
      for (let i = 0; i < 3; i += 1) expect((await checkout('/v1/inventory/check', body())).headers.get(UPSTREAM_HEADER)).toBe('monolith');
      sent += 3;
      expect(await metricValue(gateway.url, 'understudy_gateway_breaker_open', { route: 'inventory.check', upstream: 'module', role: 'primary' })).toBe(1);
      expect(await metricValue(gateway.url, 'understudy_gateway_fallbacks_total', { route: 'inventory.check', reason: 'open' })).toBeGreaterThanOrEqual(3);
      expect(await metricValue(gateway.url, 'understudy_gateway_fallbacks_total', { route: 'inventory.check' })).toBe(sent);
      const stats = await waitFor(async () => {
        const current = await report(gateway.url, 'inventory.check');
        return current.overall.counts.error === sent && current;
      });
      expect(stats.overall.moduleFailures).toBe(sent);
    });

    it('shadow mode: checkout unaffected, every shadow counted as an error', async () => {
      await configure(gateway.url, 'inventory.check', { mode: 'shadow', shadowPercent: 100 });
      const errorsBefore = await metricValue(gateway.url, 'understudy_shadow_requests_total', { route: 'inventory.check', outcome: 'error' });
      for (let i = 0; i < 10; i += 1) {
        const answer = await checkout('/v1/inventory/check', body());
        expect(answer.status).toBe(200);
        expect(answer.headers.get(UPSTREAM_HEADER)).toBe('monolith');
        expect(answer.body).toMatchObject({ availableQuantity: world.variant().availableQuantity });
      }
      await waitFor(async () => (await metricValue(gateway.url, 'understudy_shadow_requests_total', { route: 'inventory.check', outcome: 'error' })) - errorsBefore === 10, {
        what: '10 shadow errors',
      });
      const stats = await report(gateway.url, 'inventory.check');
      expect(stats.overall.counts).toMatchObject({ error: 10, match: 0, mismatch: 0 });
      expect(stats.overall.latency.primary.count).toBe(10);
    });
  });
});
