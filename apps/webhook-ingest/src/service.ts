import { anyOf, nonCritical, PROBE_TIMEOUT_MS } from '@understudy/health';
import type { ServiceDefinition } from '@understudy/platform';
import type { Config } from './config';
import { migrations } from './migrations';
import { SubscriptionsModule } from './subscriptions/subscriptions.module';
import { WebhooksModule } from './webhooks/webhooks.module';

/** The webhook-ingest service, built from its configuration (used by main.ts and by the integration tests). */
export function webhookIngestService(config: Config): ServiceDefinition<Config> {
  return {
    service: 'webhook-ingest',
    title: 'Understudy webhook ingest',
    description: 'Shopify webhook endpoint: HMAC, header validation, dedup, publish to Kafka with ack, durable fallback.',
    config,
    bodyLimit: config.WEBHOOK_MAX_BODY_BYTES,
    rawBody: true,
    dependencies: {
      postgres: { url: config.DATABASE_URL, migrations, poolSize: 20 },
      redis: { url: config.REDIS_URL },
      kafka: { brokers: config.KAFKA_BROKERS },
    },
    // Each dependency alone can fail without refusing webhooks: Redis is a cache,
    // Kafka has the outbox, PostgreSQL's dedup degrades to at-least-once.
    // Only when neither Kafka nor PostgreSQL can make a webhook durable is it not ready.
    readiness: ({ postgres, redis, kafka }) => [
      nonCritical(postgres!),
      nonCritical(redis!),
      nonCritical(kafka!),
      anyOf('durable-path', [kafka!, postgres!], PROBE_TIMEOUT_MS),
      // …and `delivery` (the path in use, the outbox depth), added by WebhooksModule's DurableDelivery.
    ],
    imports: [
      SubscriptionsModule,
      WebhooksModule.register({
        secrets: config.SHOPIFY_WEBHOOK_SECRETS,
        shops: new Set(config.SHOPIFY_SHOP),
        freshness: { maxAgeMs: config.WEBHOOK_MAX_AGE_SECONDS * 1000, maxSkewMs: config.WEBHOOK_MAX_CLOCK_SKEW_SECONDS * 1000 },
        publishTimeoutMs: config.KAFKA_PUBLISH_TIMEOUT_MS,
        topicPrefix: config.KAFKA_TOPIC_PREFIX,
        concurrentDuplicateWaitMs: 2_000,
        dedupTtlSeconds: config.WEBHOOK_DEDUP_TTL_SECONDS,
        staleClaimSeconds: config.WEBHOOK_STALE_CLAIM_SECONDS,
        // A retry of a delivery is accepted only while it is younger than the max age (plus skew): after that its row is dead weight.
        prune: { olderThanSeconds: config.WEBHOOK_MAX_AGE_SECONDS + config.WEBHOOK_MAX_CLOCK_SKEW_SECONDS, intervalMs: config.WEBHOOK_DEDUP_PRUNE_INTERVAL_MS },
      }),
    ],
  };
}
