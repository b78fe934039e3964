import { createDataSource, type DataSource } from '@understudy/database';
import { createTestDatabase, RedisServer, type TestDatabase } from '@understudy/testing';
import Redis from 'ioredis';
import { type ClaimResult, DedupStore, dedupTableSql } from '../src';

describe('DedupStore on real PostgreSQL and Redis', () => {
  let database: TestDatabase;
  let redisServer: RedisServer;
  let redis: Redis;
  const dataSources: DataSource[] = [];

  async function openDataSource(): Promise<DataSource> {
    const dataSource = createDataSource({ url: database.url, migrations: [], poolSize: 5 });
    await dataSource.initialize();
    dataSources.push(dataSource);
    return dataSource;
  }

  function store(dataSource: DataSource, overrides: Partial<ConstructorParameters<typeof DedupStore>[0]> = {}) {
    return new DedupStore({
      dataSource,
      redis,
      table: 'dedup',
      redisPrefix: 'dedup:test:',
      doneTtlSeconds: 3600,
      staleClaimSeconds: 30,
      ...overrides,
    });
  }

  beforeAll(async () => {
    database = await createTestDatabase('dedup');
    redisServer = await RedisServer.start();
    redis = new Redis(redisServer.url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, retryStrategy: () => 100 });
    redis.on('error', () => undefined);
    const setup = await openDataSource();
    for (const sql of dedupTableSql('dedup')) await setup.query(sql);
  });

  afterAll(async () => {
    redis.disconnect();
    await redisServer.stop();
    for (const dataSource of dataSources) await dataSource.destroy();
    await database.drop();
  });

  it('lets exactly one of many concurrent claims through, across two "processes"', async () => {
    const [a, b] = [store(await openDataSource()), store(await openDataSource())];
    const ids = Array.from({ length: 200 }, (_, i) => `wh-${i}`);
    // Every id is claimed 3 times through each store, all at once.
    const attempts = ids.flatMap((id) => [a, b, a, b, a, b].map((s) => s.claim(id).then((result) => ({ id, result }))));
    const results = await Promise.all(attempts);
    for (const id of ids) {
      const forId = results.filter((r) => r.id === id).map((r) => r.result);
      expect(forId.filter((r) => r === 'claimed')).toHaveLength(1);
      expect(forId.filter((r) => r !== 'claimed').every((r) => r === 'in_progress')).toBe(true);
    }
  });

  it('answers duplicate after completion — from Redis, and from PostgreSQL when Redis was flushed or is down', async () => {
    const s = store(await openDataSource());
    expect(await s.claim('done-1')).toBe('claimed');
    await s.complete('done-1');
    expect(await redis.exists('dedup:test:done-1')).toBe(1);
    expect(await s.claim('done-1')).toBe('duplicate');

    await redis.flushall();
    expect(await s.claim('done-1')).toBe('duplicate');

    await redisServer.stop();
    const results: ClaimResult[] = [await s.claim('done-1'), await s.claim('new-while-redis-down')];
    expect(results).toEqual(['duplicate', 'claimed']);
    await s.complete('new-while-redis-down');
    expect(await s.claim('new-while-redis-down')).toBe('duplicate');
    await redisServer.start();
  });

  it('lets a released claim, or one abandoned past staleClaimSeconds, be claimed again', async () => {
    const dataSource = await openDataSource();
    const s = store(dataSource, { staleClaimSeconds: 1 });
    expect(await s.claim('released')).toBe('claimed');
    await s.release('released');
    expect(await s.claim('released')).toBe('claimed');

    expect(await s.claim('abandoned')).toBe('claimed');
    expect(await s.claim('abandoned')).toBe('in_progress');
    await dataSource.query(`UPDATE dedup SET claimed_at = now() - interval '5 seconds' WHERE id = 'abandoned'`);
    expect(await s.claim('abandoned')).toBe('claimed');
  });

  it("completes a claim inside the caller's transaction: done with its commit, still claimed after its rollback", async () => {
    const dataSource = await openDataSource();
    const s = store(dataSource);
    expect(await s.claim('in-tx-rolled-back')).toBe('claimed');
    await expect(
      dataSource.transaction(async (manager) => {
        await s.completeWithin(manager, 'in-tx-rolled-back');
        throw new Error('the caller\'s own write failed');
      }),
    ).rejects.toThrow('own write failed');
    expect(await s.claim('in-tx-rolled-back')).toBe('in_progress');

    expect(await s.claim('in-tx-committed')).toBe('claimed');
    await dataSource.transaction((manager) => s.completeWithin(manager, 'in-tx-committed'));
    expect(await s.claim('in-tx-committed')).toBe('duplicate');
  });
});
