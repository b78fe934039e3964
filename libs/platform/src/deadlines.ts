import type { ServiceDependencies } from './service.module';

/** The deadline settings of the shared env pieces (`redisEnv`, …) an app's config may carry. */
export interface DeadlineConfig {
  REDIS_COMMAND_TIMEOUT_MS?: number;
}

/** Used when an app's config does not carry the variable (the env schemas give the same defaults). */
export const DEFAULT_DEADLINES = {
  redisCommandTimeoutMs: 500,
  redisConnectTimeoutMs: 2_000,
} as const;

/**
 * Every client the platform builds gets a deadline: the values come from the
 * app's validated config (every app spreads the shared env pieces), so no app
 * can forget one. Settings an app gives explicitly win.
 */
export function withDeadlines(dependencies: ServiceDependencies, config: DeadlineConfig): ServiceDependencies {
  const result: ServiceDependencies = { ...dependencies };
  if (dependencies.redis) {
    result.redis = {
      commandTimeoutMs: config.REDIS_COMMAND_TIMEOUT_MS ?? DEFAULT_DEADLINES.redisCommandTimeoutMs,
      connectTimeoutMs: DEFAULT_DEADLINES.redisConnectTimeoutMs,
      ...dependencies.redis,
    };
  }
  return result;
}
