import { SHADOW_HEADER } from '@understudy/contracts';
import { RedisServer, waitFor } from '@understudy/testing';
import Redis from 'ioredis';
import { ADMIN, migrateGateway, type RouteView } from './support/gateway';
import { type AppProcess, json, startApp } from './support/processes';
import { Tap } from './support/tap';
import { TcpProxy } from './support/tcp-proxy';
import { World } from './support/world';

/**
 * Two gateway replicas, each its own process from the real main.ts, sharing
 * one PostgreSQL database and one (private, stoppable) Redis, in front of
 * the real monolith and inventory. Replica B reaches PostgreSQL through a
 * proxy the test can cut.
 */
describe('two gateway replicas', () => {
  let world: World;
  let redis: RedisServer;
  let pgProxy: TcpProxy;
  let monolithTap: Tap;
  let inventoryTap: Tap;
  let a: AppProcess;
  let b: AppProcess;
  let databaseName: string;

  const routeOn = async (replica: AppProcess, name = 'inventory.check') => (await json<RouteView>(`${replica.url}/admin/routes/${name}`, 'GET', undefined, ADMIN)).body;
  const patch = async (replica: AppProcess, changes: Record<string, unknown>, name = 'inventory.check') => {
    const { version } = await routeOn(replica, name);
    const answer = await json<RouteView>(`${replica.url}/admin/routes/${name}`, 'PATCH', { version, reason: 'test', ...changes }, { ...ADMIN, 'x-understudy-actor': 'replicas-test' });
    expect({ status: answer.status, body: answer.status === 200 ? undefined : answer.text }).toEqual({ status: 200, body: undefined });
    return answer.body;
  };
  /** Polls both replicas until each serves `version`; returns when each first did (ms since epoch). */
  const seenAt = async (version: number, timeoutMs = 5_000, name = 'inventory.check') => {
    const seen: Partial<Record<'a' | 'b', number>> = {};
    await waitFor(
      async () => {
        const [onA, onB] = await Promise.all([routeOn(a, name), routeOn(b, name)]);
        const now = Date.now();
        if (onA.version >= version) seen.a ??= now;
        if (onB.version >= version) seen.b ??= now;
        return seen.a !== undefined && seen.b !== undefined;
      },
      { timeoutMs, intervalMs: 10, what: `both replicas on version ${version}` },
    );
    return seen as Record<'a' | 'b', number>;
  };

  beforeAll(async () => {
    world = await World.start({ inventory: true });
    redis = await RedisServer.start();
    monolithTap = await Tap.start(world.monolith.url);
    inventoryTap = await Tap.start(world.inventory!.url);
    const database = await world.database('gateway');
    await migrateGateway(database.url);
    databaseName = database.name;
    const direct = new URL(database.url);
    pgProxy = await TcpProxy.start(direct.hostname, Number(direct.port || 5432));
    const viaProxy = new URL(database.url);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(pgProxy.port);
    const common = {
      REDIS_URL: redis.url,
      MONOLITH_URL: monolithTap.url,
      INVENTORY_URL: inventoryTap.url,
      PRICING_URL: 'http://127.0.0.1:9',
      GATEWAY_REDIS_PREFIX: `test:${database.name}`,
      CONFIG_RELOAD_INTERVAL_MS: '5000',
    };
    [a, b] = await Promise.all([
      startApp('gateway', { ...common, DATABASE_URL: database.url, GATEWAY_REPLICA_ID: 'replica-a' }, '/health/ready'),
      startApp('gateway', { ...common, DATABASE_URL: viaProxy.toString(), GATEWAY_REPLICA_ID: 'replica-b' }, '/health/ready'),
    ]);
  });

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await pgProxy?.close();
    await redis?.stop();
    await monolithTap?.close();
    await inventoryTap?.close();
    await world?.close();
  });

  // seenAt polls with a deadline; how fast propagation is on a quiet machine is docs/performance.md's business.
  it('a change made on one replica is served by the other', async () => {
    const before = await routeOn(b);
    const changed = await patch(a, { mode: 'shadow', shadowPercent: 100 });
    expect(changed.version).toBe(before.version + 1);
    await seenAt(changed.version);
    expect(await routeOn(b)).toMatchObject({ mode: 'shadow', shadowPercent: 100, replica: 'replica-b' });
  });

  it('propagates the trace context and marks the shadow call', async () => {
    monolithTap.clear();
    inventoryTap.clear();
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const answer = await json(`${a.url}/v1/inventory/check`, 'POST', { variantId: world.variant().variantId, quantity: 1 }, { traceparent: `00-${traceId}-00f067aa0ba902b7-01` });
    expect(answer.status).toBe(200);
    const [shadow] = await waitFor(() => inventoryTap.to('/v1/check').length === 1 && inventoryTap.to('/v1/check'));
    const [primary] = monolithTap.to('/inventory/check');
    for (const exchange of [primary!, shadow!]) expect(exchange.headers['traceparent']).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    expect(shadow!.headers[SHADOW_HEADER]).toBe('1');
    expect(primary!.headers[SHADOW_HEADER]).toBeUndefined();
  });

  it("reports the whole fleet's figures from either replica: both replicas' requests, summed", async () => {
    type Report = { scope: string; replicas: Array<{ replica: string; samples: number }>; overall: { samples: number; counts: { match: number } } };
    const report = async (replica: AppProcess, scope = '') =>
      (await json<Report>(`${replica.url}/admin/routes/inventory.check/report${scope && `?scope=${scope}`}`, 'GET', undefined, ADMIN)).body;
    for (let i = 0; i < 10; i += 1) {
      const answer = await json(`${(i < 6 ? a : b).url}/v1/inventory/check`, 'POST', { variantId: world.variant().variantId, quantity: 1 });
      expect(answer.status).toBe(200);
    }
    // Each replica's own figures (the shadows are compared after the answers: wait for them).
    let own: Record<'a' | 'b', number> = { a: 0, b: 0 };
    await waitFor(async () => {
      own = { a: (await report(a, 'replica')).overall.samples, b: (await report(b, 'replica')).overall.samples };
      return own.a >= 6 && own.b >= 4;
    });
    // Either replica's fleet report sums both, once the other's figures are published (every second).
    for (const [asked, other] of [[a, 'replica-b'], [b, 'replica-a']] as const) {
      const fleet = await waitFor(async () => {
        const answer = await report(asked);
        return answer.overall.samples === own.a + own.b && answer;
      });
      expect(fleet.scope).toBe('fleet');
      expect(fleet.replicas.map((entry) => entry.replica).sort()).toEqual(['replica-a', 'replica-b']);
      expect(fleet.replicas.find((entry) => entry.replica === other)!.samples).toBe(other === 'replica-a' ? own.a : own.b);
    }
    expect((await report(a, 'replica')).replicas.map((entry) => entry.replica)).toEqual(['replica-a']);
    const bad = await json<{ error: { code: string } }>(`${a.url}/admin/routes/inventory.check/report?scope=everyone`, 'GET', undefined, ADMIN);
    expect([bad.status, bad.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
  });

  it('a mismatch spike makes the guards roll back once, and both replicas apply it within a second', async () => {
    await patch(a, {
      mode: 'shadow',
      shadowPercent: 100,
      guards: { promotion: { enabled: false }, rollback: { minSamples: 20, windowSeconds: 5, maxMismatchRate: 0.2, maxErrorRate: 1, maxP99Ms: 60_000 } },
    });
    const configured = await routeOn(a);
    await seenAt(configured.version);
    const variant = world.variant();
    // The module's stock diverges from the monolith's: a cart holds units in inventory only.
    const held = await json(`${world.inventory!.url}/v1/reservations`, 'POST', { cartToken: 'diverge', lines: [{ variantId: variant.variantId, quantity: 2 }] }, { 'idempotency-key': `diverge-${Date.now()}` });
    expect(held.status).toBe(201);

    let sent = 0;
    while ((await routeOn(a)).version === configured.version && (await routeOn(b)).version === configured.version) {
      expect(sent).toBeLessThan(400);
      const replica = sent % 2 === 0 ? a : b;
      const answer = await json<{ availableQuantity: number }>(`${replica.url}/v1/inventory/check`, 'POST', { variantId: variant.variantId, quantity: 1 });
      expect(answer.body.availableQuantity).toBe(variant.availableQuantity); // checkout still gets the monolith's answer
      sent += 1;
    }
    await seenAt(configured.version + 1);
    const audit = await json<{ entries: Array<{ at: string; actor: string; action: string; reason: string; fromStep: unknown; toStep: unknown; toVersion: number }> }>(
      `${a.url}/admin/audit?route=inventory.check&limit=5`,
      'GET',
      undefined,
      ADMIN,
    );
    const rollbacks = audit.body.entries.filter((entry) => entry.action === 'rollback');
    expect(rollbacks).toHaveLength(1);
    const [rollback] = rollbacks;
    expect(rollback).toMatchObject({
      actor: expect.stringMatching(/^guard:replica-[ab]$/),
      fromStep: { mode: 'shadow', percent: 100 },
      toStep: { mode: 'shadow', percent: 50 },
      toVersion: configured.version + 1,
      reason: expect.stringContaining('mismatch rate'),
    });
    for (const replica of [a, b]) expect(await routeOn(replica)).toMatchObject({ mode: 'shadow', shadowPercent: 50 });
  });

  it('takes a route configuration from PostgreSQL only: a message on the Redis channel is a hint, never the configuration', async () => {
    const before = await routeOn(b);
    const publisher = new Redis(redis.url);
    try {
      // Anyone who can publish on the channel: a "configuration" at version 999999 switching the route to the module alone.
      const forged = { ...before.config, mode: 'module-only', shadowPercent: 100, version: 999_999 };
      await publisher.publish(`test:${databaseName}:routes:changes`, JSON.stringify(forged));
    } finally {
      publisher.disconnect();
    }
    // A real change after it is served everywhere: the forged version neither switched the route nor made later changes look stale.
    const changed = await patch(a, { shadowPercent: 40 });
    await seenAt(changed.version);
    for (const replica of [a, b]) expect(await routeOn(replica)).toMatchObject({ version: changed.version, mode: before.mode, shadowPercent: 40, source: 'postgres' });
  });

  it('keeps serving its last-known routes through a PostgreSQL outage, and catches up once PostgreSQL answers again', async () => {
    await pgProxy.cut();
    let changed: RouteView;
    try {
      const ready = await json<{ info: Record<string, { degraded?: boolean }> }>(`${b.url}/health/ready`, 'GET');
      expect(ready.status).toBe(200);
      const answer = await json(`${b.url}/v1/inventory/check`, 'POST', { variantId: world.variant().variantId, quantity: 1 });
      expect(answer.status).toBe(200);
      // Made through A; B hears the Redis hint but cannot read the change, so it keeps serving what it has.
      changed = await patch(a, { shadowPercent: 25 });
      expect((await json(`${b.url}/v1/inventory/check`, 'POST', { variantId: world.variant().variantId, quantity: 1 })).status).toBe(200);
      // A change through B needs the database: refused cleanly, nothing half-done.
      const refused = await json<{ error: { code: string } }>(`${b.url}/admin/routes/inventory.check/freeze`, 'POST', {}, ADMIN);
      expect(refused.status).toBe(503);
      expect(refused.body.error.code).toBe('CONFIG_STORE_UNAVAILABLE');
    } finally {
      await pgProxy.restore();
    }
    // Back on PostgreSQL: the LISTEN reconnect or the periodic reload brings the change.
    await seenAt(changed.version, 20_000);
    expect(await routeOn(b)).toMatchObject({ shadowPercent: 25, source: 'postgres' });
  });

  it('and through a Redis outage, hearing changes over LISTEN/NOTIFY', async () => {
    // B's LISTEN connection comes back after the PostgreSQL outage above.
    await waitFor(async () => (await json(`${b.url}/admin/audit?limit=1`, 'GET', undefined, ADMIN)).status === 200, { what: 'replica B back on PostgreSQL' });
    await redis.stop();
    try {
      const answer = await json(`${a.url}/v1/inventory/check`, 'POST', { variantId: world.variant().variantId, quantity: 1 });
      expect(answer.status).toBe(200);
      expect((await json(`${a.url}/health/ready`, 'GET')).status).toBe(200);
      // Reports still answer: this replica's figures, saying why they are not the fleet's.
      const report = await json<{ scope: string; fleetUnavailable: string }>(`${a.url}/admin/routes/inventory.check/report`, 'GET', undefined, ADMIN);
      expect(report.status).toBe(200);
      expect(report.body).toMatchObject({ scope: 'replica', fleetUnavailable: expect.stringContaining("replica-a's alone") });
      await new Promise((resolve) => setTimeout(resolve, 1_500)); // B's listener has reconnected (1 s retry)
      const changed = await patch(a, { shadowPercent: 10 });
      await seenAt(changed.version);
      expect(await routeOn(b)).toMatchObject({ shadowPercent: 10, source: 'postgres' });
    } finally {
      await redis.start();
    }
  });
});
