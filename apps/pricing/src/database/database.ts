import { Inject, Injectable } from '@nestjs/common';
import { type DataSource, inTransaction, poolOf } from '@understudy/database';
import { ApiError, DATA_SOURCE } from '@understudy/platform';
import type { Pool } from 'pg';

/** Runs one statement and returns its rows; a `name` makes it a prepared statement (planned once per connection). */
export type Sql = <R>(statement: { name?: string; text: string }, values?: unknown[]) => Promise<R[]>;

/**
 * Pricing's SQL over the pool the platform's TypeORM DataSource owns (schema
 * changes go through migrations; the hot paths pay no ORM bookkeeping).
 */
@Injectable()
export class Database {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  get isReady(): boolean {
    return this.dataSource.isInitialized;
  }

  readonly query: Sql = async <R>(statement: { name?: string; text: string }, values: unknown[] = []) =>
    (await this.pool().query({ ...statement, values })).rows as R[];

  /** Runs `work` in one transaction (libs/database `inTransaction`): commits when it resolves, rolls back when it throws. */
  transaction<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
    return inTransaction(this.pool(), (client) => work(async <R>(statement: { name?: string; text: string }, values: unknown[] = []) => (await client.query({ ...statement, values })).rows as R[]));
  }

  private pool(): Pool {
    if (!this.dataSource.isInitialized) throw new ApiError(503, 'DATABASE_UNAVAILABLE', 'pricing storage is not connected yet; retry shortly');
    return poolOf(this.dataSource);
  }
}
