import { RedisServer, waitFor } from '@understudy/testing';
import Redis from 'ioredis';
import pino from 'pino';
import { defaultRoutes } from '../src/routes/checkout-routes';
import { LiveRoutes } from '../src/routes/live-routes';
import type { Observation } from '../src/stats/observation';
import { FleetStats } from '../src/persistence/fleet-stats';

const ROUTE = 'inventory.check';
const match: Observation = { outcome: 'match', module: { side: 'shadow', failed: false }, primaryMs: 3, shadowMs: 4 };

/** Two replicas' FleetStats against a real (private, stoppable) Redis, with a clock the test moves. */
describe('FleetStats (Redis)', () => {
  let server: RedisServer;
  let redis: Redis;
  let t = 1_700_000_000_000;
  const now = () => t;
  const prefix = `test:fleet:${Date.now()}`;
  const key = `${prefix}:stats:${ROUTE}`;

  const replica = (name: string) => {
    const routes = new LiveRoutes(defaultRoutes(), { now });
    const fleet = new FleetStats({ redis, prefix, replica: name, routes, logger: pino({ level: 'silent' }), intervalMs: 1_000, now });
    return { routes, fleet, record: (n: number) => Array.from({ length: n }, () => routes.get(ROUTE)!.stats.record(match)) };
  };

  beforeAll(async () => {
    server = await RedisServer.start();
    // As the services connect (libs/platform): no offline queue, so a dead Redis fails fast.
    redis = new Redis(server.url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy: (attempt) => Math.min(attempt * 100, 500) });
    redis.on('error', () => undefined);
    await waitFor(async () => (await redis.ping()) === 'PONG', { what: 'redis' });
  });

  afterAll(async () => {
    redis?.disconnect();
    await server?.stop();
  });

  it("reads the other replicas' figures, not its own, and leaves out what it cannot read", async () => {
    const a = replica('a');
    const b = replica('b');
    a.record(2);
    b.record(3);
    await Promise.all([a.fleet.publish(), b.fleet.publish()]);
    await redis.hset(key, 'x', '{"replica":"x","stats":"from other code"}');

    const seenByA = await a.fleet.others(ROUTE);
    expect(seenByA.fresh.map((entry) => [entry.replica, entry.stats.overall.counts.match])).toEqual([['b', 3]]);
    expect(seenByA.leftOut).toEqual([{ replica: 'x', reason: 'unreadable figures' }]);
    expect((await b.fleet.others(ROUTE)).fresh.map((entry) => entry.replica)).toEqual(['a']);
    expect(await redis.pttl(key)).toBeGreaterThan(0); // the hash goes when nobody publishes any more
    await redis.hdel(key, 'x');
  });

  it('drops figures a replica stopped publishing, and a stopping replica removes its own', async () => {
    const a = replica('a');
    const b = replica('b');
    const c = replica('c');
    await Promise.all([a.fleet.publish(), b.fleet.publish(), c.fleet.publish()]);
    await c.fleet.stop();
    expect(await redis.hexists(key, 'c')).toBe(0);

    t += 4_000;
    await a.fleet.publish(); // b went quiet 4 s ago: still counted
    expect((await a.fleet.others(ROUTE)).fresh.map((entry) => entry.replica)).toEqual(['b']);
    t += 2_000;
    await a.fleet.publish(); // 6 s: b is gone (killed without stopping), and its entry is removed
    expect((await a.fleet.others(ROUTE)).fresh).toEqual([]);
    await waitFor(async () => (await redis.hexists(key, 'b')) === 0, { what: "b's stale entry removed" });
  });

  it('gives up on a Redis that does not answer instead of holding the report', async () => {
    const a = replica('a');
    await redis.ping();
    server.pause();
    try {
      await expect(a.fleet.others(ROUTE)).rejects.toThrow('Redis did not answer within 500 ms');
    } finally {
      server.resume();
    }
  });

  it('fails without Redis, and publishing then is a no-op, not an error', async () => {
    const a = replica('a');
    await server.stop();
    try {
      await expect(a.fleet.others(ROUTE)).rejects.toThrow();
      await expect(a.fleet.publish()).resolves.toBeUndefined();
    } finally {
      await server.start();
    }
  });
});
