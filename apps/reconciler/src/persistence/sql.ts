import { inTransaction } from '@understudy/database';
import type { Pool } from 'pg';

/** The SQL the reconciler's stores need: a query, and a transaction of queries. */
export type Query = <R = Record<string, unknown>>(text: string, values?: unknown[]) => Promise<R[]>;

export interface SqlRunner {
  query: Query;
  transaction<T>(work: (query: Query) => Promise<T>): Promise<T>;
}

/**
 * Plain SQL on the pool of the platform's TypeORM DataSource (the tables are
 * the migrations'; there are no entities), transactions through libs/database
 * `inTransaction`. `pool` is read at each call: the data source connects in the
 * background after start-up.
 */
export function sqlRunner(pool: () => Pool): SqlRunner {
  return {
    query: async <R>(text: string, values?: unknown[]) => (await pool().query(text, values)).rows as R[],
    transaction: <T>(work: (query: Query) => Promise<T>): Promise<T> =>
      inTransaction(pool(), (client) => work(async <R>(text: string, values?: unknown[]) => (await client.query(text, values)).rows as R[])),
  };
}
