import { createTestDatabase, type TestDatabase, waitFor } from '@understudy/testing';
import { Client, Pool } from 'pg';
import { inTransaction } from '../src';

describe('inTransaction on a real PostgreSQL', () => {
  let database: TestDatabase;
  let pool: Pool;
  let observer: Client;

  beforeAll(async () => {
    database = await createTestDatabase('transaction');
    observer = new Client({ connectionString: database.url });
    await observer.connect();
    await observer.query('CREATE TABLE notes (body text NOT NULL)');
    pool = new Pool({ connectionString: database.url, max: 1 });
  });
  afterAll(async () => {
    await pool?.end();
    await observer?.end();
    await database?.drop();
  });
  beforeEach(() => observer.query('TRUNCATE notes'));

  const notes = async () => (await observer.query<{ body: string }>('SELECT body FROM notes ORDER BY body')).rows.map((row) => row.body);

  it('commits what the work wrote when it resolves, and returns its result', async () => {
    const result = await inTransaction(pool, async (client) => {
      await client.query("INSERT INTO notes VALUES ('a'), ('b')");
      return 'done';
    });
    expect(result).toBe('done');
    expect(await notes()).toEqual(['a', 'b']);
  });

  it('rolls back and rethrows when the work throws', async () => {
    const failure = new Error('the work failed');
    await expect(
      inTransaction(pool, async (client) => {
        await client.query("INSERT INTO notes VALUES ('a')");
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await notes()).toEqual([]);
  });

  it('rolls back anyway with rollback: true, returning the result', async () => {
    const seen = await inTransaction(
      pool,
      async (client) => {
        await client.query("INSERT INTO notes VALUES ('dry')");
        return (await client.query<{ n: string }>('SELECT count(*) AS n FROM notes')).rows[0]!.n;
      },
      { rollback: true },
    );
    expect(seen).toBe('1');
    expect(await notes()).toEqual([]);
  });

  it('discards a connection PostgreSQL dropped mid-transaction, without an unheard error, and the next transaction gets a fresh one', async () => {
    let droppedPid: number | undefined;
    await expect(
      inTransaction(pool, async (client) => {
        droppedPid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
        await observer.query('SELECT pg_terminate_backend($1)', [droppedPid]);
        // Idle in its transaction when the server goes: pg reports it as an 'error' event on the checked-out client.
        await waitFor(async () => (await observer.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [droppedPid])).rowCount === 0, {
          timeoutMs: 10_000,
          what: 'the terminated backend to exit',
        });
        await client.query("INSERT INTO notes VALUES ('lost')");
      }),
    ).rejects.toThrow();
    expect(pool.totalCount).toBe(0);

    const pid = await inTransaction(pool, async (client) => (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid);
    expect(pid).not.toBe(droppedPid);
    expect(await notes()).toEqual([]);
  });
});
