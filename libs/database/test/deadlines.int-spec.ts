import { createTestDatabase, type TestDatabase, waitFor } from '@understudy/testing';
import { connectDataSource, createDataSource, DEFAULT_DATABASE_TIMEOUTS } from '../src';

describe('session deadlines on a real PostgreSQL', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase('deadlines');
  });
  afterAll(async () => {
    await database.drop();
  });

  it('sets statement, lock and idle-in-transaction timeouts on every session, with defaults', async () => {
    const dataSource = createDataSource({ url: database.url, migrations: [], poolSize: 2 });
    try {
      await connectDataSource(dataSource);
      const [row] = await dataSource.query(
        `SELECT current_setting('statement_timeout') AS statement, current_setting('lock_timeout') AS lock,
                current_setting('idle_in_transaction_session_timeout') AS idle`,
      );
      expect(row).toEqual({
        statement: `${DEFAULT_DATABASE_TIMEOUTS.statementMs / 1000}s`,
        lock: `${DEFAULT_DATABASE_TIMEOUTS.lockMs / 1000}s`,
        idle: `${DEFAULT_DATABASE_TIMEOUTS.idleInTransactionMs / 1000}s`,
      });
    } finally {
      await dataSource.destroy();
    }
  });

  it('cancels a statement past its deadline (57014) and a lock wait past its own (55P03)', async () => {
    const dataSource = createDataSource({ url: database.url, migrations: [], poolSize: 3, timeouts: { statementMs: 200, lockMs: 100 } });
    try {
      await connectDataSource(dataSource);
      await expect(dataSource.query('SELECT pg_sleep(5)')).rejects.toMatchObject({ driverError: { code: '57014' } });

      await dataSource.query('CREATE TABLE locked (id int PRIMARY KEY)');
      await dataSource.query('INSERT INTO locked VALUES (1)');
      const holder = dataSource.createQueryRunner();
      await holder.connect();
      await holder.startTransaction();
      try {
        await holder.query('SELECT * FROM locked WHERE id = 1 FOR UPDATE');
        await expect(dataSource.query('UPDATE locked SET id = 2 WHERE id = 1')).rejects.toMatchObject({ driverError: { code: '55P03' } });
      } finally {
        await holder.rollbackTransaction();
        await holder.release();
      }
    } finally {
      await dataSource.destroy();
    }
  });

  it('ends a session left idle inside a transaction, releasing what it held', async () => {
    const dataSource = createDataSource({ url: database.url, migrations: [], poolSize: 2, timeouts: { idleInTransactionMs: 200 } });
    try {
      await connectDataSource(dataSource);
      const idle = dataSource.createQueryRunner();
      await idle.connect();
      await idle.startTransaction();
      const [{ pid }] = (await idle.query('SELECT pg_backend_pid() AS pid')) as [{ pid: number }];
      // The server ends the session by itself: its backend leaves pg_stat_activity (seen from another session).
      await waitFor(
        async () => {
          const rows = (await dataSource.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid])) as unknown[];
          return rows.length === 0;
        },
        { timeoutMs: 20_000, what: 'the idle-in-transaction session to be ended by the server' },
      );
      await idle.release().catch(() => undefined);
    } finally {
      await dataSource.destroy();
    }
  });
});
