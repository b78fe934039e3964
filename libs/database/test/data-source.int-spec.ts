import { createTestDatabase, type TestDatabase, waitFor } from '@understudy/testing';
import { Client } from 'pg';
import { connectDataSource, createDataSource } from '../src';

describe('connectDataSource on a real PostgreSQL', () => {
  let database: TestDatabase;
  let observer: Client;

  beforeAll(async () => {
    database = await createTestDatabase('data_source');
    observer = new Client({ connectionString: database.url });
    await observer.connect();
  });
  afterAll(async () => {
    await observer.end();
    await database.drop();
  });

  const connections = async (applicationName: string) =>
    Number((await observer.query('SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1', [applicationName])).rows[0].n);

  it('opens the whole pool up front and keeps idle connections open', async () => {
    const dataSource = createDataSource({ url: database.url, migrations: [], poolSize: 4, applicationName: 'pool-warm-test' });
    try {
      await connectDataSource(dataSource);
      expect(await connections('pool-warm-test')).toBe(4);
      // pg-pool closes idle clients only above `min`; a quiet pool must not shrink.
      const pool = (dataSource.driver as unknown as { master: { options: { min: number; max: number } } }).master;
      expect(pool.options.min).toBe(pool.options.max);
    } finally {
      await dataSource.destroy();
    }
    // destroy() returns once the sockets are closed; each backend leaves pg_stat_activity as it exits, a moment later.
    await waitFor(async () => (await connections('pool-warm-test')) === 0, { timeoutMs: 15_000, what: 'the closed pool to leave pg_stat_activity' });
  });

  it('is safe to call again once connected', async () => {
    const dataSource = createDataSource({ url: database.url, migrations: [], poolSize: 2, applicationName: 'pool-twice-test' });
    try {
      await connectDataSource(dataSource);
      await connectDataSource(dataSource);
      expect(await connections('pool-twice-test')).toBe(2);
      expect(await dataSource.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    } finally {
      await dataSource.destroy();
    }
  });

  it('rejects while PostgreSQL is unreachable, leaving the data source unconnected', async () => {
    const dataSource = createDataSource({ url: 'postgres://understudy:understudy@127.0.0.1:9/none', migrations: [] });
    await expect(connectDataSource(dataSource)).rejects.toThrow();
    expect(dataSource.isInitialized).toBe(false);
  });
});
