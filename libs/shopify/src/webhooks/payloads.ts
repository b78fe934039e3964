import { z } from 'zod';

/**
 * Zod schemas for the webhook payloads Understudy consumes, in Shopify's REST
 * shapes. Only the fields we read are required; everything else passes through
 * untouched (Shopify adds fields between API versions).
 */
const id = z.number().int().positive();
const timestamp = z.iso.datetime({ offset: true });

/** `inventory_levels/update` (also `inventory_levels/connect`). `available` is null for untracked items. */
export const inventoryLevelPayload = z.looseObject({
  inventory_item_id: id,
  location_id: id,
  available: z.number().int().nullable(),
  updated_at: timestamp,
  admin_graphql_api_id: z.string().optional(),
});
export type InventoryLevelPayload = z.infer<typeof inventoryLevelPayload>;

/** `inventory_items/update`: `tracked` says whether Shopify counts stock for it. */
export const inventoryItemPayload = z.looseObject({
  id,
  sku: z.string().nullable().optional(),
  tracked: z.boolean(),
  requires_shipping: z.boolean().optional(),
  created_at: timestamp.optional(),
  updated_at: timestamp,
  admin_graphql_api_id: z.string().optional(),
});
export type InventoryItemPayload = z.infer<typeof inventoryItemPayload>;

export const productVariantPayload = z.looseObject({
  id,
  product_id: id.optional(),
  inventory_item_id: id,
  sku: z.string().nullable().optional(),
  title: z.string().optional(),
  /** Money as a decimal string, e.g. "19.99". */
  price: z.string().regex(/^-?\d+(\.\d+)?$/).optional(),
  inventory_management: z.string().nullable().optional(),
  inventory_policy: z.enum(['deny', 'continue']).optional(),
  updated_at: timestamp.optional(),
  admin_graphql_api_id: z.string().optional(),
});

/** `products/update`: carries the variant ↔ inventory item mapping. */
export const productPayload = z.looseObject({
  id,
  title: z.string(),
  status: z.enum(['active', 'archived', 'draft']).optional(),
  updated_at: timestamp,
  variants: z.array(productVariantPayload),
  admin_graphql_api_id: z.string().optional(),
});
export type ProductPayload = z.infer<typeof productPayload>;

/**
 * Deletions, as the reconciler's delete facts carry them: the payload of
 * Shopify's own delete webhook for the resource (`inventory_levels/disconnect`
 * sends `{inventory_item_id, location_id}`, `inventory_items/delete` and
 * `products/delete` send `{id}`) plus `updated_at`, the version the deletion is
 * ordered by: the second of the snapshot's as-of time (with the envelope's
 * triggered-at, the as-of time itself), so it removes only rows older than the
 * snapshot that no longer holds them.
 */
export const inventoryLevelDeletionPayload = z.looseObject({ inventory_item_id: id, location_id: id, updated_at: timestamp });
export type InventoryLevelDeletionPayload = z.infer<typeof inventoryLevelDeletionPayload>;
export const resourceDeletionPayload = z.looseObject({ id, updated_at: timestamp });
export type ResourceDeletionPayload = z.infer<typeof resourceDeletionPayload>;

/** `bulk_operations/finish`. */
export const bulkOperationFinishPayload = z.looseObject({
  admin_graphql_api_id: z.string(),
  completed_at: timestamp.nullable().optional(),
  created_at: timestamp.optional(),
  error_code: z.string().nullable().optional(),
  status: z.string(),
  type: z.string().optional(),
});
