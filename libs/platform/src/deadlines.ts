import type { ServiceDependencies } from './service.module';

/** The deadline settings of the shared env pieces (`commonEnv`, `databaseEnv`, `redisEnv`) an app's config carries. */
export interface DeadlineConfig {
  HTTP_REQUEST_TIMEOUT_MS?: number;
  HTTP_CONNECTION_TIMEOUT_MS?: number;
  DATABASE_STATEMENT_TIMEOUT_MS?: number;
  DATABASE_LOCK_TIMEOUT_MS?: number;
  DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS?: number;
  REDIS_COMMAND_TIMEOUT_MS?: number;
}

/** Used when an app's config does not carry the variable (the env schemas give the same defaults). */
export const DEFAULT_DEADLINES = {
  httpRequestTimeoutMs: 60_000,
  httpConnectionTimeoutMs: 120_000,
  redisCommandTimeoutMs: 500,
  redisConnectTimeoutMs: 2_000,
} as const;

/**
 * Every client the platform builds gets a deadline: the values come from the
 * app's validated config (every app spreads the shared env pieces), so no app
 * can forget one. Settings an app gives explicitly win. PostgreSQL's
 * defaults, when the config has none, are libs/database's.
 */
export function withDeadlines(dependencies: ServiceDependencies, config: DeadlineConfig): ServiceDependencies {
  const result: ServiceDependencies = { ...dependencies };
  if (dependencies.postgres) {
    result.postgres = {
      ...dependencies.postgres,
      timeouts: {
        ...definedOnly({
          statementMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
          lockMs: config.DATABASE_LOCK_TIMEOUT_MS,
          idleInTransactionMs: config.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS,
        }),
        ...dependencies.postgres.timeouts,
      },
    };
  }
  if (dependencies.redis) {
    result.redis = {
      commandTimeoutMs: config.REDIS_COMMAND_TIMEOUT_MS ?? DEFAULT_DEADLINES.redisCommandTimeoutMs,
      connectTimeoutMs: DEFAULT_DEADLINES.redisConnectTimeoutMs,
      ...dependencies.redis,
    };
  }
  return result;
}

/** Fastify's server timeouts. */
export function httpTimeouts(config: DeadlineConfig): { requestTimeout: number; connectionTimeout: number } {
  return {
    requestTimeout: config.HTTP_REQUEST_TIMEOUT_MS ?? DEFAULT_DEADLINES.httpRequestTimeoutMs,
    connectionTimeout: config.HTTP_CONNECTION_TIMEOUT_MS ?? DEFAULT_DEADLINES.httpConnectionTimeoutMs,
  };
}

function definedOnly<T extends Record<string, number | undefined>>(values: T): Partial<Record<keyof T, number>> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<Record<keyof T, number>>;
}
