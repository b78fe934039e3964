import { DataSource, type EntitySchema, type MigrationInterface } from 'typeorm';
import { poolOf } from './transaction';

export interface DatabaseSettings {
  url: string;
  /** Migration classes, in order. Schema changes happen only through these (`synchronize` is off). */
  migrations: Array<new () => MigrationInterface>;
  entities?: Array<(new () => unknown) | EntitySchema>;
  /** Pool size per process. */
  poolSize?: number;
  applicationName?: string;
  /** Server-side deadlines for every session of the pool; see DEFAULT_DATABASE_TIMEOUTS. */
  timeouts?: Partial<DatabaseTimeouts>;
}

/** Milliseconds; 0 turns one off. */
export interface DatabaseTimeouts {
  /** `statement_timeout`: the server cancels a longer statement (SQLSTATE 57014). */
  statementMs: number;
  /** `lock_timeout`: a statement waiting longer for a lock fails (SQLSTATE 55P03). */
  lockMs: number;
  /** `idle_in_transaction_session_timeout`: a session idle in a transaction is ended, so it cannot hold locks forever. */
  idleInTransactionMs: number;
}

export const DEFAULT_DATABASE_TIMEOUTS: DatabaseTimeouts = { statementMs: 10_000, lockMs: 5_000, idleInTransactionMs: 30_000 };

/**
 * How much longer than `statement_timeout` the client waits for an answer
 * before giving up on its own: the server's cancel comes first; this only
 * fires when the server (or the network to it) hangs and cannot cancel anything.
 */
const CLIENT_READ_MARGIN_MS = 5_000;

/** The pg connection options that carry the timeouts. */
export function sessionTimeouts(timeouts: Partial<DatabaseTimeouts> = {}) {
  const { statementMs, lockMs, idleInTransactionMs } = { ...DEFAULT_DATABASE_TIMEOUTS, ...timeouts };
  return {
    statement_timeout: statementMs,
    lock_timeout: lockMs,
    idle_in_transaction_session_timeout: idleInTransactionMs,
    ...(statementMs > 0 ? { query_timeout: statementMs + CLIENT_READ_MARGIN_MS } : {}),
  };
}

export function createDataSource({ url, migrations, entities = [], poolSize = 10, applicationName, timeouts }: DatabaseSettings): DataSource {
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
      ...sessionTimeouts(timeouts),
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
  const pool = poolOf(dataSource);
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
