import { z } from 'zod';
import { exportPageQuerySchema } from './export-page';

/**
 * Inventory's export (`GET /v1/export/{kind}`): what the projection holds, as
 * NDJSON, one row a line, in key order, a page at a time. The reconciler
 * diffs Shopify's truth against it. Versions are the projection's own:
 * Shopify's `updated_at` and the triggered-at (webhook) or as-of time
 * (reconciler fact) that wrote the row, both ISO-8601 with microseconds.
 */
export const INVENTORY_EXPORT_KINDS = ['levels', 'items', 'products'] as const;
export type InventoryExportKind = (typeof INVENTORY_EXPORT_KINDS)[number];

/** Most ids one `ids=` filter may list. */
export const EXPORT_MAX_IDS = 250;

const numericId = z.string().regex(/^[1-9]\d{0,18}$/);
const isoTime = z.iso.datetime({ offset: true });

export const exportedLevelSchema = z.object({
  inventoryItemId: numericId,
  locationId: numericId,
  available: z.number().int().nullable(),
  updatedAt: isoTime,
  triggeredAt: isoTime,
});
export type ExportedLevel = z.infer<typeof exportedLevelSchema>;

export const exportedItemSchema = z.object({
  inventoryItemId: numericId,
  tracked: z.boolean(),
  sku: z.string().nullable(),
  updatedAt: isoTime,
  triggeredAt: isoTime,
});
export type ExportedItem = z.infer<typeof exportedItemSchema>;

export const exportedProductSchema = z.object({
  productId: numericId,
  updatedAt: isoTime,
  triggeredAt: isoTime,
  /** [variantId, inventoryItemId], by variant id. */
  variants: z.array(z.tuple([numericId, numericId])),
});
export type ExportedProduct = z.infer<typeof exportedProductSchema>;

export const EXPORTED_ROW_SCHEMAS = { levels: exportedLevelSchema, items: exportedItemSchema, products: exportedProductSchema } as const;

/** A page (`after`: `item:location` for levels, the id otherwise), and optionally only some ids. */
export const exportQuerySchema = exportPageQuerySchema.extend({
  /** Only these ids (inventory item ids for levels and items, product ids for products), comma-separated. */
  ids: z
    .string()
    .transform((value) => value.split(',').map((id) => id.trim()).filter(Boolean))
    .refine((ids) => ids.length > 0 && ids.length <= EXPORT_MAX_IDS && ids.every((id) => numericId.safeParse(id).success), {
      message: `must list 1 to ${EXPORT_MAX_IDS} numeric ids`,
    })
    .optional(),
});
export type ExportQuery = z.infer<typeof exportQuerySchema>;
