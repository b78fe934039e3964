import { Inject, Injectable } from '@nestjs/common';
import { type DataSource, DatabaseUnavailableError, inTransaction, poolOf } from '@understudy/database';
import { DATA_SOURCE } from '@understudy/platform';
import type { Pool, QueryConfig } from 'pg';

/** A statement; a `name` makes it a prepared statement, parsed and planned once per connection. */
export interface Statement {
  name?: string;
  text: string;
}

/** Runs one statement and returns its rows. */
export type Sql = <R>(statement: Statement | string, values?: unknown[]) => Promise<R[]>;

/**
 * Inventory's hot paths speak SQL straight to the pool the platform's
 * TypeORM DataSource owns: prepared statements, explicit transactions, and
 * no ORM bookkeeping per query. Schema changes still go through migrations.
 */
@Injectable()
export class Database {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  get isReady(): boolean {
    return this.dataSource.isInitialized;
  }

  readonly query: Sql = async <R>(statement: Statement | string, values?: unknown[]) => {
    const result = await this.pool().query(toQueryConfig(statement, values));
    return result.rows as R[];
  };

  /**
   * Runs `work` in one READ COMMITTED transaction (libs/database `inTransaction`). Commits when it
   * resolves — or rolls back anyway with `rollback: true` (a shadow request's dry run) — and rolls
   * back when it throws.
   */
  transaction<T>(work: (sql: Sql) => Promise<T>, options: { rollback?: boolean } = {}): Promise<T> {
    return inTransaction(this.pool(), (client) => work(async <R>(statement: Statement | string, values?: unknown[]) => (await client.query(toQueryConfig(statement, values))).rows as R[]), options);
  }

  private pool(): Pool {
    if (!this.dataSource.isInitialized) throw new DatabaseUnavailableError();
    return poolOf(this.dataSource);
  }
}

function toQueryConfig(statement: Statement | string, values: unknown[] = []): QueryConfig {
  if (typeof statement === 'string') return { text: statement, values };
  return statement.name ? { name: statement.name, text: statement.text, values } : { text: statement.text, values };
}
