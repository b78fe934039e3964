import type { Pool } from 'pg';
import { DataSource, type EntitySchema, type MigrationInterface } from 'typeorm';

export interface DatabaseSettings {
  url: string;
  /** Migration classes, in order. Schema changes happen only through these (`synchronize` is off). */
  migrations: Array<new () => MigrationInterface>;
  entities?: Array<(new () => unknown) | EntitySchema>;
  /** Pool size per process. */
  poolSize?: number;
  applicationName?: string;
}

export function createDataSource({ url, migrations, entities = [], poolSize = 10, applicationName }: DatabaseSettings): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    migrations,
    entities,
    synchronize: false,
    migrationsRun: false,
    migrationsTransactionMode: 'each',
    logging: false,
    poolSize,
    applicationName,
    extra: {
      // Fail fast when PostgreSQL is unreachable instead of queueing behind the pool.
      connectionTimeoutMillis: 3_000,
      // Keep the whole pool open once connected (see connectDataSource): opening a connection
      // (TCP, backend fork, SCRAM) takes milliseconds, and a pool that shrank while quiet would
      // pay that inside requests at the start of every burst.
      min: poolSize,
      idleTimeoutMillis: 30_000,
    },
  });
}

/**
 * Connects the data source and opens its whole pool up front, so the first
 * requests (and the first burst after a quiet spell) never wait behind
 * connection handshakes. Opening the pool is best effort: a connection that
 * fails now is retried by the pool when a query needs it.
 */
export async function connectDataSource(dataSource: DataSource): Promise<void> {
  if (!dataSource.isInitialized) await dataSource.initialize();
  const pool = (dataSource.driver as unknown as { master: Pool }).master;
  const opened = await Promise.allSettled(Array.from({ length: pool.options.max }, () => pool.connect()));
  for (const result of opened) if (result.status === 'fulfilled') result.value.release();
}

/** Applies pending migrations; returns the names it ran. Safe to run concurrently from several replicas (TypeORM locks the migrations table per transaction). */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const ran = await dataSource.runMigrations({ transaction: 'each' });
  return ran.map((migration) => migration.name);
}

/**
 * The SQL TypeORM would need to make the database match the entities after
 * all migrations ran. Empty means entities and migrations agree; anything
 * else means an entity changed without a migration (CI fails on it).
 */
export async function pendingSchemaChanges(dataSource: DataSource): Promise<string[]> {
  const sql = await dataSource.driver.createSchemaBuilder().log();
  return sql.upQueries.map((query) => query.query);
}

export function postgresProbe(dataSource: DataSource, name = 'postgres') {
  return {
    name,
    async check(): Promise<void> {
      if (!dataSource.isInitialized) await connectDataSource(dataSource);
      await dataSource.query('SELECT 1');
    },
  };
}
