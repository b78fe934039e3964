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
      idleTimeoutMillis: 30_000,
    },
  });
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
      if (!dataSource.isInitialized) await dataSource.initialize();
      await dataSource.query('SELECT 1');
    },
  };
}
