import { commonEnv, databaseEnv, kafkaEnv, kafkaTopicPrefixEnv, port, projectionEnv, intEnv } from '@understudy/config';
import { CURRENCIES } from '@understudy/contracts';
import { kafkaTopicsFor } from '@understudy/shopify';
import { z } from 'zod';

/** Every environment variable pricing reads; validated once at boot. */
export const configSchema = z.object({
  ...commonEnv,
  PORT: port(3003),
  ...databaseEnv,
  ...kafkaEnv,
  /** In front of each of PROJECTION_TOPICS: installations sharing one Kafka cluster (npm start's UNDERSTUDY_INSTANCE). */
  ...kafkaTopicPrefixEnv,
  /** Connections this process keeps to PostgreSQL (quotes, projection and export share them). */
  DATABASE_POOL_SIZE: intEnv(2, 200, 10),
  /** The shop's currency: a buyer without a company location pays the variant's own price in it. */
  SHOP_CURRENCY: z.enum(CURRENCIES).default('USD'),

  /** Base prices from `products/update` (and the reconciler's `reconcile/products` and `reconcile/variant_prices`), B2B facts from `reconcile/pricing`. */
  ...projectionEnv({ groupId: 'pricing', topics: kafkaTopicsFor(['products/update', 'reconcile/products', 'reconcile/variant_prices', 'reconcile/pricing']) }),

  /** Readiness reports `degraded` (still ready) once the newest B2B snapshot is older than this. */
  SNAPSHOT_MAX_AGE_SECONDS: intEnv(1, 30 * 86_400, 3_600),
  /** How often the snapshot age is read from the projection (metric and readiness). */
  SNAPSHOT_AGE_REFRESH_MS: intEnv(100, 600_000, 5_000),

  /** The read model catches up on every change-log notification, and at least this often (a lost notification's safety net). */
  READ_MODEL_SYNC_MS: intEnv(50, 600_000, 1_000),
  /** Changes older than this are pruned from the change log; a replica whose mark falls behind the pruned part reloads in full. */
  READ_MODEL_CHANGE_RETENTION_SECONDS: intEnv(1, 30 * 86_400, 3_600),
  /** Readiness reports `degraded` (still ready) once the read model has not caught up for this long. */
  READ_MODEL_MAX_LAG_SECONDS: intEnv(1, 86_400, 30),
});

export type Config = z.infer<typeof configSchema>;
