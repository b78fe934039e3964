import type { Pool, PoolClient } from 'pg';
import type { DataSource } from 'typeorm';

/** The pg pool under a TypeORM DataSource: the services' plain SQL runs on it, beside the migrations. */
export function poolOf(dataSource: DataSource): Pool {
  return (dataSource.driver as unknown as { master: Pool }).master;
}

/**
 * Runs `work` on one connection of `pool` in one READ COMMITTED transaction: commits when it
 * resolves — or rolls back anyway with `rollback: true` (a dry run) — and rolls back when it throws.
 *
 * The connection goes back to the pool as broken (the pool discards it) when it could not roll
 * back, or when PostgreSQL dropped it mid-transaction (a crash, a restart): pg emits 'error' on a
 * checked-out client then, which has no listener of the pool's and, unheard, kills the process; the
 * query in flight rejects as well.
 */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>, { rollback = false }: { rollback?: boolean } = {}): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (error: Error) => (broken = error);
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query(rollback ? 'ROLLBACK' : 'COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: unknown) => {
      broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    });
    throw error;
  } finally {
    client.off('error', onError);
    client.release(broken);
  }
}
