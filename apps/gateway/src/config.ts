import { hostname } from 'node:os';
import { commaList, commonEnv, databaseEnv, httpUrl, port, redisEnv, intEnv } from '@understudy/config';
import { z } from 'zod';


/** Every environment variable gateway reads; validated once at boot. */
export const configSchema = z.object({
  ...commonEnv,
  PORT: port(3000),
  ...databaseEnv,
  ...redisEnv,
  MONOLITH_URL: httpUrl,
  INVENTORY_URL: httpUrl,
  PRICING_URL: httpUrl,
  /** Bearer token of the admin API. */
  ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters'),
  /** The monolith's cart-token secrets, newest first: the `legacy-cart-token` migration verifies with them. */
  LEGACY_CART_TOKEN_SECRETS: commaList.refine((secrets) => secrets.every((s) => s.length >= 16), { message: 'each secret needs at least 16 characters' }),
  /** Names this replica in the audit log and reports; default host name and pid. */
  GATEWAY_REPLICA_ID: z.string().min(1).max(100).default(`${hostname()}-${process.pid}`),
  /** Namespace of the route snapshot and change channel in Redis; default `understudy:gateway:<database name>`, so gateways on different databases never mix. */
  GATEWAY_REDIS_PREFIX: z.string().min(1).max(200).optional(),

  /** Keep-alive connections per upstream origin for the calls that answer clients (primary and fallback). */
  UPSTREAM_CONNECTIONS: intEnv(1, 4096, 128),
  /** Keep-alive connections per upstream origin for shadow and noise-detection calls: a pool of their own, so shadows never take a connection a client's answer waits for. */
  SHADOW_UPSTREAM_CONNECTIONS: intEnv(1, 4096, 128),
  /** Largest primary answer relayed (502 above). */
  PRIMARY_MAX_BODY_BYTES: intEnv(1024, 64 * 1024 * 1024, 5 * 1024 * 1024),
  /** Shadow calls (and noise-detection calls) in flight at once per replica; past it they are skipped and counted. Must stay below SHADOW_UPSTREAM_CONNECTIONS. */
  SHADOW_MAX_CONCURRENCY: intEnv(0, 100_000, 96),
  /** Body bytes kept per side for comparison; larger answers are not compared (the shadow is skipped or the outcome is `error`). */
  SHADOW_MAX_BODY_BYTES: intEnv(1024, 64 * 1024 * 1024, 256 * 1024),

  /**
   * Keyed writes (docs/gateway.md, "Idempotency"): how long the gateway keeps waiting for an upstream's answer to a write
   * after the route's primary timeout told the client it is still being resolved. Past it the outcome is `unknown` and
   * the write is never sent again under that key.
   */
  IDEMPOTENCY_RESOLVE_MS: intEnv(1_000, 600_000, 30_000),
  /** Deadline of each read or write of the idempotency records in PostgreSQL (a claim past it answers 503, nothing sent). */
  IDEMPOTENCY_STORE_TIMEOUT_MS: intEnv(50, 60_000, 2_000),
  /** How long a key's stored answer is replayed (then the key may be used afresh). */
  IDEMPOTENCY_RETENTION_HOURS: intEnv(1, 24 * 30, 24),

  /** Circuit breaker per route and upstream (opossum). */
  BREAKER_ERROR_PERCENT: intEnv(1, 100, 50),
  BREAKER_VOLUME_THRESHOLD: intEnv(1, 100_000, 10),
  BREAKER_RESET_MS: intEnv(100, 600_000, 5_000),
  BREAKER_WINDOW_MS: intEnv(1_000, 600_000, 10_000),

  /** How often the guards look at every route. */
  GUARD_INTERVAL_MS: intEnv(50, 60_000, 250),
  /** How often each replica publishes its route stats to Redis, where reports sum every replica's. */
  FLEET_STATS_INTERVAL_MS: intEnv(100, 60_000, 1_000),
  /** Full reload of the route table from PostgreSQL (the safety net under LISTEN/NOTIFY and Redis pub/sub). */
  CONFIG_RELOAD_INTERVAL_MS: intEnv(200, 600_000, 5_000),
  /** Mismatch examples written to PostgreSQL, per route and replica. */
  DIFF_SAMPLES_PER_SECOND: z.coerce.number().min(0).max(10_000).default(5),
  DIFF_RETENTION_HOURS: intEnv(1, 24 * 365, 72),
  /** The reconciler's API, read by the console's Shopify-sync panel; unset, the panel says so. */
  RECONCILER_URL: httpUrl.optional(),
  /** How often the console's match-rate history samples every route (15 minutes are kept). */
  CONSOLE_HISTORY_INTERVAL_MS: intEnv(100, 60_000, 5_000),
  /** The console's built files; default the build's place beside the gateway (apps/gateway/console-web/dist). */
  CONSOLE_ASSETS_DIR: z.string().min(1).optional(),
}).superRefine((config, context) => {
  // A shadow must never wait in the pool's queue (its deadline would run out there), nor leave no connection free.
  if (config.SHADOW_MAX_CONCURRENCY >= config.SHADOW_UPSTREAM_CONNECTIONS) {
    context.addIssue({
      code: 'custom',
      path: ['SHADOW_MAX_CONCURRENCY'],
      message: `must be below SHADOW_UPSTREAM_CONNECTIONS (${config.SHADOW_UPSTREAM_CONNECTIONS}): ${config.SHADOW_MAX_CONCURRENCY} shadow calls in flight could take every pooled shadow connection`,
    });
  }
});

export type Config = z.infer<typeof configSchema>;

/** The namespace of this deployment's Redis keys: GATEWAY_REDIS_PREFIX, else one per database, so gateways on different databases never mix. */
export function redisPrefix(config: Pick<Config, 'GATEWAY_REDIS_PREFIX' | 'DATABASE_URL'>): string {
  if (config.GATEWAY_REDIS_PREFIX) return config.GATEWAY_REDIS_PREFIX;
  const database = decodeURIComponent(new URL(config.DATABASE_URL).pathname.replace(/^\//, '')) || 'default';
  return `understudy:gateway:${database}`;
}
