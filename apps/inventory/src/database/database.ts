import { Inject, Injectable } from '@nestjs/common';
import { type DataSource, DatabaseUnavailableError } from '@understudy/database';
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
   * Runs `work` in one READ COMMITTED transaction. Commits when it resolves —
   * or rolls back anyway with `rollback: true` (a shadow request's dry run) —
   * and rolls back when it throws.
   */
  async transaction<T>(work: (sql: Sql) => Promise<T>, { rollback = false }: { rollback?: boolean } = {}): Promise<T> {
    const client = await this.pool().connect();
    let broken: Error | undefined;
    // A checked-out client has no error listener of the pool's: if PostgreSQL drops the connection
    // mid-transaction (a crash, a restart), pg emits 'error' on it, and unheard that kills the process.
    // The query in flight rejects as well; the client goes back as broken.
    const onError = (error: Error) => (broken = error);
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      const sql: Sql = async <R>(statement: Statement | string, values?: unknown[]) =>
        (await client.query(toQueryConfig(statement, values))).rows as R[];
      const result = await work(sql);
      await client.query(rollback ? 'ROLLBACK' : 'COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: unknown) => {
        // A connection that cannot even roll back goes back to the pool as broken (it is discarded).
        broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
      });
      throw error;
    } finally {
      client.off('error', onError);
      client.release(broken);
    }
  }

  private pool(): Pool {
    if (!this.dataSource.isInitialized) throw new DatabaseUnavailableError();
    return (this.dataSource.driver as unknown as { master: Pool }).master;
  }
}

function toQueryConfig(statement: Statement | string, values: unknown[] = []): QueryConfig {
  if (typeof statement === 'string') return { text: statement, values };
  return statement.name ? { name: statement.name, text: statement.text, values } : { text: statement.text, values };
}
