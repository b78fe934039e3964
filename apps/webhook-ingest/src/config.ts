import { commaList, commonEnv, databaseEnv, httpUrl, kafkaEnv, kafkaTopicPrefixEnv, port, redisEnv, intEnv } from '@understudy/config';
import { DEFAULT_SHOPIFY_API_VERSION, shopifyApiVersionSchema } from '@understudy/contracts';
import { isWebhookTopic, WEBHOOK_TOPIC_NAMES, type WebhookTopic } from '@understudy/shopify';
import { z } from 'zod';

/** Every environment variable webhook-ingest reads; validated once at boot. */
export const configSchema = z.object({
  ...commonEnv,
  PORT: port(3001),
  ...databaseEnv,
  ...redisEnv,
  ...kafkaEnv,
  ...kafkaTopicPrefixEnv,
  /** App secrets that sign webhooks, newest first; during a rotation both are listed. */
  SHOPIFY_WEBHOOK_SECRETS: commaList,
  /** Shop domains this deployment accepts webhooks from (comma-separated); others get 401. */
  SHOPIFY_SHOP: commaList,
  /** Largest webhook body accepted; Shopify's largest payloads (orders, products with many variants) stay well below. */
  WEBHOOK_MAX_BODY_BYTES: intEnv(1_024, 50 * 1024 * 1024, 5 * 1024 * 1024),
  /** How long a processed webhook id is remembered in Redis: longer than Shopify's 4-hour retry window. */
  WEBHOOK_DEDUP_TTL_SECONDS: z.coerce.number().int().min(4 * 3600).default(48 * 3600),
  /**
   * Oldest delivery accepted, by its X-Shopify-Triggered-At and its signed payload's updated_at:
   * Shopify retries for 4 hours with the original ones, so anything much older is a replay.
   */
  WEBHOOK_MAX_AGE_SECONDS: intEnv(60, 7 * 86_400, 6 * 3600),
  /** How often `webhook_dedup` rows past the max age (plus skew) are deleted, in batches of 5,000. */
  WEBHOOK_DEDUP_PRUNE_INTERVAL_MS: intEnv(1_000, 86_400_000, 60_000),
  /** How far in the future a triggered-at may be (clock skew) and still count as now. */
  WEBHOOK_MAX_CLOCK_SKEW_SECONDS: intEnv(0, 3_600, 300),
  /** A delivery claimed but never finished (crashed owner) may be retried after this. */
  WEBHOOK_STALE_CLAIM_SECONDS: intEnv(1, 3600, 30),
  /** Give up on Kafka after this and use the PostgreSQL outbox; far below Shopify's 5 s timeout. */
  KAFKA_PUBLISH_TIMEOUT_MS: intEnv(50, 4_000, 1_500),

  // Subscription bootstrap: with a token and a callback URL, the service makes sure the shop
  // (the first of SHOPIFY_SHOP) has a subscription per topic pointing at it.
  SHOPIFY_ADMIN_URL: httpUrl.optional(),
  SHOPIFY_ACCESS_TOKEN: z.string().min(1).optional(),
  SHOPIFY_API_VERSION: shopifyApiVersionSchema.default(DEFAULT_SHOPIFY_API_VERSION),
  /** This service's public URL for Shopify, e.g. https://hooks.example.com/webhooks/shopify. */
  WEBHOOK_CALLBACK_URL: httpUrl.optional(),
  /** Shopify topics to subscribe to; default: every webhook topic of the registry (libs/shopify/src/topics/registry.ts). */
  WEBHOOK_TOPICS: commaList
    .default([...WEBHOOK_TOPIC_NAMES])
    .refine((topics): topics is WebhookTopic[] => topics.every(isWebhookTopic), { message: 'lists a topic webhook-ingest does not know' }),
});

export type Config = z.infer<typeof configSchema>;
