import type { z } from 'zod';
import { pricingFactKey, pricingFactPayload, snapshotMarkPayload, variantPricePayload } from '../pricing/pricing-facts';
import {
  bulkOperationFinishPayload,
  inventoryItemPayload,
  inventoryLevelDeletionPayload,
  inventoryLevelPayload,
  productPayload,
  resourceDeletionPayload,
} from '../webhooks/payloads';

/**
 * The one registry of the platform's event topics. Each entry ties together
 * the name an event carries in its envelope (`topic`), the Kafka topic it
 * travels on, the schema of its payload and the partition key (a resource id,
 * so one resource's events share a partition and keep their order).
 *
 * Two sources feed it:
 * - `webhook`: a Shopify webhook topic. webhook-ingest accepts exactly these,
 *   subscribes to them (`subscription` is GraphQL's WebhookSubscriptionTopic)
 *   and publishes them on `shopify.<resource>.<event>`; the simulator emits them.
 * - `reconciler`: facts the reconciler read from Shopify's Admin API
 *   (`reconcile/<resource>` on `reconcile.<resource>`), keyed like the webhook
 *   topic for the same resource so a fact and a webhook about one row share a
 *   partition. A resource the module holds and Shopify no longer has gets a
 *   deletion (`reconcile/<resource>_delete`) on the same Kafka topic and key, so
 *   it stays ordered with the facts and webhooks about that row. A domain
 *   whose runs confirm the whole state (pricing) ends each run with a mark
 *   (`reconcile/<resource>_snapshot`) on every partition of that Kafka topic.
 *
 * Everything else is derived from here: ingest's and inventory's config
 * defaults, the simulator's subscription topics, consumers' decoders, and
 * `libs/messaging/src/topic-catalog.json` (the copy tools/infra creates
 * topics from, checked against this registry by tools/infra/topics.spec.ts).
 * Adding a topic is one entry here, its catalogue line, and its decoder.
 */
export interface TopicDefinition<S extends z.ZodType = z.ZodType, Source extends 'webhook' | 'reconciler' = 'webhook' | 'reconciler'> {
  /** The envelope's `topic`: Shopify's webhook topic, or `reconcile/<resource>`. */
  name: string;
  source: Source;
  kafkaTopic: string;
  /** GraphQL `WebhookSubscriptionTopic` (webhook topics only). */
  subscription: Source extends 'webhook' ? string : undefined;
  schema: S;
  partitionKey: (payload: z.infer<S>) => string;
}

function webhook<S extends z.ZodType>(name: `${string}/${string}`, schema: S, partitionKey: (payload: z.infer<S>) => string): TopicDefinition<S, 'webhook'> {
  return { name, source: 'webhook', kafkaTopic: `shopify.${name.replace('/', '.')}`, subscription: name.replace('/', '_').toUpperCase(), schema, partitionKey };
}

/** A reconciler fact about `resource`, in the payload shape of that resource's webhook. */
function reconcileFact<S extends z.ZodType>(resource: string, schema: S, partitionKey: (payload: z.infer<S>) => string): TopicDefinition<S, 'reconciler'> {
  return { name: `reconcile/${resource}`, source: 'reconciler', kafkaTopic: `reconcile.${resource}`, subscription: undefined, schema, partitionKey };
}

/** A reconciler deletion of `resource`: on the facts' Kafka topic, keyed as they are. */
function reconcileDeletion<S extends z.ZodType>(resource: string, schema: S, partitionKey: (payload: z.infer<S>) => string): TopicDefinition<S, 'reconciler'> {
  return { name: `reconcile/${resource}_delete`, source: 'reconciler', kafkaTopic: `reconcile.${resource}`, subscription: undefined, schema, partitionKey };
}

/**
 * A reconciler's end-of-run mark on `resource`'s Kafka topic: sent to every partition by number
 * (the key is only a label), after the run's facts there.
 */
function reconcileMark<S extends z.ZodType>(resource: string, schema: S): TopicDefinition<S, 'reconciler'> {
  return { name: `reconcile/${resource}_snapshot`, source: 'reconciler', kafkaTopic: `reconcile.${resource}`, subscription: undefined, schema, partitionKey: () => 'snapshot' };
}

const levelKey = (payload: { inventory_item_id: number }) => String(payload.inventory_item_id);
const itemKey = (payload: { id: number }) => String(payload.id);
const productKey = (payload: { id: number }) => String(payload.id);

export const TOPICS = {
  'inventory_levels/update': webhook('inventory_levels/update', inventoryLevelPayload, levelKey),
  'inventory_items/update': webhook('inventory_items/update', inventoryItemPayload, itemKey),
  'products/update': webhook('products/update', productPayload, productKey),
  'bulk_operations/finish': webhook('bulk_operations/finish', bulkOperationFinishPayload, (payload) => payload.admin_graphql_api_id),
  'reconcile/inventory_levels': reconcileFact('inventory_levels', inventoryLevelPayload, levelKey),
  'reconcile/inventory_items': reconcileFact('inventory_items', inventoryItemPayload, itemKey),
  'reconcile/products': reconcileFact('products', productPayload, productKey),
  'reconcile/pricing': reconcileFact('pricing', pricingFactPayload, pricingFactKey),
  'reconcile/pricing_snapshot': reconcileMark('pricing', snapshotMarkPayload),
  'reconcile/variant_prices': reconcileFact('variant_prices', variantPricePayload, (payload) => payload.product_id),
  'reconcile/inventory_levels_delete': reconcileDeletion('inventory_levels', inventoryLevelDeletionPayload, levelKey),
  'reconcile/inventory_items_delete': reconcileDeletion('inventory_items', resourceDeletionPayload, itemKey),
  'reconcile/products_delete': reconcileDeletion('products', resourceDeletionPayload, productKey),
} as const;

export type TopicName = keyof typeof TOPICS;
export type WebhookTopic = { [K in TopicName]: (typeof TOPICS)[K]['source'] extends 'webhook' ? K : never }[TopicName];
export type ReconcileTopic = Exclude<TopicName, WebhookTopic>;
/** GraphQL's `WebhookSubscriptionTopic` values for the webhook topics, e.g. `INVENTORY_LEVELS_UPDATE`. */
export type WebhookSubscriptionTopic = Uppercase<WebhookTopic extends `${infer R}/${infer E}` ? `${R}_${E}` : never>;

const ALL = Object.values(TOPICS) as ReadonlyArray<TopicDefinition>;

/** Shopify webhook topics, in registry order. */
export const WEBHOOK_TOPIC_NAMES = ALL.filter((t) => t.source === 'webhook').map((t) => t.name) as WebhookTopic[];

export function isTopicName(name: string): name is TopicName {
  return Object.hasOwn(TOPICS, name);
}

export function isWebhookTopic(name: string): name is WebhookTopic {
  return isTopicName(name) && TOPICS[name].source === 'webhook';
}

/** Every Kafka topic of the registry (without dead-letter twins), in registry order, without repeats. */
export function registryKafkaTopics(): string[] {
  return [...new Set(ALL.map((t) => t.kafkaTopic))];
}

/** A reconciler deletion (`reconcile/<resource>_delete`), not a fact about a row's state. */
export function isDeletionTopic(name: TopicName): boolean {
  return TOPICS[name].source === 'reconciler' && name.endsWith('_delete');
}

/** The Kafka topics carrying the given envelope topics, without repeats. */
export function kafkaTopicsFor(names: readonly TopicName[]): string[] {
  return [...new Set(names.map((name) => TOPICS[name].kafkaTopic))];
}

/** `INVENTORY_LEVELS_UPDATE` for `inventory_levels/update`. */
export function subscriptionTopic(name: WebhookTopic): WebhookSubscriptionTopic {
  return TOPICS[name].subscription as WebhookSubscriptionTopic;
}

export type ResourceKeyResult = { ok: true; key: string } | { ok: false; reason: string };

/** The Kafka key for a payload of a known topic, after validating the fields it needs. */
export function resourceKeyFor(topic: TopicName, payload: unknown): ResourceKeyResult {
  const definition = TOPICS[topic] as TopicDefinition;
  const parsed = definition.schema.safeParse(payload);
  if (!parsed.success) {
    return { ok: false, reason: parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ') };
  }
  return { ok: true, key: definition.partitionKey(parsed.data) };
}
