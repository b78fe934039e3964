import { commaList, commonEnv, databaseEnv, flag, httpUrl, kafkaEnv, kafkaTopicPrefixEnv, port, intEnv } from '@understudy/config';
import { isWebhookTopic, WEBHOOK_TOPIC_NAMES, type WebhookTopic } from '@understudy/shopify';
import { DEFAULT_SHOPIFY_API_VERSION, shopDomainSchema, shopifyApiVersionSchema } from '@understudy/contracts';
import { z } from 'zod';
import { DOMAIN_NAMES } from './domains/registry';


/** Every environment variable the reconciler reads; validated once at boot (docs/reconciler.md). */
export const configSchema = z.object({
  ...commonEnv,
  PORT: port(3004),
  ...databaseEnv,
  ...kafkaEnv,
  ...kafkaTopicPrefixEnv,

  /** The shop whose truth is kept (`*.myshopify.com`). */
  SHOPIFY_SHOP: shopDomainSchema,
  /** Send Admin API calls here instead of https://{shop} (the simulator). */
  SHOPIFY_ADMIN_URL: httpUrl.optional(),
  SHOPIFY_ACCESS_TOKEN: z.string().min(1),
  SHOPIFY_API_VERSION: shopifyApiVersionSchema.default(DEFAULT_SHOPIFY_API_VERSION),
  /** Share of the shop's API budget (bucket and restore rate) the reconciler may use; the rest is left to the monolith and others. */
  RECONCILE_BUDGET_SHARE: z.coerce.number().gt(0).max(1).default(0.5),

  INVENTORY_URL: httpUrl,
  /** Pricing's base URL (its export); unset: no pricing domain. */
  PRICING_URL: httpUrl.optional(),
  /** Deadline of each export page request to a module. */
  MODULE_EXPORT_TIMEOUT_MS: intEnv(100, 120_000, 15_000),
  MODULE_EXPORT_PAGE_SIZE: intEnv(100, 10_000, 5_000),

  /** Domains the scheduler and the backfill cover. */
  RECONCILE_DOMAINS: commaList
    .default(['inventory'])
    .refine((names) => names.every((name) => (DOMAIN_NAMES as readonly string[]).includes(name)), { message: `lists a domain the reconciler does not know (known: ${DOMAIN_NAMES.join(', ')})` }),
  /** Incremental runs every this many seconds (0: only on demand). */
  RECONCILE_INTERVAL_SECONDS: intEnv(0, 86_400, 300),
  /** Incremental reads start this far before the last cursor: Shopify's 4-hour retry window plus clock skew. */
  RECONCILE_LOOKBACK_SECONDS: intEnv(0, 7 * 86_400, 4 * 3600 + 15 * 60),
  /** On start, a full run (the backfill) for each domain that never had one. */
  RECONCILE_BACKFILL_ON_START: flag.default(true),
  /** A running run whose heartbeat is older than this belongs to a dead reconciler and is resumed here. */
  RECONCILE_RUN_STALE_SECONDS: intEnv(2, 3_600, 30),
  /** How often the scheduler looks for due, abandoned and backfill runs. */
  RECONCILE_TICK_MS: intEnv(100, 60_000, 2_000),
  RECONCILE_BULK_TIMEOUT_SECONDS: intEnv(10, 24 * 3600, 3_600),
  /** Variants per incremental page (each with up to 10 levels), sized to stay under Shopify's 1,000-point query limit. */
  RECONCILE_INCREMENTAL_PAGE_SIZE: intEnv(1, 250, 25),
  RECONCILE_PUBLISH_BATCH: intEnv(1, 5_000, 500),

  /** webhook-ingest's address as Shopify calls it: each run checks the shop's subscriptions point there (unset: not checked). */
  WEBHOOK_CALLBACK_URL: httpUrl.optional(),
  /** Topics whose subscriptions are checked, besides each domain's own (default: every webhook topic of the registry). */
  WEBHOOK_TOPICS: commaList
    .default([...WEBHOOK_TOPIC_NAMES])
    .refine((topics): topics is WebhookTopic[] => topics.every(isWebhookTopic), { message: 'lists a topic the platform does not know' }),

  /** The delivery ratio below which `understudy_delivery_ratio` should alert (docs/reconciler.md has the PrometheusRule). */
  DELIVERY_RATIO_ALERT_BELOW: z.coerce.number().min(0).max(1).default(0.999),
  DELIVERY_RETENTION_HOURS: intEnv(1, 24 * 90, 7 * 24),
}).refine((config) => !config.RECONCILE_DOMAINS.includes('pricing') || config.PRICING_URL !== undefined, {
  path: ['PRICING_URL'],
  message: 'is required when RECONCILE_DOMAINS lists pricing',
});

export type Config = z.infer<typeof configSchema>;
