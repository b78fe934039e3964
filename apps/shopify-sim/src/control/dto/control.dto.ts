import { shopDomainSchema as shopDomain, shopifyIdStringSchema } from '@understudy/contracts';
import { z } from 'zod';

/** Request bodies of the control API (`/_sim/*`). Each schema validates and documents (OpenAPI). */
const gid = shopifyIdStringSchema;
const quantityName = z.enum(['available', 'committed', 'reserved', 'damaged', 'safety_stock', 'quality_control', 'incoming', 'on_hand']);

export const seedSchema = z.object({
  shop: shopDomain.optional(),
  variants: z.number().int().min(0).max(1_000_000),
  products: z.number().int().min(1).max(1_000_000).optional(),
  locations: z.number().int().min(1).max(50).default(3),
  companies: z.number().int().min(0).max(100_000).default(20),
  priceLists: z.number().int().min(0).max(50).optional(),
  seed: z.number().int().default(42),
  /** Tokens that open this shop; default the configured SIM_ACCESS_TOKENS. */
  accessTokens: z.array(z.string().min(1)).min(1).optional(),
});
export type SeedBody = z.infer<typeof seedSchema>;

export const throttleSchema = z.object({
  shop: shopDomain.optional(),
  plan: z.enum(['standard', 'advanced', 'plus', 'enterprise']).optional(),
  restoreRate: z.number().positive().max(10_000_000).optional(),
  maximumAvailable: z.number().positive().max(100_000_000).optional(),
  /** Sets every existing bucket's level, e.g. 0 to start a test with an empty bucket. */
  currentlyAvailable: z.number().min(0).optional(),
});
export type ThrottleBody = z.infer<typeof throttleSchema>;

export const settingsSchema = z.object({
  appSecret: z.string().min(8).optional(),
  timeScale: z.number().positive().max(10_000_000).optional(),
  webhook: z
    .object({
      connectTimeoutMs: z.number().int().min(1).max(60_000),
      timeoutMs: z.number().int().min(1).max(60_000),
      concurrency: z.number().int().min(1).max(1_024),
      removeAfterFailures: z.number().int().min(1).max(1_000),
      productUpdateOnInventoryChange: z.boolean(),
    })
    .partial()
    .optional(),
});
export type SettingsBody = z.infer<typeof settingsSchema>;

export const chaosSchema = z.object({
  duplicateRate: z.number().min(0).max(1).optional(),
  reorderWindowMs: z.number().int().min(0).max(3_600_000).optional(),
  dropRate: z.number().min(0).max(1).optional(),
  addedDelayMs: z.number().int().min(0).max(3_600_000).optional(),
});
export type ChaosBody = z.infer<typeof chaosSchema>;

export const flashSaleSchema = z.object({
  shop: shopDomain.optional(),
  changesPerSecond: z.number().positive().max(100_000),
  durationSeconds: z.number().positive().max(600),
  hotVariants: z.number().int().min(1).optional(),
  maxQuantity: z.number().int().min(1).max(100).optional(),
  seed: z.number().int().optional(),
});
export type FlashSaleBody = z.infer<typeof flashSaleSchema>;

const change = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('set'), inventoryItemId: gid('InventoryItem'), locationId: gid('Location'), name: quantityName.optional(), quantity: z.number().int() }),
  z.object({ kind: z.literal('adjust'), inventoryItemId: gid('InventoryItem'), locationId: gid('Location'), name: quantityName.optional(), delta: z.number().int() }),
  z.object({ kind: z.literal('order'), variantId: gid('ProductVariant'), locationId: gid('Location').optional(), quantity: z.number().int().min(1).max(10_000) }),
  z.object({ kind: z.literal('item'), inventoryItemId: gid('InventoryItem'), tracked: z.boolean().optional(), costCents: z.number().int().min(0).optional() }),
  z.object({ kind: z.literal('product'), productId: gid('Product'), title: z.string().min(1).optional(), status: z.enum(['ACTIVE', 'ARCHIVED', 'DRAFT']).optional() }),
]);

export const changesSchema = z.object({
  shop: shopDomain.optional(),
  changes: z.array(change).min(1).max(10_000),
});
export type ChangesBody = z.infer<typeof changesSchema>;

export const deliveriesQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(10_000).default(100),
  topic: z.string().optional(),
  subscriptionId: z.string().optional(),
  outcome: z.enum(['succeeded', 'failed', 'dropped', 'abandoned', 'subscription_removed']).optional(),
});

export const shopQuerySchema = z.object({ shop: shopDomain.optional() });

export const drainSchema = z.object({ timeoutMs: z.number().int().min(1).max(600_000).default(30_000) });
