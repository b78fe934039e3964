import type { z } from 'zod';
import { bulkOperationFinishPayload, inventoryItemPayload, inventoryLevelPayload, productPayload } from './payloads';

/**
 * The webhook topics Understudy subscribes to, with each one's payload schema
 * and the resource id used as the Kafka key (so one resource's events share a
 * partition and keep their order).
 */
export const WEBHOOK_TOPICS = {
  'inventory_levels/update': {
    schema: inventoryLevelPayload,
    resourceKey: (payload: z.infer<typeof inventoryLevelPayload>) => String(payload.inventory_item_id),
  },
  'inventory_items/update': {
    schema: inventoryItemPayload,
    resourceKey: (payload: z.infer<typeof inventoryItemPayload>) => String(payload.id),
  },
  'products/update': {
    schema: productPayload,
    resourceKey: (payload: z.infer<typeof productPayload>) => String(payload.id),
  },
  'bulk_operations/finish': {
    schema: bulkOperationFinishPayload,
    resourceKey: (payload: z.infer<typeof bulkOperationFinishPayload>) => payload.admin_graphql_api_id,
  },
} as const;

export type WebhookTopic = keyof typeof WEBHOOK_TOPICS;

export function isWebhookTopic(topic: string): topic is WebhookTopic {
  return Object.hasOwn(WEBHOOK_TOPICS, topic);
}

export type ResourceKeyResult = { ok: true; key: string } | { ok: false; reason: string };

/** The Kafka key for a payload of a known topic, after validating the fields it needs. */
export function resourceKeyFor(topic: WebhookTopic, payload: unknown): ResourceKeyResult {
  const definition = WEBHOOK_TOPICS[topic];
  const parsed = definition.schema.safeParse(payload);
  if (!parsed.success) {
    return { ok: false, reason: parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ') };
  }
  return { ok: true, key: (definition.resourceKey as (p: unknown) => string)(parsed.data) };
}
