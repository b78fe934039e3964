import { commonEnv, databaseEnv, kafkaEnv, kafkaTopicPrefixEnv, port, projectionEnv, intEnv } from '@understudy/config';
import { z } from 'zod';
import { PROJECTION_KAFKA_TOPICS } from './projection/events';

/** Every environment variable inventory reads; validated once at boot. */
export const configSchema = z.object({
  ...commonEnv,
  PORT: port(3002),
  ...databaseEnv,
  ...kafkaEnv,
  /** In front of each of PROJECTION_TOPICS: installations sharing one Kafka cluster (npm start's UNDERSTUDY_INSTANCE). */
  ...kafkaTopicPrefixEnv,
  /** Connections this process keeps to PostgreSQL (HTTP, consumer and sweeper share them). */
  DATABASE_POOL_SIZE: intEnv(2, 200, 10),

  /** Default topics: the webhook and reconciler topics it decodes (projection/events.ts, from the registry in libs/shopify). */
  ...projectionEnv({ groupId: 'inventory', topics: PROJECTION_KAFKA_TOPICS }),

  /** ttlSeconds when a reservation request gives none, and the longest one accepted. */
  RESERVATION_DEFAULT_TTL_SECONDS: intEnv(1, 86_400, 900),
  RESERVATION_MAX_TTL_SECONDS: intEnv(1, 86_400, 3_600),
  /**
   * A committed (sold) reservation keeps counting against stock until Shopify's
   * own inventory level newer than the sale arrives; past this it stops anyway.
   */
  COMMITTED_HOLD_MAX_SECONDS: intEnv(1, 7 * 86_400, 3_600),
  /**
   * Slack for the clocks when a commit's soldAt is checked: it may be this much
   * before the reservation was made, or after now, and still be taken as true.
   */
  COMMIT_CLOCK_SKEW_SECONDS: intEnv(0, 3_600, 60),
  /**
   * Group commit: reservation requests that arrive while a batch is in the database go
   * together in the next one. Most requests in one batch (one transaction holds its items'
   * locks while it decides them all); batches in flight at once (each holds one pool
   * connection, so keep it below DATABASE_POOL_SIZE); requests allowed to wait — past it a
   * request is answered 503 RESERVATIONS_OVERLOADED at once, never queued without bound.
   */
  RESERVATION_BATCH_MAX_SIZE: intEnv(1, 1_000, 100),
  RESERVATION_BATCH_CONCURRENCY: intEnv(1, 16, 2),
  RESERVATION_QUEUE_MAX: intEnv(1, 100_000, 10_000),
  /** How often expired reservations are swept (they stop counting at expiry regardless). */
  SWEEP_INTERVAL_MS: intEnv(50, 600_000, 1_000),
  /** How long finished reservations, processed webhook ids and idempotency records are kept. */
  RETENTION_HOURS: intEnv(1, 24 * 90, 48),
});

export type Config = z.infer<typeof configSchema>;
